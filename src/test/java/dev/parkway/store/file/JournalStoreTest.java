package dev.parkway.store.file;

import static dev.parkway.store.file.StoreDir.data;
import static dev.parkway.store.file.StoreDir.seqs;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.parkway.core.Event;
import dev.parkway.core.EventStore.Appended;
import dev.parkway.core.EventStore.ChannelStats;
import dev.parkway.core.EventStore.Slice;
import dev.parkway.core.MutableClock;
import dev.parkway.core.Retention;
import dev.parkway.core.StoreUnavailableException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The file store's own promises: what survives a restart, and what memory and disk it keeps. */
class JournalStoreTest {
  private static final long T0 = 1_700_000_000_000L;
  private static final Retention KEEP_ALL = new Retention(1_000_000, Duration.ZERO, Duration.ofMinutes(5));

  private static final Duration PATIENCE = Duration.ofSeconds(10);
  private final MutableClock clock = new MutableClock(T0);
  @TempDir Path tmp;
  private StoreDir dir;

  @BeforeEach
  void setUp() {
    dir = new StoreDir(tmp.resolve("data"), clock);
  }

  @Test
  void eventsRoundTripThroughARestartWithEpochSeqTimestampAndData() {
    String epoch;
    List<Event> before;
    try (JournalStore store = dir.open(KEEP_ALL)) {
      epoch = store.epoch();
      store.append("news", "{\"n\":1,\"s\":\"h\\u00e9\"}", null);
      clock.advance(Duration.ofMillis(7));
      store.append("news", "[1,2,3]", null);
      store.append("@client-1", "\"for you\"", null);
      before = store.readAfter("news", 0, 10).events();
    }
    try (JournalStore store = dir.open(KEEP_ALL)) {
      assertThat(store.epoch()).isEqualTo(epoch).startsWith("f");
      Slice news = store.readAfter("news", 0, 10);
      assertThat(news.events()).extracting(Event::json).isEqualTo(before.stream().map(Event::json).toList());
      assertThat(news.events().get(1).timestamp()).isEqualTo(T0 + 7);
      assertThat(store.readAfter("@client-1", 0, 10).events().get(0).json())
          .isEqualTo("{\"client\":\"client-1\",\"seq\":1,\"timestamp\":" + (T0 + 7) + ",\"data\":\"for you\"}");
      clock.advance(Duration.ofMillis(1));
      Appended next = store.append("news", "3", null);
      assertThat(next.event().seq()).isEqualTo(3);
      assertThat(store.stats("news")).contains(new ChannelStats(3, 1, 3));
    }
  }

  @Test
  void timestampsNeverGoBackAcrossARestartEvenIfTheClockDid() {
    try (JournalStore store = dir.open(KEEP_ALL)) {
      store.append("a", "1", null);
    }
    clock.setMillis(T0 - 60_000);
    try (JournalStore store = dir.open(KEEP_ALL)) {
      assertThat(store.append("a", "2", null).event().timestamp()).isEqualTo(T0);
    }
  }

  @Test
  void aDeletedChannelStaysDeletedAndKeepsItsHeadAcrossARestart() {
    try (JournalStore store = dir.open(KEEP_ALL)) {
      for (int i = 1; i <= 3; i++) {
        store.append("a", Integer.toString(i), "k" + i);
      }
      assertThat(store.delete("a")).isTrue();
    }
    try (JournalStore store = dir.open(KEEP_ALL)) {
      assertThat(store.stats("a")).isEmpty();
      assertThat(store.channelsUnder("")).doesNotContain("a");
      Slice gone = store.readAfter("a", 0, 10);
      assertThat(gone.exists()).isFalse();
      assertThat(gone.head()).isEqualTo(3);
      assertThat(gone.events()).isEmpty();
      assertThat(store.delete("a")).isFalse();
      Appended again = store.append("a", "\"again\"", "k1"); // the keys went with the channel
      assertThat(again.duplicate()).isFalse();
      assertThat(again.event().seq()).isEqualTo(4);
    }
  }

  @Test
  void acknowledgedMessagesStayGoneAfterARestart() {
    try (JournalStore store = dir.open(KEEP_ALL)) {
      for (int i = 1; i <= 5; i++) {
        store.append("@c", Integer.toString(i), null);
      }
      assertThat(store.acknowledge("@c", 3)).isEqualTo(3);
      assertThat(store.acknowledge("@c", 2)).isEqualTo(3);
      assertThat(store.acknowledge("@c", 99)).isEqualTo(3); // past the head: ignored
    }
    try (JournalStore store = dir.open(KEEP_ALL)) {
      assertThat(store.acknowledge("@c", 0)).isEqualTo(3);
      Slice left = store.readAfter("@c", 0, 10);
      assertThat(seqs(left)).containsExactly(4L, 5L);
      assertThat(left.lostTimestamp()).isEqualTo(Slice.NOTHING_LOST); // acknowledged, not lost
    }
  }

  @Test
  void idempotencyKeysSurviveARestartWithinTheirWindowOnly() {
    Retention window = new Retention(1000, Duration.ZERO, Duration.ofSeconds(60));
    try (JournalStore store = dir.open(window)) {
      store.append("a", "\"first\"", "key-1");
      clock.advance(Duration.ofSeconds(30));
      store.append("a", "\"second\"", "key-2");
    }
    clock.advance(Duration.ofSeconds(40)); // key-1 is 70 s old, key-2 40 s
    try (JournalStore store = dir.open(window)) {
      Appended repeat = store.append("a", "\"second\"", "key-2");
      assertThat(repeat.duplicate()).isTrue();
      assertThat(repeat.event().seq()).isEqualTo(2);
      assertThat(repeat.event().data()).isEqualTo("\"second\"");
      Appended expired = store.append("a", "\"first\"", "key-1");
      assertThat(expired.duplicate()).isFalse();
      assertThat(expired.event().seq()).isEqualTo(3);
    }
  }

  @Test
  void retentionTrimsStayTrimmedAfterARestartWithLooserRetention() {
    try (JournalStore store = dir.open(new Retention(3, Duration.ofSeconds(10), Duration.ZERO))) {
      for (int i = 1; i <= 6; i++) {
        clock.setMillis(T0 + i * 1_000L);
        store.append("a", Integer.toString(i), null);
      }
      clock.setMillis(T0 + 15_500); // cutoff T0 + 5.5 s: event 5 ages out, 4 went by count
      store.trimExpired();
    }
    clock.setMillis(T0 + 16_000);
    try (JournalStore store = dir.open(KEEP_ALL)) {
      Slice slice = store.readAfter("a", 0, 10);
      assertThat(seqs(slice)).containsExactly(6L);
      assertThat(slice.lostTimestamp()).isEqualTo(T0 + 5_000);
    }
  }

  @Test
  void aStoreReappliesItsRetentionToWhatItReplays() {
    try (JournalStore store = dir.open(KEEP_ALL)) {
      for (int i = 1; i <= 6; i++) {
        store.append("a", Integer.toString(i), null);
      }
    }
    try (JournalStore store = dir.open(new Retention(2, Duration.ZERO, Duration.ZERO))) {
      assertThat(seqs(store.readAfter("a", 0, 10))).containsExactly(5L, 6L);
    }
  }

  @Test
  void eventsOlderThanTheCachedWindowAreReadBackFromTheJournal() {
    int n = JournalChannel.WINDOW * 3;
    List<String> written = new ArrayList<>();
    try (JournalStore store = dir.open(KEEP_ALL)) {
      for (int i = 1; i <= n; i++) {
        written.add("{\"i\":" + i + "}");
        store.append("a", written.get(i - 1), null);
      }
      assertThat(data(store.readAfter("a", 0, n))).isEqualTo(written);
      assertThat(data(store.readAfter("a", 10, 5))).isEqualTo(written.subList(10, 15));
    }
    try (JournalStore store = dir.open(KEEP_ALL)) {
      assertThat(data(store.readAfter("a", n - 3, 10))).isEqualTo(written.subList(n - 3, n));
      assertThat(data(store.readAfter("a", 0, n))).isEqualTo(written);
      assertThat(data(store.readAfter("a", 100, 7))).isEqualTo(written.subList(100, 107));
    }
  }

  @Test
  void segmentsWhoseEventsRetentionDroppedAreDeleted() {
    dir.segmentBytes(StoreDir.SMALL_SEGMENT);
    String pad = "\"" + "x".repeat(1000) + "\"";
    try (JournalStore store = dir.open(new Retention(10, Duration.ZERO, Duration.ZERO))) {
      for (int i = 1; i <= 300; i++) {
        store.append("a", pad, null);
      }
      // About 300 KB went through 64 KiB segments; each roll deletes what is no longer needed.
      assertThat(dir.newestSegment().getFileName().toString()).isGreaterThanOrEqualTo("0000000005.journal");
      store.trimExpired();
      await().atMost(PATIENCE).until(store::idle);
      assertThat(dir.segments().size()).isLessThanOrEqualTo(2); // the ten retained events' segments
    }
    try (JournalStore store = dir.open(new Retention(10, Duration.ZERO, Duration.ZERO))) {
      assertThat(seqs(store.readAfter("a", 0, 100))).isEqualTo(range(291, 300));
      assertThat(store.append("a", "1", null).event().seq()).isEqualTo(301);
    }
  }

  @Test
  void deletedAndAcknowledgedEventsLeaveTheDiskAndTheirMarksSurviveTheirSegments() {
    dir.segmentBytes(StoreDir.SMALL_SEGMENT);
    String pad = "\"" + "x".repeat(1000) + "\"";
    Retention window = new Retention(1000, Duration.ZERO, Duration.ofSeconds(60));
    try (JournalStore store = dir.open(window)) {
      for (int i = 1; i <= 100; i++) {
        store.append("gone", pad, "k" + i);
        store.append("@m", pad, null);
      }
      store.append("kept", "1", null);
      assertThat(store.delete("gone")).isTrue();
      assertThat(store.acknowledge("@m", 100)).isEqualTo(100);
      for (int i = 0; i < 70; i++) {
        store.append("@m", pad, null); // fill the active segment so that the others are closed
      }
      store.acknowledge("@m", 170);
      Path oldest = dir.segments().get(0);
      store.trimExpired();
      await().atMost(PATIENCE).until(store::idle);
      // Nothing is retained in the oldest segment, but it holds keys of "gone": it stays for their minute.
      assertThat(dir.segments()).contains(oldest);
      clock.advance(Duration.ofSeconds(61));
      store.trimExpired();
      await().atMost(PATIENCE).until(store::idle);
      assertThat(dir.segments()).hasSize(2).doesNotContain(oldest); // "kept"'s segment, and the active one
    }
    try (JournalStore store = dir.open(window)) {
      assertThat(store.stats("gone")).isEmpty();
      assertThat(store.append("gone", "1", "k1").event().seq()).isEqualTo(101);
      assertThat(store.acknowledge("@m", 0)).isEqualTo(170);
      assertThat(store.readAfter("@m", 0, 10).events()).isEmpty();
      assertThat(store.append("@m", "1", null).event().seq()).isEqualTo(171);
      assertThat(seqs(store.readAfter("kept", 0, 10))).containsExactly(1L);
    }
  }

  @Test
  void aSecondStoreOnTheSameDirectoryIsRefused() {
    try (JournalStore store = dir.open(KEEP_ALL)) {
      assertThatThrownBy(() -> dir.open(KEEP_ALL))
          .isInstanceOf(StoreUnavailableException.class)
          .hasMessageContaining("in use");
      assertThat(store.healthy()).isTrue(); // the refused one changed nothing
    }
    dir.open(KEEP_ALL).close(); // released on close
  }

  private static List<Long> range(long from, long to) {
    List<Long> out = new ArrayList<>();
    for (long s = from; s <= to; s++) {
      out.add(s);
    }
    return out;
  }
}
