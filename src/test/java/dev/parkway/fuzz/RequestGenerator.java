package dev.parkway.fuzz;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Generates one malformed or odd request per (seed, index): request {@code i} of a run depends only on the
 * seed and {@code i}, so a failure is reproduced by its seed whatever the thread interleaving was.
 */
final class RequestGenerator {
  static final int BODY_MAX = 4096;

  private static final String[] METHODS = {
    "GET", "GET", "GET", "GET", "GET", "POST", "POST", "POST", "POST", "PUT", "DELETE", "PATCH", "HEAD",
    "OPTIONS", "TRACE", "CONNECT", "PROPFIND", "get", "FOO", "G_E-T", "X"
  };
  private static final String[] BAD_METHODS = {"GE T", "G\u0001T", "(GET)", "GET/", "", "G{}"};

  private static final String[] GOOD_NAMES = {
    "news", "fz", "fz.a", "fz.a.b", "user.1234.notifications", "a", "A-z_0:9", "broadcast", "chat", "send",
    "fz-" + "x".repeat(190)
  };
  private static final String[] PARAMS = {
    "after", "since", "timeout", "limit", "client", "channel", "category", "since_time", "last_id",
    "message", "to", "id", "Timeout", "after%5B%5D", "", "x", "after[]"
  };

  private final SplittableRandom r;
  private boolean containerMayRefuse;
  private boolean truncatedBody;
  private boolean oversizedBody;

  RequestGenerator(long seed, long index) {
    this.r = new SplittableRandom(seed * 0x9E3779B97F4A7C15L + index * 0xBF58476D1CE4E5B9L + index);
  }

  FuzzRequest next() {
    String method = method();
    String path = path();
    String query = r.nextInt(10) < 7 ? query() : "";
    String target = query.isEmpty() ? path : path + "?" + query;
    if (r.nextInt(200) == 0) { // a request line over the container's header limit
      target = path + "?after=" + "A".repeat(9000);
      containerMayRefuse = true;
    }
    if (r.nextInt(100) == 0) { // characters not allowed in a request target
      String[] bad = {" ", "{", "|", "\"", "<", "\u007f", "\t", "^", "`", "\\"};
      target = insert(target, bad[r.nextInt(bad.length)]);
      containerMayRefuse = true;
    }
    if (!target.matches("[A-Za-z0-9._~:/?@!$&'()*+,;=%-]*")) {
      containerMayRefuse = true; // Tomcat refuses [ ] { } | # and other characters RFC 3986 does not allow
    }
    String version = "HTTP/1.1";
    int v = r.nextInt(100);
    if (v < 5) {
      version = "HTTP/1.0";
    } else if (v < 7) {
      version = pick("HTTP/2.0", "HTTP/1.2", "HTTP/0.9", "http/1.1", "HTTP/1", "HTTP/1.1 x", "");
      containerMayRefuse = true;
    }

    Body body = body(method);
    List<String> headers = headers(body, version);
    if (!version.equals("HTTP/1.1") && headers.stream().anyMatch(h -> h.startsWith("Transfer-Encoding"))) {
      containerMayRefuse = true; // Tomcat refuses Transfer-Encoding in an HTTP/1.0 request
    }

    ByteArrayOutputStream out = new ByteArrayOutputStream();
    write(out, method + " " + target + (version.isEmpty() ? "" : " " + version) + "\r\n");
    for (String h : headers) {
      write(out, h + "\r\n");
    }
    write(out, "\r\n");
    if (out.size() > 8000) {
      containerMayRefuse = true; // request line and headers over the container's limit (8192)
    }
    out.writeBytes(body.wire);
    return new FuzzRequest(
        out.toByteArray(), method, path, containerMayRefuse, truncatedBody, oversizedBody, version.isEmpty());
  }

  // ---- request line ----

  private String method() {
    if (r.nextInt(60) == 0) {
      containerMayRefuse = true;
      return BAD_METHODS[r.nextInt(BAD_METHODS.length)];
    }
    String method = METHODS[r.nextInt(METHODS.length)];
    if (method.equals("CONNECT")) {
      containerMayRefuse = true; // Tomcat answers CONNECT itself, 501
    }
    return method;
  }

  private String path() {
    String c = name();
    String id = name();
    String p =
        switch (r.nextInt(30)) {
          case 0, 1, 2 -> "/channels/" + c;
          case 3 -> "/channels/" + c + "/info";
          case 4, 5 -> "/channels/" + c + "/stream";
          case 6 -> "/channels/" + c + "/" + segment();
          case 7 -> pick("/channels", "/channels/", "/channels//", "/channels/" + c + "/");
          case 8, 9 -> "/poll";
          case 10, 11 -> "/stream";
          case 12 -> pick("/health", "/metrics", "/health/", "/HEALTH");
          case 13, 14 -> "/clients/" + id + "/messages";
          case 15 -> "/clients/" + id + pick("", "/", "/" + segment(), "/messages/" + segment());
          case 16, 17 -> "/poll/" + id;
          case 18 -> "/send/" + id;
          case 19 -> "/poll/send";
          case 20 -> "/getmessage";
          case 21 -> "/updatemessage";
          case 22, 23 -> "/events";
          case 24 -> "/publish";
          case 25, 26 -> "/messages";
          case 27 -> pick("/", "/index.html", "/parkway.js", "/demo.css", "/WEB-INF/web.xml", "/nothing",
              "/WEB-INF/errors/404.json", "/META-INF/", "/index.html/x");
          default -> randomPath();
        };
    if (r.nextInt(25) == 0) {
      p = p + pick("/", "//", "/.", "/..", ";jsessionid=1", ";x=y", "%2F", "/%2e%2e/health");
      if (p.contains("%2") || p.contains("..") || p.endsWith("/.")) {
        containerMayRefuse = true;
      }
    }
    return p;
  }

  private String randomPath() {
    StringBuilder p = new StringBuilder();
    int n = 1 + r.nextInt(4);
    for (int i = 0; i < n; i++) {
      p.append('/').append(segment());
    }
    return p.toString();
  }

  private String segment() {
    return switch (r.nextInt(8)) {
      case 0 -> "";
      case 1 -> pick("x", "info", "stream", "messages", "poll", "channels", "events");
      default -> name();
    };
  }

  /** A channel name, client id or path segment: valid, or broken in one of many ways. */
  private String name() {
    int k = r.nextInt(40);
    if (k < 18) {
      return GOOD_NAMES[r.nextInt(GOOD_NAMES.length)] + (r.nextBoolean() ? "" : "-" + r.nextInt(50));
    }
    return switch (k) {
      case 18 -> "fz.*";
      case 19 -> "*";
      case 20 -> "a*b";
      case 21 -> "bad%20name";
      case 22 -> "%41bc"; // a valid escape of a valid name
      case 23 -> "%C3%A9t%C3%A9"; // unicode, escaped
      case 24 -> "%F0%9F%92%A9";
      case 25 -> "x".repeat(201);
      case 26 -> "y".repeat(129);
      case 27 -> "z".repeat(2000 + r.nextInt(4000));
      case 28 -> ".";
      case 29 -> flagged(".."); // may climb above the root: Tomcat refuses it
      case 30 -> "a..b";
      case 31 -> ".leading";
      case 32 -> "%25";
      case 33 -> flagged("%00"); // Tomcat refuses a NUL in the path
      case 34 -> "%0D%0Ainjected";
      case 35 -> flagged(pick("%ZZ", "%G1", "%", "%4", "%C3%28", "%FF", "%2F", "%5C", "%2e%2e", "%ED%A0%80"));
      case 36 -> flagged(pick("\u00e9t\u00e9", "\u00ff", "caf\u00c3\u00a9")); // raw non-ASCII bytes
      case 37 -> "a;b";
      case 38 -> "a:b.c-d_e";
      default -> "%E2%80%A8";
    };
  }

  private String flagged(String s) {
    containerMayRefuse = true;
    return s;
  }

  // ---- query ----

  private String query() {
    int n = r.nextInt(12) == 0 ? 20 + r.nextInt(1100) : 1 + r.nextInt(5);
    StringBuilder q = new StringBuilder();
    for (int i = 0; i < n; i++) {
      if (i > 0) {
        q.append(r.nextInt(40) == 0 ? pick(";", "&&", "&") : "&");
      }
      String name = PARAMS[r.nextInt(PARAMS.length)];
      int shape = r.nextInt(20);
      if (shape == 0) {
        q.append(name); // no '='
      } else {
        q.append(name).append('=').append(value(name));
      }
    }
    if (r.nextInt(50) == 0) {
      q.append('#').append("frag");
    }
    return q.toString();
  }

  private String value(String param) {
    int k = r.nextInt(10);
    if (k < 4) {
      return plausible(param);
    }
    return switch (r.nextInt(34)) {
      case 0 -> "";
      case 1 -> "-1";
      case 2 -> "-0";
      case 3 -> "0.0001";
      case 4 -> "1.5";
      case 5 -> "1e3";
      case 6 -> "1E-2";
      case 7 -> ".5";
      case 8 -> "5.";
      case 9 -> "+1";
      case 10 -> "0x10";
      case 11 -> "NaN";
      case 12 -> "Infinity";
      case 13 -> "99999999999999999999999999999";
      case 14 -> Long.toString(Long.MAX_VALUE);
      case 15 -> Long.toString(Long.MIN_VALUE);
      case 16 -> "9223372036854775808";
      case 17 -> "%ZZ";
      case 18 -> "%C3%28";
      case 19 -> "%00";
      case 20 -> "%0D%0Adata:%20forged";
      case 21 -> "%E2%82%AC";
      case 22 -> "a+b%20c";
      case 23 -> "A".repeat(100 + r.nextInt(3000));
      case 24 -> "bTU2OTAyZDVmZDFiYzsxNzk1NDIwMzM1OTQ3O0BhbGljZT0y";
      case 25 -> "00000000-0000-0000-0000-000000000000";
      case 26 -> "%7B00000000-0000-0000-0000-000000000001%7D";
      case 27 -> "urn:uuid:" + uuid();
      case 28 -> uuid().replace("-", "");
      case 29 -> "a,,b";
      case 30 -> "fz.*,news,*";
      case 31 -> "%";
      case 32 -> flagged(pick("\u00e9", "a b", "\u0001"));
      default -> "%FF%FE";
    };
  }

  private String plausible(String param) {
    return switch (param) {
      case "timeout" -> pick("0", "0", "0.01", "0.05", "0.001", "1", "0.2");
      case "limit" -> pick("1", "2", "100", "1000", "0", "1001");
      case "after" -> pick("0", "1", "5", "999999", "-", "MA", "bTU2");
      case "since" -> pick("0", "1763800000123", Long.toString(System.currentTimeMillis()));
      case "client", "to", "id" -> pick("c1", "c2", "fz-client", "y".repeat(128));
      case "channel" -> pick("news", "fz.*", "fz.a,fz.b", "fz", "");
      case "category" -> pick("news", "fz", "a b", "\u00e9".repeat(3), "x".repeat(1025));
      case "since_time" -> pick("0", "-5", Long.toString(System.currentTimeMillis()));
      case "last_id" -> uuid();
      case "message" -> pick("hello", "", "%0Amulti%0Aline", "x".repeat(5000));
      default -> pick("1", "x", "");
    };
  }

  private String uuid() {
    return String.format("%08x-%04x-%04x-%04x-%012x", r.nextInt(), r.nextInt(0x10000), r.nextInt(0x10000),
        r.nextInt(0x10000), r.nextLong() & 0xffffffffffffL);
  }

  // ---- headers ----

  private List<String> headers(Body body, String version) {
    List<String> h = new ArrayList<>();
    int host = r.nextInt(60);
    if (host == 0) {
      if (version.equals("HTTP/1.1")) {
        containerMayRefuse = true; // HTTP/1.1 without Host
      }
    } else if (host == 1) {
      h.add("Host: 127.0.0.1");
      h.add("Host: example.org");
      containerMayRefuse = true;
    } else if (host == 2) {
      h.add("Host: " + pick("bad host", "[::1", "a:b:c", ""));
      containerMayRefuse = true;
    } else {
      h.add("Host: 127.0.0.1");
    }
    if (body.wire.length > 0 || r.nextInt(10) == 0) {
      contentType(h);
    }
    contentLength(h, body);
    if (r.nextInt(8) == 0) {
      h.add("Accept: " + pick("text/event-stream", "text/event-stream", "application/json", "*/*",
          "text/event-stream;q=0.1, application/json", "garbage", ""));
    }
    if (r.nextInt(10) == 0) {
      String key = pick("k1", "k2", "", " ", "x".repeat(129), "x".repeat(128), "\u00e9\u00e9", "a b",
          "!~", "k1", "k1");
      h.add("Idempotency-Key: " + key);
      if (r.nextInt(8) == 0) {
        h.add("Idempotency-Key: other");
      }
    }
    if (r.nextInt(10) == 0) {
      h.add("Last-Event-ID: " + pick("", "0", "1", "-1", "garbage", "bTU2OTAyZDVmZDFiYzsx", "\u00e9",
          "A".repeat(4000), "99999999999999999999"));
    }
    if (r.nextInt(40) == 0) {
      h.add("X-Big: " + "b".repeat(9000)); // headers over the container's limit
      containerMayRefuse = true;
    }
    if (r.nextInt(50) == 0) {
      h.add(pick("Bad Header: x", "(x): y", ": novalue", "NoColon", " Folded: x"));
      containerMayRefuse = true;
    }
    if (r.nextInt(30) == 0) {
      h.add("Expect: " + pick("100-continue", "garbage"));
      containerMayRefuse = true; // Tomcat may answer 417 to an unknown expectation
    }
    h.add("Connection: close");
    return h;
  }

  private void contentType(List<String> h) {
    int k = r.nextInt(30);
    if (k < 12) {
      h.add("Content-Type: application/json");
      return;
    }
    if (k == 12) {
      return; // none
    }
    h.add("Content-Type: " + pick(
        "application/json; charset=utf-8", "application/json;charset=UTF8", "application/json; charset=\"utf-8\"",
        "application/json; charset=latin1", "application/json; charset=", "application/json;;",
        "application/json; charset=utf-8; charset=utf-16", "application/vnd.fz+json", "application/+json",
        "APPLICATION/JSON", "text/plain", "text/json", "application/x-www-form-urlencoded",
        "multipart/form-data; boundary=x", "", ";", "garbage", "*/*", "application/json; q=\"unterminated",
        "application/json; charset=nonexistent-charset", "application/json\u00e9", "application/json x",
        "application/json; charset=utf-16"));
  }

  private void contentLength(List<String> h, Body body) {
    int len = body.wire.length;
    if (body.chunked) {
      h.add("Transfer-Encoding: chunked");
      if (r.nextInt(15) == 0) {
        h.add("Content-Length: " + len);
        containerMayRefuse = true;
      }
      return;
    }
    int k = r.nextInt(40);
    if (len == 0 && k < 30) {
      if (k < 3) {
        h.add("Content-Length: 0");
      }
      return;
    }
    switch (k) {
      case 30 -> { // no length: the body is not read as one
      }
      case 31, 32 -> {
        h.add("Content-Length: " + (len + 1 + r.nextInt(100)));
        truncatedBody = true;
      }
      case 33 -> {
        if (len > 0) {
          h.add("Content-Length: " + r.nextInt(len)); // shorter: the rest is garbage after the request
        }
      }
      case 34 -> {
        h.add("Content-Length: " + pick("99999999999", "2147483648", "9223372036854775807", "100000"));
        truncatedBody = true;
        oversizedBody = true;
      }
      case 35 -> {
        h.add("Content-Length: " + pick("-1", "abc", "1.5", "0x10", "", "+5", "1 2"));
        containerMayRefuse = true;
        truncatedBody = true;
      }
      case 36 -> {
        h.add("Content-Length: " + len);
        h.add("Content-Length: " + (len + 3));
        containerMayRefuse = true;
        truncatedBody = true;
      }
      case 37 -> {
        h.add("Transfer-Encoding: " + pick("gzip", "chunked, gzip", "identity", "gzip, chunked", "xyz"));
        h.add("Content-Length: " + len);
        containerMayRefuse = true;
        truncatedBody = true;
      }
      default -> h.add("Content-Length: " + len);
    }
  }

  // ---- bodies ----

  private record Body(byte[] wire, boolean chunked) {}

  private Body body(String method) {
    boolean wantsBody = method.equals("POST") || method.equals("PUT") || method.equals("PATCH");
    if (!wantsBody && r.nextInt(15) != 0) {
      return new Body(new byte[0], false);
    }
    byte[] content = content();
    if (content.length > BODY_MAX) {
      oversizedBody = true;
    }
    if (r.nextInt(6) == 0) {
      return new Body(chunked(content), true);
    }
    return new Body(content, false);
  }

  private byte[] chunked(byte[] content) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    int i = 0;
    while (i < content.length) {
      int n = Math.min(content.length - i, 1 + r.nextInt(1500));
      write(out, Integer.toHexString(n) + (r.nextInt(10) == 0 ? ";ext=1" : "") + "\r\n");
      out.write(content, i, n);
      write(out, "\r\n");
      i += n;
    }
    switch (r.nextInt(8)) {
      case 0 -> { // never ends
        truncatedBody = true;
      }
      case 1 -> { // a bad chunk size
        write(out, pick("zz", "-1", "FFFFFFFFFFFFFFFFFF", "", " 5") + "\r\nhello\r\n0\r\n\r\n");
        truncatedBody = true;
      }
      case 2 -> { // a chunk longer than announced
        write(out, "2\r\nhello\r\n0\r\n\r\n");
        truncatedBody = true;
      }
      case 3 -> write(out, "0\r\nX-Trailer: 1\r\n\r\n");
      default -> write(out, "0\r\n\r\n");
    }
    return out.toByteArray();
  }

  private byte[] content() {
    return switch (r.nextInt(30)) {
      case 0 -> new byte[0];
      case 1 -> utf8("   \n\t ");
      case 2 -> utf8(pick("{", "[1,", "{\"message\":", "\"unterminated", "tru", "{\"a\":1}}", "[]]", "nul"));
      case 3 -> utf8(pick("{} {}", "1 2", "{}x", "[] // comment", "{'a':1}", "{a:1}", "NaN", "01", "1.", "-"));
      case 4 -> new byte[] {'"', (byte) 0xC3, (byte) 0x28, '"'};
      case 5 -> new byte[] {'{', '"', 'm', 'e', 's', 's', 'a', 'g', 'e', '"', ':', '"', (byte) 0xFF, '"', '}'};
      case 6 -> new byte[] {(byte) 0xEF, (byte) 0xBB, (byte) 0xBF, '{', '}'};
      case 7 -> {
        byte[] b = new byte[1 + r.nextInt(600)];
        for (int i = 0; i < b.length; i++) {
          b[i] = (byte) r.nextInt(256);
        }
        yield b;
      }
      case 8 -> utf8("[".repeat(BODY_MAX / 2) + "]".repeat(BODY_MAX / 2 - 1));
      case 9 -> utf8("{\"a\":".repeat(300) + "1" + "}".repeat(300));
      case 10 -> utf8("\"" + "x".repeat(BODY_MAX + 1 + r.nextInt(20000)) + "\"");
      case 11 -> utf8("\"" + "x".repeat(BODY_MAX - 2) + "\"");
      case 12 -> utf8("message=" + pick("hi", "%ZZ", "a%0Ab", "") + "&message=two");
      case 13 -> utf8(pick("1e999", "-0.0", "123456789012345678901234567890", "1E+400", "-1e-400", "0.1e1"));
      case 14 -> utf8("\"\\ud800\"");
      case 15 -> utf8("\"\\u0000\\r\\n\\u2028data: x\"");
      case 16 -> utf8("{\"message\":" + json(2) + "}");
      case 17 -> utf8("{\"to\":" + pick("\"c1\"", "1", "null", "\"bad id\"", "\"\"") + ",\"message\":" + json(1) + "}");
      case 18 -> utf8("{\"category\":" + pick("\"fz\"", "\"news\"", "\"a b\"", "\"\"", "null", "5", "\"" + "c".repeat(1025) + "\"")
          + ",\"data\":" + pick("null", "1", json(2)) + "}");
      case 19 -> utf8("{\"CATEGORY\":\"fz\",\"Data\":1,\"category\":\"fz2\"}");
      case 20 -> utf8("{\"body\":" + pick("\"hi\"", "1", "null", "[]", "\"\"") + "}");
      case 21 -> utf8(pick("null", "true", "false", "0", "\"\"", "[]", "{}"));
      default -> utf8(json(3));
    };
  }

  private String json(int depth) {
    int k = r.nextInt(depth <= 0 ? 6 : 8);
    return switch (k) {
      case 0 -> "null";
      case 1 -> r.nextBoolean() ? "true" : "false";
      case 2 -> Long.toString(r.nextLong());
      case 3 -> Double.toString(r.nextDouble() * 1e6);
      case 4 -> "\"" + pick("hi", "\\n\\r", "\\u00e9", "\u00e9\u4e2d\ud83d\ude00", "", "a\\\"b", "\\/") + "\"";
      case 5 -> "\"" + "s".repeat(r.nextInt(200)) + "\"";
      case 6 -> {
        StringBuilder b = new StringBuilder("[");
        int n = r.nextInt(4);
        for (int i = 0; i < n; i++) {
          b.append(i > 0 ? "," : "").append(json(depth - 1));
        }
        yield b.append(']').toString();
      }
      default -> {
        StringBuilder b = new StringBuilder("{");
        int n = r.nextInt(4);
        for (int i = 0; i < n; i++) {
          b.append(i > 0 ? "," : "").append('"').append(pick("a", "b", "message", "", "a")).append("\":")
              .append(json(depth - 1));
        }
        yield b.append('}').toString();
      }
    };
  }

  // ---- helpers ----

  private String insert(String s, String what) {
    int at = s.isEmpty() ? 0 : 1 + r.nextInt(s.length());
    return s.substring(0, Math.min(at, s.length())) + what + s.substring(Math.min(at, s.length()));
  }

  private String pick(String... options) {
    return options[r.nextInt(options.length)];
  }

  private static byte[] utf8(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  /** Request line and headers: each char is one byte (so "\u00e9" is the raw byte 0xE9, not UTF-8). */
  private static void write(ByteArrayOutputStream out, String s) {
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c < 0x100) {
        out.write(c);
      } else {
        out.writeBytes(String.valueOf(c).getBytes(StandardCharsets.UTF_8));
      }
    }
  }
}
