package dev.parkway.transport.sse;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

/**
 * Encodes Server-Sent Events frames (the {@code text/event-stream} format of the HTML standard).
 *
 * <p><b>No frame can be forged.</b> An SSE parser ends a line at CR, LF or CRLF, and a frame at an empty
 * line, so a CR or LF inside a value could end the frame early and start one the server never wrote.
 * Every value is therefore treated as untrusted, whatever its source:
 *
 * <ul>
 *   <li>data is split at every CR, LF and CRLF into one {@code data:} line each. A parser joins those
 *       lines with LF, so the receiver gets the data back intact (CRLF and CR arrive as LF);
 *   <li>an {@code id} holding CR, LF or NUL is left out (a parser ignores an id with NUL, and a cut-down
 *       id would resume from the wrong place), so the receiver keeps its previous id;
 *   <li>CR, LF and NUL are removed from event names;
 *   <li>a comment is split into one {@code :} line per line.
 * </ul>
 *
 * <p>Splitting works on UTF-8 bytes: CR and LF never occur inside a multi-byte UTF-8 sequence. Stateless;
 * thread-safe.
 */
public final class SseFrames {
  private static final byte[] DATA = "data: ".getBytes(StandardCharsets.US_ASCII);
  private static final byte CR = '\r';
  private static final byte LF = '\n';

  private SseFrames() {}

  /**
   * A frame: {@code id: <id>} (left out when null or unsafe), {@code event: <type>} (left out when null),
   * then the data lines, then the empty line that dispatches it.
   */
  public static byte[] event(String id, String type, byte[] data) {
    ByteArrayOutputStream out = new ByteArrayOutputStream(data.length + 160);
    if (id != null && isSafeId(id)) {
      ascii(out, "id: ");
      utf8(out, id);
      out.write(LF);
    }
    if (type != null) {
      ascii(out, "event: ");
      utf8(out, stripBreaks(type));
      out.write(LF);
    }
    dataLines(out, data);
    out.write(LF);
    return out.toByteArray();
  }

  /** A frame of data lines only ({@code data: ...}), as the broadcast example's SSE demo sends them. */
  public static byte[] data(byte[] data) {
    return event(null, null, data);
  }

  /** A comment frame ({@code : text}), which parsers ignore; used for heartbeats. */
  public static byte[] comment(String text) {
    ByteArrayOutputStream out = new ByteArrayOutputStream(text.length() + 8);
    forEachLine(
        text.getBytes(StandardCharsets.UTF_8),
        (bytes, from, to) -> {
          out.write(':');
          out.write(' ');
          out.write(bytes, from, to - from);
          out.write(LF);
        });
    out.write(LF);
    return out.toByteArray();
  }

  /** A frame that only sets the client's reconnection delay ({@code retry: <ms>}); it dispatches nothing. */
  public static byte[] retry(long millis) {
    return ("retry: " + Math.max(0, millis) + "\n\n").getBytes(StandardCharsets.US_ASCII);
  }

  private static void dataLines(ByteArrayOutputStream out, byte[] data) {
    forEachLine(
        data,
        (bytes, from, to) -> {
          out.writeBytes(DATA);
          out.write(bytes, from, to - from);
          out.write(LF);
        });
  }

  /** Calls {@code line} for each line of {@code bytes}, split at CRLF, CR and LF (at least one line). */
  private static void forEachLine(byte[] bytes, LineSink line) {
    int start = 0;
    int i = 0;
    while (i < bytes.length) {
      byte b = bytes[i];
      if (b == CR || b == LF) {
        line.accept(bytes, start, i);
        i += (b == CR && i + 1 < bytes.length && bytes[i + 1] == LF) ? 2 : 1;
        start = i;
      } else {
        i++;
      }
    }
    line.accept(bytes, start, bytes.length);
  }

  private static boolean isSafeId(String id) {
    return id.indexOf('\r') < 0 && id.indexOf('\n') < 0 && id.indexOf('\0') < 0;
  }

  private static String stripBreaks(String s) {
    return s.replace("\r", "").replace("\n", "").replace("\0", "");
  }

  private static void ascii(ByteArrayOutputStream out, String s) {
    out.writeBytes(s.getBytes(StandardCharsets.US_ASCII));
  }

  private static void utf8(ByteArrayOutputStream out, String s) {
    out.writeBytes(s.getBytes(StandardCharsets.UTF_8));
  }

  @FunctionalInterface
  private interface LineSink {
    void accept(byte[] bytes, int from, int to);
  }
}
