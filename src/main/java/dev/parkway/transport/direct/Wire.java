package dev.parkway.transport.direct;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.nio.charset.StandardCharsets;

/**
 * One complete HTTP/1.1 answer as bytes: status line, headers, blank line, body. Built once and written
 * as is (no header objects, no encoder), and shared by every poll that gets the same answer. Immutable;
 * {@code bytes} is never modified after construction.
 *
 * @param headLength where the body starts (after the blank line)
 */
record Wire(byte[] bytes, int headLength) {
  private static final byte[] CLOSE = "connection: close\r\n\r\n".getBytes(StandardCharsets.US_ASCII);
  private static final byte[] KEEP_ALIVE =
      "connection: keep-alive\r\n\r\n".getBytes(StandardCharsets.US_ASCII);

  /**
   * The bytes to write for a request: the whole answer, or its head alone for {@code HEAD}, with a
   * {@code Connection} header when the connection is to close ({@code close}) or an HTTP/1.0 client
   * asked to keep it ({@code keepAlive10}). The array is wrapped, not copied.
   */
  ByteBuf buffer(boolean head, boolean close, boolean keepAlive10) {
    int end = head ? headLength : bytes.length;
    if (!close && !keepAlive10) {
      return Unpooled.wrappedBuffer(bytes, 0, end);
    }
    // The head ends with "\r\n\r\n": put the header before the last "\r\n".
    return Unpooled.wrappedBuffer(
        Unpooled.wrappedBuffer(bytes, 0, headLength - 2),
        Unpooled.wrappedBuffer(close ? CLOSE : KEEP_ALIVE),
        Unpooled.wrappedBuffer(bytes, headLength, end - headLength));
  }
}
