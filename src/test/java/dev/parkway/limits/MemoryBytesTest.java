package dev.parkway.limits;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.parkway.core.ChannelLimitException;
import dev.parkway.core.Event;
import dev.parkway.core.EventStore;
import dev.parkway.core.Retention;
import dev.parkway.store.memory.MemoryLimits;
import dev.parkway.store.memory.RingBufferStore;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The in-memory store's byte limits: per channel ({@code parkway.memory.channel.max-bytes}) and in all
 * ({@code parkway.memory.max-bytes}), and its channel count ({@code parkway.channels.max}). Whatever a
 * byte limit drops is lost the way retention loses events: the oldest retained seq moves and {@code
 * lostTimestamp} is set, so readers get a gap.
 */
class MemoryBytesTest {
  private static final Retention KEEP_1000 = new Retention(1000, Duration.ZERO, Duration.ofMinutes(5));
  private static final Clock CLOCK = Clock.fixed(Instant.parse("2026-01-01T00:00:00Z"), ZoneOffset.UTC);
  /** {"channel":"a","seq":N,"timestamp":1767225600000,"data":"xxxxxxxxxx"}: 68 or 69 bytes. */
  private static final String DATA = "\"xxxxxxxxxx\"";

  private static RingBufferStore store(int channels, long channelBytes, long totalBytes) {
    return new RingBufferStore(key -> KEEP_1000, CLOCK, new MemoryLimits(channels, channelBytes, totalBytes));
  }

  @Test
  void aChannelOverItsByteLimitDropsItsOldestEventsAsLost() {
    RingBufferStore store = store(0, 300, Long.MAX_VALUE);
    for (int i = 0; i < 10; i++) {
      store.append("a", DATA, null);
    }

    EventStore.Slice all = store.readAfter("a", 0, 100);

    assertThat(sizes(all)).isLessThanOrEqualTo(300);
    assertThat(all.events()).hasSize(4);
    assertThat(all.oldest()).isEqualTo(7);
    assertThat(all.head()).isEqualTo(10);
    assertThat(all.lostTimestamp()).isEqualTo(CLOCK.millis());
    assertThat(store.bytes()).isEqualTo(sizes(all));
  }

  @Test
  void anEventLargerThanTheChannelLimitIsStillKeptAlone() {
    RingBufferStore store = store(0, 1024, Long.MAX_VALUE);
    store.append("a", DATA, null);
    store.append("a", "\"" + "y".repeat(2000) + "\"", null);

    EventStore.Slice all = store.readAfter("a", 0, 100);

    assertThat(all.events()).extracting(Event::seq).containsExactly(2L);
  }

  @Test
  void theStoreOverItsTotalDropsTheOldestEventsOfAnyChannel() {
    RingBufferStore store = store(0, Long.MAX_VALUE, 700);
    for (int i = 0; i < 5; i++) {
      store.append("old", DATA, null);
    }
    for (int i = 0; i < 8; i++) {
      store.append("new", DATA, null);
    }

    EventStore.Slice old = store.readAfter("old", 0, 100);
    EventStore.Slice fresh = store.readAfter("new", 0, 100);

    // 13 events of 71 bytes: 923 > 700, so the 4 oldest of the store go, all of them from "old".
    assertThat(store.bytes()).isLessThanOrEqualTo(700).isEqualTo(sizes(old) + sizes(fresh));
    assertThat(old.events()).extracting(Event::seq).containsExactly(5L);
    assertThat(old.oldest()).isEqualTo(5);
    assertThat(old.lostTimestamp()).isEqualTo(CLOCK.millis());
    assertThat(fresh.events()).hasSize(8);
    assertThat(fresh.lostTimestamp()).isEqualTo(EventStore.Slice.NOTHING_LOST);
    assertThat(store.evicted()).isEqualTo(4);
  }

  @Test
  void bytesAreGivenBackByAcknowledgementDeletionAndRetention() {
    RingBufferStore store =
        new RingBufferStore(key -> new Retention(3, Duration.ZERO, Duration.ZERO), CLOCK, MemoryLimits.NONE);
    for (int i = 0; i < 10; i++) {
      store.append("a", DATA, null);
      store.append("@mailbox", DATA, null);
    }
    assertThat(store.bytes())
        .isEqualTo(sizes(store.readAfter("a", 0, 100)) + sizes(store.readAfter("@mailbox", 0, 100)));

    store.acknowledge("@mailbox", 10);
    store.delete("a");

    assertThat(store.bytes()).isZero();
    assertThat(store.channelCount()).isEqualTo(1); // the mailbox still exists, empty
  }

  @Test
  void channelsPastTheLimitAreRefusedUntilOneIsDeleted() {
    RingBufferStore store = store(2, Long.MAX_VALUE, Long.MAX_VALUE);
    store.append("a", DATA, null);
    store.append("@b", DATA, null);

    assertThatThrownBy(() -> store.append("c", DATA, null)).isInstanceOf(ChannelLimitException.class);
    assertThat(store.readAfter("c", 0, 10).exists()).isFalse();
    assertThat(store.append("a", DATA, null).event().seq()).isEqualTo(2);

    store.delete("a");
    assertThat(store.append("c", DATA, null).event().seq()).isEqualTo(1);
    assertThatThrownBy(() -> store.append("a", DATA, null))
        .as("re-creating a deleted channel takes a place again").isInstanceOf(ChannelLimitException.class);
    assertThat(store.channelCount()).isEqualTo(2);
  }

  @Test
  void concurrentPublishersKeepTheAccountsExactAndTheTotalBounded() throws Exception {
    RingBufferStore store = store(0, 2_000, 20_000);
    int threads = 4;
    int appends = 2_000;
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    CountDownLatch start = new CountDownLatch(1);
    try {
      List<Future<?>> done = new ArrayList<>();
      for (int t = 0; t < threads; t++) {
        int id = t;
        done.add(pool.submit(() -> {
          start.await();
          for (int i = 0; i < appends; i++) {
            store.append("ch-" + ((id + i) % 16), DATA, null);
          }
          return null;
        }));
      }
      start.countDown();
      for (Future<?> f : done) {
        f.get(30, TimeUnit.SECONDS);
      }
    } finally {
      pool.shutdownNow();
    }

    long held = 0;
    for (int c = 0; c < 16; c++) {
      EventStore.Slice slice = store.readAfter("ch-" + c, 0, 10_000);
      assertThat(sizes(slice)).isLessThanOrEqualTo(2_000);
      held += sizes(slice);
    }
    assertThat(store.bytes()).isEqualTo(held).isLessThanOrEqualTo(20_000);
  }

  @Test
  void theAppendOrderStaysProportionalToWhatIsHeld() {
    RingBufferStore store =
        new RingBufferStore(key -> new Retention(5, Duration.ZERO, Duration.ZERO), CLOCK,
            new MemoryLimits(0, Long.MAX_VALUE, 1L << 30));
    for (int i = 0; i < 20_000; i++) {
      store.append("busy", DATA, null); // count retention drops all but 5: stale entries pile up
      if (i % 1000 == 999) {
        store.trimExpired(); // the periodic sweep compacts
      }
    }

    store.trimExpired();

    assertThat(store.appendOrderSize()).isLessThanOrEqualTo(2 * 5 + 1024);
  }

  private static long sizes(EventStore.Slice slice) {
    return slice.events().stream().mapToLong(e -> e.jsonBytes().length).sum();
  }
}
