package dev.parkway.fuzz;

import java.nio.charset.StandardCharsets;

/**
 * One generated request: the exact bytes to send, and what the generator knows about them so the checker
 * can classify the answer.
 *
 * @param bytes everything written to the socket
 * @param method the method as sent
 * @param path the request target's path as sent (not decoded)
 * @param containerMayRefuse the request breaks HTTP or URL syntax the container checks before Parkway
 *     (illegal characters, a request line or headers over the limit, a bad Content-Length or
 *     Transfer-Encoding, a path the container will not decode): a non-JSON 400 from Tomcat is expected
 * @param truncatedBody the body is shorter than announced or its chunks never end; the socket's output is
 *     half-closed after sending so the server sees the end, and it may close without an answer
 * @param oversizedBody the body is over parkway.body.max: the server may answer early and close while the
 *     body is still being written
 * @param http09 the request line has no HTTP version: the container answers the HTTP/0.9 way, a body
 *     without status line or headers
 */
record FuzzRequest(
    byte[] bytes,
    String method,
    String path,
    boolean containerMayRefuse,
    boolean truncatedBody,
    boolean oversizedBody,
    boolean http09) {

  /** The request as printable Java-ish text: bytes outside printable ASCII are escaped. */
  String escaped() {
    return escape(bytes, 4000);
  }

  /**
   * Printable text for bytes: CR, LF, tab and backslash as Java escapes, other bytes outside printable ASCII
   * as {@code \\xNN}, and a run of 16 or more equal bytes as {@code <'x' x 5000>}.
   */
  static String escape(byte[] bytes, int max) {
    StringBuilder out = new StringBuilder();
    int i = 0;
    while (i < bytes.length && out.length() < max) {
      int b = bytes[i] & 0xff;
      int run = 1;
      while (i + run < bytes.length && bytes[i + run] == bytes[i]) {
        run++;
      }
      if (run >= 16) {
        out.append("<'").append(one(b)).append("' x ").append(run).append('>');
        i += run;
        continue;
      }
      out.append(one(b));
      if (b == '\n') {
        out.append('\n');
      }
      i++;
    }
    if (i < bytes.length) {
      out.append("... (").append(bytes.length - i).append(" more bytes)");
    }
    return out.toString();
  }

  private static String one(int b) {
    return switch (b) {
      case '\r' -> "\\r";
      case '\n' -> "\\n";
      case '\t' -> "\\t";
      case '\\' -> "\\\\";
      default -> b >= 0x20 && b < 0x7f ? String.valueOf((char) b) : String.format("\\x%02x", b);
    };
  }

  static byte[] ascii(String text) {
    return text.getBytes(StandardCharsets.ISO_8859_1);
  }
}
