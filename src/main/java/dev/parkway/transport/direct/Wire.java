package dev.parkway.transport.direct;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/**
 * One complete HTTP/1.1 answer as bytes: status line, headers, blank line, body. Built once and written
 * as is (no header objects, no encoder), and shared by every poll that gets the same answer. Thread-safe;
 * the bytes are never modified after construction.
 *
 * <p><b>Shared answers in direct memory.</b> A socket write needs its bytes in direct memory, so Netty
 * copies a heap buffer into a pooled direct one for every write. An answer written whole a second time
 * (a fan-out: one answer for many polls) is copied into direct memory once, and every later write sends
 * a view of that copy. Each view is a buffer of its own (a {@link ByteBuffer#duplicate()}): event loops
 * may write the same answer at once, and a Netty buffer's internal NIO view is not safe to share. The
 * copy is ordinary JDK direct memory, freed with this object by the garbage collector. An answer written
 * once (most immediate answers) never gets a copy.
 */
final class Wire {
  private static final byte[] CLOSE = "connection: close\r\n\r\n".getBytes(StandardCharsets.US_ASCII);
  private static final byte[] KEEP_ALIVE =
      "connection: keep-alive\r\n\r\n".getBytes(StandardCharsets.US_ASCII);

  private final byte[] bytes;
  private final int headLength;
  /** Set by the first whole write: the second one makes {@link #direct}. Races only make a copy early. */
  private volatile boolean writtenOnce;
  /** The bytes in direct memory (position 0, limit the length); never modified once published. */
  private volatile ByteBuffer direct;

  /** @param headLength where the body starts (after the blank line) */
  Wire(byte[] bytes, int headLength) {
    this.bytes = bytes;
    this.headLength = headLength;
  }

  /**
   * The bytes to write for a request: the whole answer, or its head alone for {@code HEAD}, with a
   * {@code Connection} header when the connection is to close ({@code close}) or an HTTP/1.0 client
   * asked to keep it ({@code keepAlive10}). A new buffer each call; the bytes are shared, not copied
   * (but for the one copy into direct memory, see the class comment).
   */
  ByteBuf buffer(boolean head, boolean close, boolean keepAlive10) {
    int end = head ? headLength : bytes.length;
    if (!close && !keepAlive10) {
      return head ? Unpooled.wrappedBuffer(bytes, 0, end) : whole();
    }
    // The head ends with "\r\n\r\n": put the header before the last "\r\n".
    return Unpooled.wrappedBuffer(
        Unpooled.wrappedBuffer(bytes, 0, headLength - 2),
        Unpooled.wrappedBuffer(close ? CLOSE : KEEP_ALIVE),
        Unpooled.wrappedBuffer(bytes, headLength, end - headLength));
  }

  private ByteBuf whole() {
    ByteBuffer shared = direct;
    if (shared == null) {
      if (!writtenOnce) {
        writtenOnce = true;
        return Unpooled.wrappedBuffer(bytes);
      }
      shared = ByteBuffer.allocateDirect(bytes.length).put(bytes).flip();
      direct = shared;
    }
    // Wrapping a JDK buffer: Netty's release of it frees nothing; the collector frees the copy.
    return Unpooled.wrappedBuffer(shared.duplicate());
  }
}
