package dev.parkway.transport.direct;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

/**
 * {@link Wire}: the same bytes on every write, whether from the heap (the first whole write, a head, an
 * added {@code Connection} header) or from the one direct copy a shared answer gets, and from several
 * threads at once.
 */
class WireTest {
  private static final String HEAD = "HTTP/1.1 200 OK\r\ncontent-length: 11\r\n\r\n";
  private static final String ANSWER = HEAD + "{\"a\":\"ok\"}\n";

  private static Wire wire() {
    return new Wire(ANSWER.getBytes(StandardCharsets.US_ASCII), HEAD.length());
  }

  private static String text(ByteBuf buffer) {
    try {
      return buffer.toString(StandardCharsets.US_ASCII);
    } finally {
      buffer.release();
    }
  }

  @Test
  void aSharedAnswerIsCopiedToDirectMemoryOnceAndEveryWriteHasTheWholeAnswer() {
    Wire wire = wire();
    ByteBuf first = wire.buffer(false, false, false);
    assertThat(first.isDirect()).as("an answer written once gets no copy").isFalse();
    assertThat(text(first)).isEqualTo(ANSWER);
    for (int i = 0; i < 3; i++) {
      ByteBuf later = wire.buffer(false, false, false);
      assertThat(later.isDirect()).isTrue();
      assertThat(text(later)).isEqualTo(ANSWER);
    }
  }

  @Test
  void headAndConnectionHeaderVariantsAreUnchangedByTheCopy() {
    Wire wire = wire();
    text(wire.buffer(false, false, false));
    text(wire.buffer(false, false, false));
    assertThat(text(wire.buffer(true, false, false))).isEqualTo(HEAD);
    assertThat(text(wire.buffer(false, true, false)))
        .isEqualTo(HEAD.substring(0, HEAD.length() - 2) + "connection: close\r\n\r\n{\"a\":\"ok\"}\n");
    assertThat(text(wire.buffer(true, false, true)))
        .isEqualTo(HEAD.substring(0, HEAD.length() - 2) + "connection: keep-alive\r\n\r\n");
  }

  @Test
  void threadsWritingTheSameAnswerAtOnceEachGetTheWholeAnswer() throws Exception {
    Wire wire = wire();
    ExecutorService threads = Executors.newFixedThreadPool(4);
    try {
      List<Future<Integer>> results = new ArrayList<>();
      for (int t = 0; t < 4; t++) {
        results.add(threads.submit(() -> {
          int whole = 0;
          for (int i = 0; i < 2_000; i++) {
            // Read the way Netty's socket write does: through the buffer's internal NIO view.
            ByteBuf buffer = wire.buffer(false, false, false);
            try {
              java.nio.ByteBuffer view = buffer.internalNioBuffer(buffer.readerIndex(), buffer.readableBytes());
              byte[] read = new byte[view.remaining()];
              view.get(read);
              if (new String(read, StandardCharsets.US_ASCII).equals(ANSWER)) {
                whole++;
              }
            } finally {
              buffer.release();
            }
          }
          return whole;
        }));
      }
      for (Future<Integer> result : results) {
        assertThat(result.get()).isEqualTo(2_000);
      }
    } finally {
      threads.shutdownNow();
    }
  }
}
