package dev.parkway.sse;

import dev.parkway.testing.RawHttp;
import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * A Server-Sent Events client over a plain socket, so tests see the exact bytes, can vanish abruptly, and
 * can stop reading. It decodes the chunked body and parses it as the HTML standard's event-stream parser
 * does (lines end at CRLF, CR or LF; a frame ends at an empty line; {@code data} lines join with LF).
 * A daemon thread reads until the stream ends or {@link #close} closes the socket.
 */
public final class SseClient implements AutoCloseable {
  /** One frame as a parser sees it; fields that were absent are null. A heartbeat has only comments. */
  public record Frame(String id, String event, String data, String retry, List<String> comments) {
    public boolean isCommentOnly() {
      return id == null && event == null && data == null && retry == null;
    }
  }

  /** How long a test waits for anything from the server. */
  public static final Duration PATIENCE = Duration.ofSeconds(10);

  private final Socket socket;
  private final int status;
  private final Map<String, String> headers;
  private final String errorBody;
  private final LinkedBlockingQueue<Frame> frames = new LinkedBlockingQueue<>();
  private final List<String> comments = new CopyOnWriteArrayList<>();
  private final StringBuffer raw = new StringBuffer();
  private volatile boolean ended;

  private SseClient(Socket socket, int status, Map<String, String> headers, String errorBody) {
    this.socket = socket;
    this.status = status;
    this.headers = headers;
    this.errorBody = errorBody;
  }

  /**
   * Sends {@code GET target} with {@code Accept: text/event-stream} and the given extra header lines
   * ({@code "Last-Event-ID: ..."}), reads the response head, and for a 200 starts reading the stream.
   */
  public static SseClient open(int port, String target, String... headerLines) throws IOException {
    Socket socket = connect(port, 0);
    socket.getOutputStream().write(request(target, headerLines));
    socket.getOutputStream().flush();
    InputStream in = new BufferedInputStream(socket.getInputStream());
    socket.setSoTimeout((int) PATIENCE.toMillis()); // the head must come promptly
    RawHttp.Head head = RawHttp.readHead(in);
    int status = head.status();
    Map<String, String> headers = head.headers();
    if (!"chunked".equalsIgnoreCase(headers.get("transfer-encoding"))) {
      int length = Integer.parseInt(headers.getOrDefault("content-length", "0"));
      String body = new String(in.readNBytes(length), StandardCharsets.UTF_8);
      return new SseClient(socket, status, headers, body);
    }
    socket.setSoTimeout(0); // a stream may be quiet for long; close() ends the reader
    SseClient client = new SseClient(socket, status, headers, null);
    Thread reader = new Thread(() -> client.readStream(in), "sse-test-client");
    reader.setDaemon(true);
    reader.start();
    return client;
  }

  /**
   * Opens a stream and never reads from it: a client that is too slow. {@code receiveBuffer} is the
   * socket's receive buffer, set before connecting so the TCP window stays small.
   */
  public static Socket openIdle(int port, String target, int receiveBuffer) throws IOException {
    Socket socket = connect(port, receiveBuffer);
    socket.getOutputStream().write(request(target));
    socket.getOutputStream().flush();
    return socket;
  }

  private static Socket connect(int port, int receiveBuffer) throws IOException {
    Socket socket = new Socket();
    if (receiveBuffer > 0) {
      socket.setReceiveBufferSize(receiveBuffer);
    }
    socket.connect(new InetSocketAddress("127.0.0.1", port), (int) PATIENCE.toMillis());
    return socket;
  }

  private static byte[] request(String target, String... headerLines) {
    StringBuilder sb = new StringBuilder();
    sb.append("GET ").append(target).append(" HTTP/1.1\r\n");
    sb.append("Host: 127.0.0.1\r\n");
    sb.append("Accept: text/event-stream\r\n");
    for (String line : headerLines) {
      sb.append(line).append("\r\n");
    }
    sb.append("\r\n");
    return sb.toString().getBytes(StandardCharsets.UTF_8);
  }

  // ---- the reader thread ----

  private final ByteArrayOutputStream line = new ByteArrayOutputStream();
  private boolean lastWasCr;
  private String id;
  private String event;
  private StringBuilder data;
  private String retry;
  private List<String> frameComments = new ArrayList<>();

  private void readStream(InputStream in) {
    try {
      while (true) {
        String sizeLine = readLine(in);
        int size = Integer.parseInt(sizeLine.split(";")[0].trim(), 16);
        if (size == 0) {
          break; // the last chunk: the server ended the stream
        }
        byte[] chunk = in.readNBytes(size);
        if (chunk.length < size) {
          break;
        }
        raw.append(new String(chunk, StandardCharsets.UTF_8));
        for (byte b : chunk) {
          parse(b);
        }
        readLine(in); // the CRLF after the chunk
      }
    } catch (IOException | RuntimeException e) {
      // the socket was closed (by us or by the server)
    } finally {
      ended = true;
    }
  }

  private static String readLine(InputStream in) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    while (true) {
      int b = in.read();
      if (b < 0) {
        throw new IOException("end of stream");
      }
      if (b == '\n') {
        String s = out.toString(StandardCharsets.ISO_8859_1);
        return s.endsWith("\r") ? s.substring(0, s.length() - 1) : s;
      }
      out.write(b);
    }
  }

  private void parse(byte b) {
    if (b == '\n' && lastWasCr) {
      lastWasCr = false;
      return; // the LF of a CRLF
    }
    lastWasCr = b == '\r';
    if (b == '\r' || b == '\n') {
      line(line.toString(StandardCharsets.UTF_8));
      line.reset();
    } else {
      line.write(b);
    }
  }

  private void line(String text) {
    if (text.isEmpty()) {
      Frame frame = new Frame(id, event, data == null ? null : data.toString(), retry, List.copyOf(frameComments));
      if (!frame.isCommentOnly() || !frame.comments().isEmpty()) {
        frames.add(frame);
      }
      id = null;
      event = null;
      data = null;
      retry = null;
      frameComments = new ArrayList<>();
      return;
    }
    if (text.startsWith(":")) {
      String comment = text.substring(1).stripLeading();
      frameComments.add(comment);
      comments.add(comment);
      return;
    }
    int colon = text.indexOf(':');
    String field = colon < 0 ? text : text.substring(0, colon);
    String value = colon < 0 ? "" : text.substring(colon + 1);
    if (value.startsWith(" ")) {
      value = value.substring(1);
    }
    switch (field) {
      case "id" -> id = value;
      case "event" -> event = value;
      case "retry" -> retry = value;
      case "data" -> {
        if (data == null) {
          data = new StringBuilder(value);
        } else {
          data.append('\n').append(value);
        }
      }
      default -> { } // ignored, as a browser does
    }
  }

  // ---- what tests read ----

  public int status() {
    return status;
  }

  /** A response header; names are matched in lower case. */
  public String header(String name) {
    return headers.get(name.toLowerCase(Locale.ROOT));
  }

  /** The body of a response that was not a stream (an error). */
  public String errorBody() {
    return errorBody;
  }

  /** The next frame, heartbeats included; fails if none comes within {@link #PATIENCE}. */
  public Frame next() {
    try {
      Frame frame = frames.poll(PATIENCE.toMillis(), TimeUnit.MILLISECONDS);
      if (frame == null) {
        throw new AssertionError("no frame within " + PATIENCE + "; received so far:\n" + raw);
      }
      return frame;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    }
  }

  /** The next frame that is not only comments (heartbeats are skipped). */
  public Frame nextEvent() {
    while (true) {
      Frame frame = next();
      if (!frame.isCommentOnly()) {
        return frame;
      }
    }
  }

  /** Frames received and not yet taken, heartbeats skipped. */
  public List<Frame> pendingEvents() {
    List<Frame> out = new ArrayList<>();
    for (Frame frame : frames) {
      if (!frame.isCommentOnly()) {
        out.add(frame);
      }
    }
    return out;
  }

  /** Every comment line received so far, without the colon and leading space. */
  public List<String> comments() {
    return comments;
  }

  /** The decoded body received so far, exactly as sent. */
  public String raw() {
    return raw.toString();
  }

  /** True once the server ended the stream (its last chunk) or the connection closed. */
  public boolean ended() {
    return ended;
  }

  @Override
  public void close() throws IOException {
    socket.close();
  }
}
