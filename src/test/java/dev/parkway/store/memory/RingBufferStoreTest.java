package dev.parkway.store.memory;

import static org.assertj.core.api.Assertions.assertThat;

import dev.parkway.core.Event;
import dev.parkway.core.EventStore;
import dev.parkway.core.EventStore.Appended;
import dev.parkway.core.EventStore.ChannelStats;
import dev.parkway.core.EventStore.Slice;
import dev.parkway.core.MutableClock;
import dev.parkway.core.Retention;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.Test;

/** The in-memory store against the {@link EventStore} contract, on a hand-driven clock. */
class RingBufferStoreTest {
  private static final long T0 = 1_700_000_000_000L;
  private final MutableClock clock = new MutableClock(T0);
  private final List<String> told = new CopyOnWriteArrayList<>();

  private RingBufferStore store(int count, Duration maxAge, Duration dedupe) {
    RingBufferStore store = new RingBufferStore(new Retention(count, maxAge, dedupe), clock);
    store.setListener(
        new EventStore.ChangeListener() {
          @Override
          public void appended(String channel, long seq) {
            told.add("appended " + channel + " " + seq);
          }

          @Override
          public void deleted(String channel) {
            told.add("deleted " + channel);
          }
        });
    return store;
  }

  private RingBufferStore store() {
    return store(1000, Duration.ZERO, Duration.ofMinutes(5));
  }

  private static List<Long> seqs(Slice slice) {
    return slice.events().stream().map(Event::seq).toList();
  }

  @Test
  void seqStartsAtOneAndGrowsByOnePerChannel() {
    RingBufferStore store = store();
    assertThat(store.append("a", "1", null).event().seq()).isEqualTo(1);
    assertThat(store.append("a", "2", null).event().seq()).isEqualTo(2);
    assertThat(store.append("b", "1", null).event().seq()).isEqualTo(1);
    assertThat(store.append("a", "3", null).event().seq()).isEqualTo(3);

    Slice a = store.readAfter("a", 0, 10);
    assertThat(seqs(a)).containsExactly(1L, 2L, 3L);
    assertThat(a.events()).extracting(Event::data).containsExactly("1", "2", "3");
    assertThat(a.events()).extracting(Event::channel).containsOnly("a");
    assertThat(a.head()).isEqualTo(3);
    assertThat(a.oldest()).isEqualTo(1);
    assertThat(a.exists()).isTrue();
    assertThat(told).containsExactly("appended a 1", "appended a 2", "appended b 1", "appended a 3");
  }

  @Test
  void eventCarriesItsWireJsonBuiltOnce() {
    RingBufferStore store = store();
    Event e = store.append("news.x", "{\"k\":[1,2]}", null).event();
    assertThat(e.json())
        .isEqualTo("{\"channel\":\"news.x\",\"seq\":1,\"timestamp\":" + T0 + ",\"data\":{\"k\":[1,2]}}");
    assertThat(new String(e.jsonBytes(), java.nio.charset.StandardCharsets.UTF_8)).isEqualTo(e.json());
  }

  @Test
  void readAfterReturnsAtMostMaxEventsAfterTheGivenSeq() {
    RingBufferStore store = store();
    for (int i = 1; i <= 6; i++) {
      store.append("a", Integer.toString(i), null);
    }
    assertThat(seqs(store.readAfter("a", 2, 2))).containsExactly(3L, 4L);
    assertThat(seqs(store.readAfter("a", 4, 100))).containsExactly(5L, 6L);
    assertThat(store.readAfter("a", 6, 100).events()).isEmpty();
    assertThat(store.readAfter("a", 0, 0).events()).isEmpty();
    assertThat(store.readAfter("a", Long.MAX_VALUE, 10).events()).isEmpty();
  }

  @Test
  void retentionByCountDropsTheOldest() {
    RingBufferStore store = store(3, Duration.ZERO, Duration.ofMinutes(5));
    for (int i = 1; i <= 5; i++) {
      store.append("a", Integer.toString(i), null);
    }
    assertThat(store.stats("a")).contains(new ChannelStats(5, 3, 3));
    Slice slice = store.readAfter("a", 0, 10);
    assertThat(seqs(slice)).containsExactly(3L, 4L, 5L);
    assertThat(slice.oldest()).isEqualTo(3);
    assertThat(slice.head()).isEqualTo(5);
  }

  /** The ring wraps and grows; every read must still be the right consecutive run, checked against a model. */
  @Test
  void readsMatchAModelAcrossRingWrapAndGrowth() {
    Random random = new Random(42);
    for (int retention : new int[] {1, 5, 8, 9, 13, 40}) {
      RingBufferStore store = store(retention, Duration.ZERO, Duration.ofMinutes(5));
      for (long head = 1; head <= 120; head++) {
        store.append("r", Long.toString(head), null);
        long oldest = Math.max(1, head - retention + 1);
        assertThat(store.stats("r")).contains(new ChannelStats(head, oldest, (int) (head - oldest + 1)));
        long after = random.nextInt((int) head + 1); // 0 .. head
        int max = 1 + random.nextInt(retention + 3);
        List<Long> expected = new ArrayList<>();
        for (long s = Math.max(after + 1, oldest); s <= head && expected.size() < max; s++) {
          expected.add(s);
        }
        Slice slice = store.readAfter("r", after, max);
        assertThat(seqs(slice)).as("retention %d head %d after %d max %d", retention, head, after, max)
            .isEqualTo(expected);
        assertThat(slice.events()).extracting(Event::data)
            .isEqualTo(expected.stream().map(String::valueOf).toList());
        assertThat(slice.oldest()).isEqualTo(oldest);
      }
    }
  }

  @Test
  void retentionByAgeDropsOldEventsOnTrimExpired() {
    RingBufferStore store = store(1000, Duration.ofSeconds(10), Duration.ofMinutes(5));
    store.append("a", "1", null); // T0
    clock.advance(Duration.ofSeconds(5));
    store.append("a", "2", null); // T0 + 5 s
    clock.advance(Duration.ofSeconds(4));
    store.append("a", "3", null); // T0 + 9 s

    clock.setMillis(T0 + 12_000); // cutoff T0 + 2 s: only event 1 is too old
    store.trimExpired();
    // Step the clock back before looking, so a lazy trim on the read cannot be what removed it.
    clock.setMillis(T0);
    assertThat(seqs(store.readAfter("a", 0, 10))).containsExactly(2L, 3L);
    assertThat(store.stats("a")).contains(new ChannelStats(3, 2, 2));
  }

  @Test
  void retentionByAgeIsAlsoAppliedLazilyOnRead() {
    RingBufferStore store = store(1000, Duration.ofSeconds(10), Duration.ofMinutes(5));
    store.append("a", "1", null);
    clock.advance(Duration.ofSeconds(5));
    store.append("a", "2", null);
    clock.advance(Duration.ofSeconds(4));
    store.append("a", "3", null);

    clock.setMillis(T0 + 16_000); // cutoff T0 + 6 s: events 1 and 2 are too old; no trimExpired call
    Slice slice = store.readAfter("a", 0, 10);
    assertThat(seqs(slice)).containsExactly(3L);
    assertThat(slice.oldest()).isEqualTo(3);
    assertThat(store.firstSeqSince("a", 0)).isEqualTo(3);

    clock.setMillis(T0 + 60_000); // all gone; the channel still exists and keeps its head
    assertThat(store.stats("a")).contains(new ChannelStats(3, 4, 0));
    Slice empty = store.readAfter("a", 0, 10);
    assertThat(empty.events()).isEmpty();
    assertThat(empty.oldest()).isEqualTo(4);
    assertThat(empty.head()).isEqualTo(3);
    assertThat(empty.exists()).isTrue();
    assertThat(store.append("a", "4", null).event().seq()).isEqualTo(4);
  }

  @Test
  void timestampsNeverDecreaseWhenTheClockStepsBack() {
    RingBufferStore store = store();
    clock.setMillis(T0 + 5_000);
    long first = store.append("a", "1", null).event().timestamp();
    clock.setMillis(T0 + 3_000); // NTP stepped the wall clock back
    long second = store.append("a", "2", null).event().timestamp();
    clock.setMillis(T0 + 7_000);
    long third = store.append("a", "3", null).event().timestamp();

    assertThat(first).isEqualTo(T0 + 5_000);
    assertThat(second).isEqualTo(T0 + 5_000);
    assertThat(third).isEqualTo(T0 + 7_000);
    // Other channels are not held back by it.
    clock.setMillis(T0 + 1_000);
    assertThat(store.append("b", "1", null).event().timestamp()).isEqualTo(T0 + 1_000);
  }

  @Test
  void repeatedIdempotencyKeyReturnsTheOriginalEventAndStoresNothing() {
    RingBufferStore store = store();
    Appended original = store.append("a", "\"first\"", "key-1");
    clock.advance(Duration.ofSeconds(1));
    Appended repeat = store.append("a", "\"second\"", "key-1");

    assertThat(original.duplicate()).isFalse();
    assertThat(repeat.duplicate()).isTrue();
    assertThat(repeat.event()).isSameAs(original.event());
    assertThat(repeat.event().data()).isEqualTo("\"first\"");
    assertThat(store.stats("a")).contains(new ChannelStats(1, 1, 1));
    assertThat(told).containsExactly("appended a 1"); // nobody is woken for a repeat

    // Another key, or the same key on another channel, is a new event.
    assertThat(store.append("a", "\"third\"", "key-2").event().seq()).isEqualTo(2);
    assertThat(store.append("b", "\"x\"", "key-1").duplicate()).isFalse();
  }

  @Test
  void idempotencyKeyExpiresAfterTheDedupeWindow() {
    RingBufferStore store = store(1000, Duration.ZERO, Duration.ofSeconds(60));
    store.append("a", "1", "k");
    clock.advance(Duration.ofSeconds(59));
    assertThat(store.append("a", "1", "k").duplicate()).isTrue();
    clock.advance(Duration.ofSeconds(2)); // 61 s after the original
    Appended again = store.append("a", "1", "k");
    assertThat(again.duplicate()).isFalse();
    assertThat(again.event().seq()).isEqualTo(2);
    // ...and the new event starts a new window for the key.
    clock.advance(Duration.ofSeconds(30));
    assertThat(store.append("a", "1", "k").event().seq()).isEqualTo(2);
  }

  @Test
  void trimExpiredAlsoForgetsOldIdempotencyKeys() {
    RingBufferStore store = store(1000, Duration.ZERO, Duration.ofSeconds(60));
    store.append("a", "1", "k");
    clock.advance(Duration.ofSeconds(61));
    store.trimExpired();
    clock.setMillis(T0 + 1_000); // back inside the window: only trimExpired can have forgotten the key
    assertThat(store.append("a", "1", "k").duplicate()).isFalse();
  }

  @Test
  void deleteKeepsTheHeadSoARecreatedChannelContinuesAfterIt() {
    RingBufferStore store = store();
    for (int i = 1; i <= 3; i++) {
      store.append("a", Integer.toString(i), "k" + i);
    }
    assertThat(store.delete("a")).isTrue();
    assertThat(store.delete("a")).isFalse();
    assertThat(store.stats("a")).isEmpty();
    assertThat(store.channelsUnder("")).doesNotContain("a");
    Slice gone = store.readAfter("a", 0, 10);
    assertThat(gone.events()).isEmpty();
    assertThat(gone.exists()).isFalse();
    assertThat(gone.head()).isEqualTo(3);
    assertThat(gone.oldest()).isEqualTo(4);

    Appended recreated = store.append("a", "\"again\"", "k1"); // keys went with the old events
    assertThat(recreated.duplicate()).isFalse();
    assertThat(recreated.event().seq()).isEqualTo(4); // never 1 again: a client's cursor may hold 1..3
    assertThat(store.stats("a")).contains(new ChannelStats(4, 4, 1));
    assertThat(seqs(store.readAfter("a", 0, 10))).containsExactly(4L);
    assertThat(told).containsExactly(
        "appended a 1", "appended a 2", "appended a 3", "deleted a", "appended a 4");
  }

  @Test
  void deleteOfAnUnknownChannelIsFalseAndTellsNobody() {
    RingBufferStore store = store();
    assertThat(store.delete("nope")).isFalse();
    assertThat(told).isEmpty();
  }

  @Test
  void channelsUnderReturnsOnlyLiveChannelsStrictlyUnderThePrefix() {
    RingBufferStore store = store();
    for (String ch :
        List.of("news", "newsroom", "news-x", "news:x", "news.a", "news.b.c", "news.z", "sports.a", "a.news.b")) {
      store.append(ch, "1", null);
    }
    store.delete("news.z");
    assertThat(store.channelsUnder("news.")).containsExactly("news.a", "news.b.c");
    assertThat(store.channelsUnder("news.b.")).containsExactly("news.b.c");
    assertThat(store.channelsUnder("sports.")).containsExactly("sports.a");
    assertThat(store.channelsUnder("none.")).isEmpty();
    store.append("news.z", "2", null); // re-created: live again
    assertThat(store.channelsUnder("news.")).containsExactly("news.a", "news.b.c", "news.z");
  }

  @Test
  void readAfterOnAnUnknownChannelIsEmptyWithHeadZero() {
    RingBufferStore store = store();
    Slice slice = store.readAfter("ghost", 0, 10);
    assertThat(slice.events()).isEmpty();
    assertThat(slice.head()).isZero();
    assertThat(slice.oldest()).isEqualTo(1);
    assertThat(slice.exists()).isFalse();
    assertThat(store.stats("ghost")).isEmpty();
    assertThat(store.firstSeqSince("ghost", 0)).isEqualTo(1);
    assertThat(store.channelsUnder("")).isEmpty(); // reading did not create it
  }

  @Test
  void firstSeqSinceFindsTheFirstEventAtOrAfterATime() {
    RingBufferStore store = store(1000, Duration.ZERO, Duration.ofMinutes(5));
    clock.setMillis(1_000);
    store.append("a", "1", null);
    store.append("a", "2", null);
    clock.setMillis(2_000);
    store.append("a", "3", null);
    clock.setMillis(3_000);
    store.append("a", "4", null);

    assertThat(store.firstSeqSince("a", 0)).isEqualTo(1);
    assertThat(store.firstSeqSince("a", 1_000)).isEqualTo(1);
    assertThat(store.firstSeqSince("a", 1_001)).isEqualTo(3);
    assertThat(store.firstSeqSince("a", 2_000)).isEqualTo(3);
    assertThat(store.firstSeqSince("a", 3_000)).isEqualTo(4);
    assertThat(store.firstSeqSince("a", 3_001)).isEqualTo(5); // head + 1
  }

  @Test
  void firstSeqSinceNeverPointsBeforeTheOldestRetained() {
    RingBufferStore store = store(2, Duration.ZERO, Duration.ofMinutes(5));
    for (int i = 1; i <= 5; i++) {
      clock.setMillis(i * 1_000L);
      store.append("a", Integer.toString(i), null);
    }
    assertThat(store.firstSeqSince("a", 0)).isEqualTo(4);
    assertThat(store.firstSeqSince("a", 5_000)).isEqualTo(5);
    assertThat(store.firstSeqSince("a", 9_000)).isEqualTo(6);
  }

  @Test
  void theListenerIsToldOnlyAfterTheEventIsReadable() {
    RingBufferStore store = new RingBufferStore(new Retention(10, Duration.ZERO, Duration.ZERO), clock);
    List<List<Long>> seenByListener = new ArrayList<>();
    store.setListener(
        new EventStore.ChangeListener() {
          @Override
          public void appended(String channel, long seq) {
            seenByListener.add(seqs(store.readAfter(channel, seq - 1, 10)));
          }

          @Override
          public void deleted(String channel) {
            seenByListener.add(List.of(store.readAfter(channel, 0, 10).exists() ? 1L : 0L));
          }
        });
    store.append("a", "1", null);
    store.append("a", "2", null);
    store.delete("a");
    assertThat(seenByListener).containsExactly(List.of(1L), List.of(2L), List.of(0L));
  }

  @Test
  void concurrentAppendsToOneChannelGetDistinctConsecutiveSeqs() throws Exception {
    RingBufferStore store = store(100_000, Duration.ZERO, Duration.ZERO);
    int threads = 4;
    int each = 2_000;
    List<Long> seqs = Collections.synchronizedList(new ArrayList<>());
    CountDownLatch start = new CountDownLatch(1);
    List<Thread> workers = new ArrayList<>();
    for (int t = 0; t < threads; t++) {
      Thread w = new Thread(() -> {
        try {
          start.await();
        } catch (InterruptedException e) {
          return;
        }
        for (int i = 0; i < each; i++) {
          seqs.add(store.append("hot", "0", null).event().seq());
        }
      });
      w.start();
      workers.add(w);
    }
    start.countDown();
    for (Thread w : workers) {
      w.join();
    }
    List<Long> sorted = new ArrayList<>(seqs);
    Collections.sort(sorted);
    List<Long> expected = new ArrayList<>();
    for (long s = 1; s <= threads * each; s++) {
      expected.add(s);
    }
    assertThat(sorted).isEqualTo(expected);
    assertThat(seqs(store.readAfter("hot", 0, threads * each))).isEqualTo(expected);
  }

  @Test
  void lostTimestampNamesTheNewestEventRetentionDropped() {
    RingBufferStore store = store(2, Duration.ofSeconds(10), Duration.ZERO);
    assertThat(store.readAfter("a", 0, 10).lostTimestamp()).isEqualTo(Slice.NOTHING_LOST);
    for (int i = 1; i <= 3; i++) {
      clock.setMillis(T0 + i * 1_000L);
      store.append("a", Integer.toString(i), null);
    }
    assertThat(store.readAfter("a", 0, 10).lostTimestamp()).isEqualTo(T0 + 1_000); // dropped by count
    clock.setMillis(T0 + 12_500); // cutoff T0 + 2.5 s: event 2 ages out
    assertThat(store.readAfter("a", 0, 10).lostTimestamp()).isEqualTo(T0 + 2_000);
    store.delete("a"); // deleted, not lost
    assertThat(store.readAfter("a", 0, 10).lostTimestamp()).isEqualTo(Slice.NOTHING_LOST);
    store.append("a", "4", null);
    assertThat(store.readAfter("a", 0, 10).lostTimestamp()).isEqualTo(Slice.NOTHING_LOST);
  }

  @Test
  void acknowledgeDropsEventsUpToASeqWithoutCountingThemLost() {
    RingBufferStore store = store();
    for (int i = 1; i <= 4; i++) {
      store.append("@bob", Integer.toString(i), null);
    }
    assertThat(store.acknowledge("@bob", 2)).isEqualTo(2);
    Slice slice = store.readAfter("@bob", 0, 10);
    assertThat(seqs(slice)).containsExactly(3L, 4L);
    assertThat(slice.oldest()).isEqualTo(3);
    assertThat(slice.lostTimestamp()).isEqualTo(Slice.NOTHING_LOST);
    assertThat(store.acknowledge("@bob", 1)).as("never goes back").isEqualTo(2);
    assertThat(store.acknowledge("@bob", 9)).as("past the head: ignored").isEqualTo(2);
    assertThat(seqs(store.readAfter("@bob", 0, 10))).containsExactly(3L, 4L);
    assertThat(store.acknowledge("@bob", 4)).isEqualTo(4);
    assertThat(store.stats("@bob")).contains(new ChannelStats(4, 5, 0));
    assertThat(store.acknowledge("@nobody", 3)).isZero();
  }

  @Test
  void retentionCanBeChosenPerChannel() {
    RingBufferStore store =
        new RingBufferStore(
            ch -> ch.startsWith("@") ? new Retention(2, Duration.ZERO, Duration.ZERO) : new Retention(5, Duration.ZERO, Duration.ZERO),
            clock);
    for (int i = 0; i < 10; i++) {
      store.append("@bob", "0", null);
      store.append("news", "0", null);
    }
    assertThat(store.stats("@bob")).contains(new ChannelStats(10, 9, 2));
    assertThat(store.stats("news")).contains(new ChannelStats(10, 6, 5));
  }

  @Test
  void nowIsTheStoresClock() {
    RingBufferStore store = store();
    clock.setMillis(T0 + 123);
    assertThat(store.now()).isEqualTo(T0 + 123);
    assertThat(store.append("a", "1", null).event().timestamp()).isEqualTo(store.now());
  }

  @Test
  void closeForgetsEverything() {
    RingBufferStore store = store();
    store.append("a", "1", null);
    store.close();
    assertThat(store.stats("a")).isEmpty();
    assertThat(store.channelsUnder("")).isEmpty();
  }

  @Test
  void epochIsStableForAStoreAndDiffersBetweenStores() {
    RingBufferStore one = store();
    RingBufferStore two = store();
    assertThat(one.epoch()).isEqualTo(one.epoch()).isNotEqualTo(two.epoch());
    assertThat(dev.parkway.core.Names.isChannel(one.epoch())).isTrue(); // fits in a cursor
  }
}
