package dev.parkway.fuzz;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * Sends one {@link FuzzRequest} on a fresh connection and reads what comes back, every read bounded by a
 * timeout. An event stream is read only up to its first frame and then closed.
 */
final class FuzzClient {
  /** What happened on the connection. */
  enum Kind { ANSWERED, HEADLESS_ANSWER, CLOSED_WITHOUT_ANSWER, TIMED_OUT, MALFORMED_ANSWER }

  record Result(Kind kind, String statusLine, int status, Map<String, String> headers, byte[] body,
      boolean writeFailed, String problem) {
    String contentType() {
      return headers.getOrDefault("content-type", "").toLowerCase(Locale.ROOT);
    }

    String bodyText() {
      return new String(body, StandardCharsets.UTF_8);
    }
  }

  private static final int MAX_BODY = 1 << 20;

  private final int port;
  private final int timeoutMillis;

  FuzzClient(int port, int timeoutMillis) {
    this.port = port;
    this.timeoutMillis = timeoutMillis;
  }

  /** Closes a socket whose exchange outlives the timeout, so no read can trickle on for ever. */
  private static final java.util.concurrent.ScheduledExecutorService WATCHDOG =
      java.util.concurrent.Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "fuzz-watchdog");
        t.setDaemon(true);
        return t;
      });

  Result exchange(FuzzRequest request) throws IOException {
    try (Socket socket = new Socket()) {
      java.util.concurrent.atomic.AtomicBoolean expired = new java.util.concurrent.atomic.AtomicBoolean();
      java.util.concurrent.ScheduledFuture<?> watchdog = WATCHDOG.schedule(() -> {
        expired.set(true);
        try {
          socket.close();
        } catch (IOException e) {
          // closing is all we want
        }
      }, 2L * timeoutMillis, java.util.concurrent.TimeUnit.MILLISECONDS);
      try {
        return exchange(request, socket, expired);
      } finally {
        watchdog.cancel(false);
      }
    }
  }

  private Result exchange(FuzzRequest request, Socket socket, java.util.concurrent.atomic.AtomicBoolean expired)
      throws IOException {
    {
      socket.connect(new InetSocketAddress("127.0.0.1", port), timeoutMillis);
      socket.setSoTimeout(timeoutMillis);
      boolean writeFailed = false;
      try {
        socket.getOutputStream().write(request.bytes());
        socket.getOutputStream().flush();
        if (request.truncatedBody()) {
          socket.shutdownOutput(); // the server sees the end of the body that never comes
        }
      } catch (IOException e) {
        writeFailed = true;
      }
      InputStream in = socket.getInputStream();
      try {
        while (true) {
          byte[] start = in.readNBytes(5);
          if (start.length == 0) {
            return new Result(Kind.CLOSED_WITHOUT_ANSWER, "", 0, Map.of(), new byte[0], writeFailed, null);
          }
          if (!new String(start, StandardCharsets.ISO_8859_1).equals("HTTP/")) {
            // no status line: an HTTP/0.9 answer (or garbage); the body is everything until the close, or
            // as much as came before the watchdog (an HTTP/0.9 event stream never closes)
            ByteArrayOutputStream restBytes = new ByteArrayOutputStream();
            try {
              byte[] buf = new byte[1024];
              int n;
              while ((n = in.read(buf)) >= 0 && restBytes.size() < MAX_BODY) {
                restBytes.write(buf, 0, n);
              }
            } catch (IOException e) {
              if (!expired.get()) {
                throw e;
              }
            }
            byte[] rest = restBytes.toByteArray();
            byte[] all = new byte[start.length + rest.length];
            System.arraycopy(start, 0, all, 0, start.length);
            System.arraycopy(rest, 0, all, start.length, rest.length);
            return new Result(Kind.HEADLESS_ANSWER, "", 0, Map.of(), all, writeFailed, "no status line");
          }
          String head = "HTTP/" + readHead(in);
          String[] lines = head.split("\r\n");
          String statusLine = lines[0];
          if (!statusLine.matches("HTTP/1\\.[01] [1-5][0-9][0-9]( .*)?")) {
            return new Result(Kind.MALFORMED_ANSWER, statusLine, 0, Map.of(), ascii(head), writeFailed,
                "malformed status line");
          }
          int status = Integer.parseInt(statusLine.substring(9, 12));
          Map<String, String> headers = new LinkedHashMap<>();
          for (int i = 1; i < lines.length; i++) {
            int colon = lines[i].indexOf(':');
            if (colon <= 0) {
              return new Result(Kind.MALFORMED_ANSWER, statusLine, status, headers, ascii(head), writeFailed,
                  "malformed header line: " + lines[i]);
            }
            headers.merge(lines[i].substring(0, colon).trim().toLowerCase(Locale.ROOT),
                lines[i].substring(colon + 1).trim(), (a, b) -> a + ", " + b);
          }
          if (status == 100) {
            continue; // an interim answer to Expect: 100-continue
          }
          byte[] body = body(in, request, status, headers);
          return new Result(Kind.ANSWERED, statusLine, status, headers, body, writeFailed, null);
        }
      } catch (SocketTimeoutException e) {
        return new Result(Kind.TIMED_OUT, "", 0, Map.of(), new byte[0], writeFailed,
            "no complete answer within " + timeoutMillis + " ms");
      } catch (IOException e) {
        if (expired.get()) {
          return new Result(Kind.TIMED_OUT, "", 0, Map.of(), new byte[0], writeFailed,
              "the answer was still coming after " + 2 * timeoutMillis + " ms");
        }
        // reset by the server; after a failed write of a body it refused early, that is expected
        return new Result(Kind.CLOSED_WITHOUT_ANSWER, "", 0, Map.of(), new byte[0], writeFailed, e.toString());
      }
    }
  }

  private static byte[] body(InputStream in, FuzzRequest request, int status, Map<String, String> headers)
      throws IOException {
    if (request.method().equals("HEAD") || status == 204 || status == 304) {
      return new byte[0];
    }
    String type = headers.getOrDefault("content-type", "").toLowerCase(Locale.ROOT);
    boolean chunked = headers.getOrDefault("transfer-encoding", "").toLowerCase(Locale.ROOT).contains("chunked");
    if (type.startsWith("text/event-stream")) {
      return firstFrame(in, chunked);
    }
    if (chunked) {
      return dechunk(in);
    }
    String length = headers.get("content-length");
    if (length != null) {
      int n = Integer.parseInt(length);
      byte[] body = in.readNBytes(Math.min(n, MAX_BODY));
      if (body.length < Math.min(n, MAX_BODY)) {
        throw new IOException("body shorter than its Content-Length: " + body.length + " < " + n);
      }
      return body;
    }
    return in.readNBytes(MAX_BODY); // until the server closes (we asked for Connection: close)
  }

  /** The stream's bytes up to the end of its first frame (an empty line), at most 4 KB. */
  private static byte[] firstFrame(InputStream in, boolean chunked) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    while (out.size() < 4096) {
      int b = in.read();
      if (b < 0) {
        break;
      }
      out.write(b);
      String s = out.toString(StandardCharsets.ISO_8859_1);
      if (s.contains("\n\n")) {
        break;
      }
    }
    String s = out.toString(StandardCharsets.ISO_8859_1);
    if (chunked) {
      int crlf = s.indexOf("\r\n");
      s = crlf >= 0 ? s.substring(crlf + 2) : s; // drop the first chunk-size line
    }
    return s.getBytes(StandardCharsets.ISO_8859_1);
  }

  private static byte[] dechunk(InputStream in) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    while (out.size() < MAX_BODY) {
      String line = readLine(in);
      int semi = line.indexOf(';');
      int size = Integer.parseInt((semi >= 0 ? line.substring(0, semi) : line).trim(), 16);
      if (size == 0) {
        while (!readLine(in).isEmpty()) {
          // trailers
        }
        break;
      }
      out.writeBytes(in.readNBytes(size));
      readLine(in);
    }
    return out.toByteArray();
  }

  private static String readLine(InputStream in) throws IOException {
    ByteArrayOutputStream line = new ByteArrayOutputStream();
    int b;
    while ((b = in.read()) >= 0 && b != '\n') {
      if (b != '\r') {
        line.write(b);
      }
    }
    if (b < 0) {
      throw new IOException("connection closed inside a chunked body");
    }
    return line.toString(StandardCharsets.ISO_8859_1);
  }

  /** The rest of the head (after its first bytes) up to its empty line, which is dropped. */
  private static String readHead(InputStream in) throws IOException {
    ByteArrayOutputStream head = new ByteArrayOutputStream();
    int matched = 0;
    while (matched < 4) {
      int b = in.read();
      if (b < 0) {
        throw new IOException("connection closed inside the answer's head: " + head.toString(StandardCharsets.ISO_8859_1));
      }
      head.write(b);
      matched = (b == "\r\n\r\n".charAt(matched)) ? matched + 1 : (b == '\r' ? 1 : 0);
      if (head.size() > 65536) {
        throw new IOException("answer head over 64 KB");
      }
    }
    String text = head.toString(StandardCharsets.ISO_8859_1);
    return text.substring(0, text.length() - 4);
  }

  private static byte[] ascii(String s) {
    return s.getBytes(StandardCharsets.ISO_8859_1);
  }
}
