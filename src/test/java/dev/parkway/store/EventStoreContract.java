package dev.parkway.store;

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
import java.util.function.Function;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * The {@link EventStore} contract, written once and run against every store: extend it, say how to open
 * the store under test on a hand-driven clock, and (for a durable store) how to reopen it.
 *
 * <p>Stores opened through {@link #store} are closed after each test.
 */
public abstract class EventStoreContract {
  protected static final long T0 = 1_700_000_000_000L;
  protected final MutableClock clock = new MutableClock(T0);
  protected final List<String> told = new CopyOnWriteArrayList<>();
  private final List<EventStore> opened = new ArrayList<>();

  /** A new, empty store on {@code clock}, with the given retention per key. */
  protected abstract EventStore open(Function<String, Retention> retention, MutableClock clock);

  /**
   * Closes {@code store} and opens it again on the same data, as after a restart. Stores that keep
   * nothing across a restart return null (the restart tests are then skipped).
   */
  protected EventStore reopen(EventStore store, Function<String, Retention> retention, MutableClock clock) {
    return null;
  }

  @AfterEach
  void closeStores() {
    for (EventStore s : opened) {
      s.close();
    }
  }

  protected final EventStore opened(EventStore store) {
    opened.add(store);
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

  protected EventStore store(int count, Duration maxAge, Duration dedupe) {
    Retention retention = new Retention(count, maxAge, dedupe);
    return opened(open(channel -> retention, clock));
  }

  protected EventStore store() {
    return store(1000, Duration.ZERO, Duration.ofMinutes(5));
  }

  protected static List<Long> seqs(Slice slice) {
    return slice.events().stream().map(Event::seq).toList();
  }

  @Test
  void seqStartsAtOneAndGrowsByOnePerChannel() {
    EventStore store = store();
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
    EventStore store = store();
    Event e = store.append("news.x", "{\"k\":[1,2]}", null).event();
    assertThat(e.json())
        .isEqualTo("{\"channel\":\"news.x\",\"seq\":1,\"timestamp\":" + T0 + ",\"data\":{\"k\":[1,2]}}");
    assertThat(new String(e.jsonBytes(), java.nio.charset.StandardCharsets.UTF_8)).isEqualTo(e.json());
  }

  @Test
  void readAfterReturnsAtMostMaxEventsAfterTheGivenSeq() {
    EventStore store = store();
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
    EventStore store = store(3, Duration.ZERO, Duration.ofMinutes(5));
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
      EventStore store = store(retention, Duration.ZERO, Duration.ofMinutes(5));
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
    EventStore store = store(1000, Duration.ofSeconds(10), Duration.ofMinutes(5));
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
    EventStore store = store(1000, Duration.ofSeconds(10), Duration.ofMinutes(5));
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
    EventStore store = store();
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
    EventStore store = store();
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
    EventStore store = store(1000, Duration.ZERO, Duration.ofSeconds(60));
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
    EventStore store = store(1000, Duration.ZERO, Duration.ofSeconds(60));
    store.append("a", "1", "k");
    clock.advance(Duration.ofSeconds(61));
    store.trimExpired();
    clock.setMillis(T0 + 1_000); // back inside the window: only trimExpired can have forgotten the key
    assertThat(store.append("a", "1", "k").duplicate()).isFalse();
  }

  @Test
  void deleteKeepsTheHeadSoARecreatedChannelContinuesAfterIt() {
    EventStore store = store();
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
    EventStore store = store();
    assertThat(store.delete("nope")).isFalse();
    assertThat(told).isEmpty();
  }

  @Test
  void channelsUnderReturnsOnlyLiveChannelsStrictlyUnderThePrefix() {
    EventStore store = store();
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
    EventStore store = store();
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
    EventStore store = store(1000, Duration.ZERO, Duration.ofMinutes(5));
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
    EventStore store = store(2, Duration.ZERO, Duration.ofMinutes(5));
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
    EventStore store = opened(open(channel -> new Retention(10, Duration.ZERO, Duration.ZERO), clock));
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
    EventStore store = store(100_000, Duration.ZERO, Duration.ZERO);
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
    EventStore store = store(2, Duration.ofSeconds(10), Duration.ZERO);
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
    EventStore store = store();
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
    EventStore store =
        opened(
            open(
                ch -> ch.startsWith("@") ? new Retention(2, Duration.ZERO, Duration.ZERO) : new Retention(5, Duration.ZERO, Duration.ZERO),
                clock));
    for (int i = 0; i < 10; i++) {
      store.append("@bob", "0", null);
      store.append("news", "0", null);
    }
    assertThat(store.stats("@bob")).contains(new ChannelStats(10, 9, 2));
    assertThat(store.stats("news")).contains(new ChannelStats(10, 6, 5));
  }

  @Test
  void nowIsTheStoresClock() {
    EventStore store = store();
    clock.setMillis(T0 + 123);
    assertThat(store.now()).isEqualTo(T0 + 123);
    assertThat(store.append("a", "1", null).event().timestamp()).isEqualTo(store.now());
  }

  @Test
  void epochIsStableAndFitsInACursor() {
    EventStore store = store();
    assertThat(store.epoch()).isEqualTo(store.epoch());
    assertThat(dev.parkway.core.Names.isChannel(store.epoch())).isTrue();
  }

  @Test
  void concurrentAppendsWithOneIdempotencyKeyStoreExactlyOneEvent() throws Exception {
    EventStore store = store();
    int threads = 4;
    List<Appended> results = Collections.synchronizedList(new ArrayList<>());
    CountDownLatch start = new CountDownLatch(1);
    List<Thread> workers = new ArrayList<>();
    for (int t = 0; t < threads; t++) {
      String data = Integer.toString(t);
      Thread w = new Thread(() -> {
        try {
          start.await();
        } catch (InterruptedException e) {
          return;
        }
        for (int i = 0; i < 50; i++) {
          results.add(store.append("once", data, "key-" + i));
        }
      });
      w.start();
      workers.add(w);
    }
    start.countDown();
    for (Thread w : workers) {
      w.join();
    }
    assertThat(results.stream().filter(a -> !a.duplicate()).count()).isEqualTo(50);
    assertThat(store.stats("once")).contains(new ChannelStats(50, 1, 50));
    // Every caller of one key got the one event that key stored: each seq came back once per thread.
    assertThat(results.stream().collect(java.util.stream.Collectors.groupingBy(
            a -> a.event().seq(), java.util.stream.Collectors.counting())))
        .hasSize(50)
        .allSatisfy((seq, n) -> assertThat(n).isEqualTo(threads));
  }

  @Test
  void concurrentAppendersOnManyChannelsWhileReadersReadKeepEveryChannelConsecutive()
      throws Exception {
    EventStore store = store(100_000, Duration.ZERO, Duration.ZERO);
    int channels = 3;
    int each = 300;
    List<Thread> workers = new ArrayList<>();
    List<Throwable> failures = new CopyOnWriteArrayList<>();
    CountDownLatch start = new CountDownLatch(1);
    for (int t = 0; t < 4; t++) {
      int writer = t;
      workers.add(new Thread(() -> {
        try {
          start.await();
          for (int i = 0; i < each; i++) {
            store.append("c" + (i % channels), "\"" + writer + ":" + i + "\"", null);
          }
        } catch (Throwable e) {
          failures.add(e);
        }
      }));
    }
    workers.add(new Thread(() -> { // a reader: whatever it sees is a consecutive run from 1
      try {
        start.await();
        for (int i = 0; i < 200; i++) {
          List<Long> seen = seqs(store.readAfter("c" + (i % channels), 0, 100_000));
          for (int k = 0; k < seen.size(); k++) {
            if (seen.get(k) != k + 1L) {
              throw new AssertionError("read " + seen);
            }
          }
        }
      } catch (Throwable e) {
        failures.add(e);
      }
    }));
    workers.forEach(Thread::start);
    start.countDown();
    for (Thread w : workers) {
      w.join();
    }
    assertThat(failures).isEmpty();
    for (int c = 0; c < channels; c++) {
      List<Event> events = store.readAfter("c" + c, 0, 100_000).events();
      assertThat(events).hasSize(4 * each / channels);
      for (int k = 0; k < events.size(); k++) {
        assertThat(events.get(k).seq()).isEqualTo(k + 1L);
      }
      // Each writer's events on a channel keep that writer's order.
      for (int writer = 0; writer < 4; writer++) {
        String tag = "\"" + writer + ":";
        List<Integer> order =
            events.stream()
                .map(Event::data)
                .filter(d -> d.startsWith(tag))
                .map(d -> Integer.parseInt(d.substring(tag.length(), d.length() - 1)))
                .toList();
        assertThat(order).isSorted();
      }
    }
  }

  // ---- Restart: only for stores that keep their history (reopen returns a store) ----

  private EventStore restarted(EventStore store, int count, Duration maxAge, Duration dedupe) {
    Retention retention = new Retention(count, maxAge, dedupe);
    opened.remove(store);
    EventStore again = reopen(store, channel -> retention, clock);
    Assumptions.assumeTrue(again != null, "this store keeps nothing across a restart");
    return opened(again);
  }

  @Test
  void aRestartKeepsEventsEpochAndSeqSoCursorsStayValid() {
    EventStore store = store(100, Duration.ZERO, Duration.ofMinutes(5));
    for (int i = 1; i <= 5; i++) {
      clock.setMillis(T0 + i);
      store.append("a", "{\"n\":" + i + "}", null);
    }
    store.append("b", "\"b1\"", null);
    String epoch = store.epoch();
    List<String> before = store.readAfter("a", 0, 100).events().stream().map(Event::json).toList();

    EventStore again = restarted(store, 100, Duration.ZERO, Duration.ofMinutes(5));
    assertThat(again.epoch()).isEqualTo(epoch);
    assertThat(again.readAfter("a", 0, 100).events()).extracting(Event::json).isEqualTo(before);
    assertThat(again.stats("b")).contains(new ChannelStats(1, 1, 1));
    assertThat(again.channelsUnder("")).containsExactlyInAnyOrder("a", "b");
    clock.setMillis(T0 + 100);
    assertThat(again.append("a", "6", null).event().seq()).isEqualTo(6);
  }

  @Test
  void aRestartRemembersDeletesAcknowledgementsAndTrims() {
    EventStore store = store(3, Duration.ZERO, Duration.ofMinutes(5));
    for (int i = 1; i <= 5; i++) {
      store.append("trimmed", Integer.toString(i), null); // count retention keeps 3..5
      store.append("gone", Integer.toString(i), null);
      store.append("@bob", Integer.toString(i), null);
    }
    store.delete("gone");
    store.acknowledge("@bob", 4);
    long lost = store.readAfter("trimmed", 0, 10).lostTimestamp();

    EventStore again = restarted(store, 3, Duration.ZERO, Duration.ofMinutes(5));
    Slice trimmed = again.readAfter("trimmed", 0, 10);
    assertThat(seqs(trimmed)).containsExactly(3L, 4L, 5L);
    assertThat(trimmed.lostTimestamp()).isEqualTo(lost);
    Slice gone = again.readAfter("gone", 0, 10);
    assertThat(gone.exists()).isFalse();
    assertThat(gone.events()).isEmpty();
    assertThat(again.append("gone", "6", null).event().seq()).isEqualTo(6); // head kept
    assertThat(seqs(again.readAfter("@bob", 0, 10))).containsExactly(5L);
    assertThat(again.acknowledge("@bob", 0)).isEqualTo(4);
  }

  @Test
  void aRestartKeepsIdempotencyKeysWithinTheWindow() {
    EventStore store = store(100, Duration.ZERO, Duration.ofMinutes(5));
    Appended original = store.append("a", "\"first\"", "k");
    EventStore again = restarted(store, 100, Duration.ZERO, Duration.ofMinutes(5));
    Appended repeat = again.append("a", "\"second\"", "k");
    assertThat(repeat.duplicate()).isTrue();
    assertThat(repeat.event().seq()).isEqualTo(original.event().seq());
    assertThat(repeat.event().data()).isEqualTo("\"first\"");
    assertThat(again.stats("a")).contains(new ChannelStats(1, 1, 1));
  }
}
