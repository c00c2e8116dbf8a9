package dev.parkway.testing;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * HTTP/1.1 over a plain socket, for requests no client library will send: a body shorter than its
 * Content-Length, a chunked body that never ends, a malformed %-escape in the target, a client that
 * vanishes while parked. Not thread-safe; one connection per instance. {@link #readHead} also serves
 * clients that read the rest of an answer their own way (the SSE test client).
 */
public final class RawHttp implements AutoCloseable {
  /** A response head: status, and headers with names in lower case. */
  public record Head(int status, Map<String, String> headers) {}

  /** A parsed response: status, headers (names in lower case), body as text. */
  public record Response(int status, Map<String, String> headers, String body) {}

  private final Socket socket;

  public RawHttp(int port) throws IOException {
    this(port, Duration.ofSeconds(10));
  }

  /** Connects to 127.0.0.1:{@code port}; connecting and every read give up after {@code patience}. */
  public RawHttp(int port, Duration patience) throws IOException {
    socket = new Socket();
    socket.connect(new InetSocketAddress("127.0.0.1", port), (int) patience.toMillis());
    socket.setSoTimeout((int) patience.toMillis()); // a response that never comes fails the test instead of hanging it
  }

  public RawHttp send(String text) throws IOException {
    return send(text.getBytes(StandardCharsets.ISO_8859_1));
  }

  public RawHttp send(byte[] bytes) throws IOException {
    socket.getOutputStream().write(bytes);
    socket.getOutputStream().flush();
    return this;
  }

  /** Reads one response with a Content-Length body (every Parkway answer has one). */
  public Response read() throws IOException {
    InputStream in = socket.getInputStream();
    Head head = readHead(in);
    int length = Integer.parseInt(head.headers().getOrDefault("content-length", "0"));
    byte[] body = in.readNBytes(length);
    return new Response(head.status(), head.headers(), new String(body, StandardCharsets.UTF_8));
  }

  /**
   * Waits until the server closes the connection and returns what it sent meanwhile (nothing, for a
   * connection closed in silence). Throws {@link java.net.SocketTimeoutException} if it stays open past
   * the patience.
   */
  public byte[] awaitClosed() throws IOException {
    return socket.getInputStream().readAllBytes();
  }

  /** Reads one response whose body is everything until the server closes the connection. */
  public Response readToEnd() throws IOException {
    InputStream in = socket.getInputStream();
    Head head = readHead(in);
    return new Response(head.status(), head.headers(), new String(in.readAllBytes(), StandardCharsets.UTF_8));
  }

  /** Reads a response head up to and including its empty line, and parses it. */
  public static Head readHead(InputStream in) throws IOException {
    ByteArrayOutputStream head = new ByteArrayOutputStream();
    int matched = 0;
    while (matched < 4) {
      int b = in.read();
      if (b < 0) {
        throw new IOException("connection closed before the response head ended: " + head);
      }
      head.write(b);
      matched = (b == "\r\n\r\n".charAt(matched)) ? matched + 1 : (b == '\r' ? 1 : 0);
    }
    String[] lines = head.toString(StandardCharsets.ISO_8859_1).split("\r\n");
    int status = Integer.parseInt(lines[0].split(" ")[1]);
    Map<String, String> headers = new LinkedHashMap<>();
    for (int i = 1; i < lines.length; i++) {
      int colon = lines[i].indexOf(':');
      if (colon > 0) {
        headers.put(lines[i].substring(0, colon).trim().toLowerCase(Locale.ROOT), lines[i].substring(colon + 1).trim());
      }
    }
    return new Head(status, headers);
  }

  @Override
  public void close() throws IOException {
    socket.close();
  }
}
