import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;

/**
 * HTTP/1.1 by hand for the load tools: requests written as text, responses parsed from bytes. Just
 * what Parkway and Nchan answer: a status line, headers, and a body framed by {@code Content-Length},
 * by chunks, or (a stream) by nothing at all.
 *
 * <p>Static methods are pure. A {@link Connection} or {@link Stream} belongs to one thread.
 */
final class HttpWire {
  private HttpWire() {}

  /** A parsed response; {@code consumed} is how many bytes of the buffer it took. Header names are lower case. */
  record Response(int status, Map<String, String> headers, String body, boolean close, int consumed) {
    String header(String name) {
      return headers.get(name);
    }
  }

  /** The loopback address {@code host} names; exits with code 2 for anything outside 127.0.0.0/8. */
  static InetAddress loopback(String tool, String host) {
    try {
      InetAddress addr = InetAddress.getByName(host);
      if (addr instanceof Inet4Address && (addr.getAddress()[0] & 0xff) == 127) {
        return addr;
      }
      System.err.println(tool + ": refusing " + host + " (" + addr.getHostAddress()
          + "): loopback 127.0.0.0/8 only");
    } catch (IOException e) {
      System.err.println(tool + ": cannot resolve " + host);
    }
    System.exit(2);
    return null;
  }

  /** A request as bytes: request line, Host, the given headers, Content-Length when there is a body. */
  static byte[] request(String method, String path, String host, Map<String, String> headers, String body) {
    byte[] payload = body == null ? new byte[0] : body.getBytes(StandardCharsets.UTF_8);
    StringBuilder req = new StringBuilder(160)
        .append(method).append(' ').append(path).append(" HTTP/1.1\r\nHost: ").append(host).append("\r\n");
    headers.forEach((k, v) -> req.append(k).append(": ").append(v).append("\r\n"));
    if (body != null) {
      req.append("Content-Length: ").append(payload.length).append("\r\n");
    }
    req.append("\r\n");
    byte[] head = req.toString().getBytes(StandardCharsets.US_ASCII);
    byte[] all = Arrays.copyOf(head, head.length + payload.length);
    System.arraycopy(payload, 0, all, head.length, payload.length);
    return all;
  }

  /** The end of the head ({@code \r\n\r\n}) in {@code buf[0..len)}, or -1. */
  static int headEnd(byte[] buf, int len) {
    return indexOf(buf, len, 0, "\r\n\r\n");
  }

  /** Parses one response from {@code buf[0..len)}; null if it is not complete yet. */
  static Response parse(byte[] buf, int len) throws IOException {
    int headEnd = headEnd(buf, len);
    if (headEnd < 0) {
      if (len > 64 * 1024) {
        throw new IOException("response head over 64 KiB");
      }
      return null;
    }
    Head head = head(buf, headEnd);
    int bodyStart = headEnd + 4;
    if (head.chunked) {
      ByteArrayOutputStream body = new ByteArrayOutputStream();
      int pos = bodyStart;
      while (true) {
        int lineEnd = indexOf(buf, len, pos, "\r\n");
        if (lineEnd < 0) {
          return null;
        }
        int size = chunkSize(new String(buf, pos, lineEnd - pos, StandardCharsets.ISO_8859_1));
        pos = lineEnd + 2;
        if (size == 0) {
          int end = indexOf(buf, len, pos, "\r\n"); // no trailers expected: just the final CRLF
          if (end < 0) {
            return null;
          }
          return new Response(head.status, head.headers, body.toString(StandardCharsets.UTF_8),
              head.close, end + 2);
        }
        if (pos + size + 2 > len) {
          return null;
        }
        body.write(buf, pos, size);
        pos += size + 2;
      }
    }
    if (head.length < 0) {
      // No length and not chunked: only a 204/304 may do that on a keep-alive connection.
      if (head.status == 204 || head.status == 304) {
        return new Response(head.status, head.headers, "", head.close, bodyStart);
      }
      throw new IOException("response without Content-Length (HTTP " + head.status + ")");
    }
    if (bodyStart + head.length > len) {
      return null;
    }
    return new Response(head.status, head.headers,
        new String(buf, bodyStart, (int) head.length, StandardCharsets.UTF_8), head.close,
        bodyStart + (int) head.length);
  }

  record Head(int status, Map<String, String> headers, long length, boolean chunked, boolean close) {}

  static Head head(byte[] buf, int headEnd) throws IOException {
    String[] lines = new String(buf, 0, headEnd, StandardCharsets.ISO_8859_1).split("\r\n");
    String[] status = lines[0].split(" ", 3);
    if (status.length < 2 || !status[0].startsWith("HTTP/1.")) {
      throw new IOException("bad status line: " + abbreviate(lines[0]));
    }
    Map<String, String> headers = new HashMap<>();
    for (int i = 1; i < lines.length; i++) {
      int colon = lines[i].indexOf(':');
      if (colon > 0) {
        headers.put(lines[i].substring(0, colon).trim().toLowerCase(Locale.ROOT),
            lines[i].substring(colon + 1).trim());
      }
    }
    String length = headers.get("content-length");
    String te = headers.get("transfer-encoding");
    String connection = headers.get("connection");
    return new Head(Integer.parseInt(status[1]), headers, length == null ? -1 : Long.parseLong(length),
        te != null && te.toLowerCase(Locale.ROOT).contains("chunked"),
        status[0].equals("HTTP/1.0") || "close".equalsIgnoreCase(connection));
  }

  private static int chunkSize(String line) throws IOException {
    int semi = line.indexOf(';');
    try {
      return Integer.parseInt((semi < 0 ? line : line.substring(0, semi)).trim(), 16);
    } catch (NumberFormatException e) {
      throw new IOException("bad chunk size line: " + abbreviate(line));
    }
  }

  static int indexOf(byte[] buf, int len, int from, String s) {
    outer:
    for (int i = from; i <= len - s.length(); i++) {
      for (int j = 0; j < s.length(); j++) {
        if (buf[i + j] != s.charAt(j)) {
          continue outer;
        }
      }
      return i;
    }
    return -1;
  }

  static String abbreviate(String s) {
    s = s.replaceAll("[\\r\\n]+", " ");
    return s.length() > 160 ? s.substring(0, 160) + "..." : s;
  }

  /**
   * The body of a response that never ends (Server-Sent Events), decoded as it arrives: fed raw bytes,
   * it parses the head once, then removes the chunk framing if the server chunks (Parkway does, Nchan
   * does not), and appends the text to {@link #text}, which the reader trims as it consumes frames.
   */
  static final class Stream {
    final StringBuilder text = new StringBuilder();
    private byte[] raw = new byte[1024];
    private int rawLen;
    private Head head; // null until the head has arrived
    private int chunkLeft = -1; // chunked: bytes left in this chunk; -1 = a size line is next

    /** The head, once it has arrived; null before. */
    Head head() {
      return head;
    }

    void feed(byte[] bytes, int off, int n) throws IOException {
      if (rawLen + n > raw.length) {
        raw = Arrays.copyOf(raw, Math.max(raw.length * 2, rawLen + n));
      }
      System.arraycopy(bytes, off, raw, rawLen, n);
      rawLen += n;
      int pos = 0;
      if (head == null) {
        int end = headEnd(raw, rawLen);
        if (end < 0) {
          if (rawLen > 64 * 1024) {
            throw new IOException("stream head over 64 KiB");
          }
          return;
        }
        head = HttpWire.head(raw, end);
        pos = end + 4;
      }
      if (!head.chunked) {
        text.append(new String(raw, pos, rawLen - pos, StandardCharsets.UTF_8));
        pos = rawLen;
      } else {
        while (pos < rawLen) {
          if (chunkLeft < 0) {
            int lineEnd = indexOf(raw, rawLen, pos, "\r\n");
            if (lineEnd < 0) {
              break;
            }
            int size = chunkSize(new String(raw, pos, lineEnd - pos, StandardCharsets.ISO_8859_1));
            if (size == 0) {
              throw new IOException("the server ended the stream");
            }
            chunkLeft = size;
            pos = lineEnd + 2;
          } else if (chunkLeft > 0) {
            int take = Math.min(chunkLeft, rawLen - pos);
            // A frame's UTF-8 is ASCII here (the tool publishes ASCII), so a split cannot cut a character.
            text.append(new String(raw, pos, take, StandardCharsets.UTF_8));
            pos += take;
            chunkLeft -= take;
          } else {
            if (rawLen - pos < 2) {
              break;
            }
            pos += 2; // the CRLF after a chunk
            chunkLeft = -1;
          }
        }
      }
      System.arraycopy(raw, pos, raw, 0, rawLen - pos);
      rawLen -= pos;
    }
  }

  /**
   * One blocking keep-alive connection for side requests (publish, channel info): reconnects when the
   * server closed it. {@code t0}, when given, gets {@code System.nanoTime()} just before the write.
   */
  static final class Connection implements AutoCloseable {
    private final InetSocketAddress target;
    private final String host;
    private final int timeoutMs;
    private Socket socket;
    private byte[] buf = new byte[4096];

    Connection(InetSocketAddress target, int timeoutMs) {
      this.target = target;
      this.host = target.getAddress().getHostAddress() + ":" + target.getPort();
      this.timeoutMs = timeoutMs;
    }

    Response send(String method, String path, Map<String, String> headers, String body, long[] t0)
        throws IOException {
      return send(request(method, path, host, headers, body), t0);
    }

    /** Sends a request already written out (see {@link HttpWire#request}). */
    Response send(byte[] req, long[] t0) throws IOException {
      for (int attempt = 0; ; attempt++) {
        boolean fresh = socket == null;
        if (fresh) {
          socket = new Socket();
          socket.setTcpNoDelay(true);
          socket.setSoTimeout(timeoutMs);
          socket.connect(target, timeoutMs);
        }
        try {
          return exchange(req, t0);
        } catch (IOException e) {
          close();
          // A kept-alive connection the server closed in between: retry once on a fresh one. Never
          // retry a fresh one (the request may have been acted on).
          if (fresh || attempt > 0) {
            throw e;
          }
        }
      }
    }

    private Response exchange(byte[] req, long[] t0) throws IOException {
      OutputStream out = socket.getOutputStream();
      InputStream in = socket.getInputStream();
      if (t0 != null) {
        t0[0] = System.nanoTime();
      }
      out.write(req);
      out.flush();
      int len = 0;
      while (true) {
        Response r = parse(buf, len);
        if (r != null) {
          if (r.close()) {
            close();
          }
          return r;
        }
        if (len == buf.length) {
          buf = Arrays.copyOf(buf, buf.length * 2);
        }
        int n = in.read(buf, len, buf.length - len);
        if (n < 0) {
          throw new IOException("connection closed before a full response");
        }
        len += n;
      }
    }

    @Override
    public void close() {
      if (socket != null) {
        try {
          socket.close();
        } catch (IOException e) {
          // closing anyway
        }
        socket = null;
      }
    }
  }
}
