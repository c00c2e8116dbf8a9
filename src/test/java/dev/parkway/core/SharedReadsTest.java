package dev.parkway.core;

import static dev.parkway.core.CoreFixture.request;
import static dev.parkway.core.CoreFixture.seqs;
import static dev.parkway.core.CoreFixture.sub;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A fan-out reads the store once for the polls that wait at the same place, and hands them one answer;
 * polls whose read differs (another place, another limit, a pattern) read on their own and get their own
 * events. Reads are counted at the store, below the broker.
 */
class SharedReadsTest {
  private final CoreFixture f = new CoreFixture();
  private final ConcurrentHashMap<String, AtomicInteger> reads = new ConcurrentHashMap<>();

  @BeforeEach
  void countReads() {
    f.store.beforeRead((channel, afterSeq) ->
        reads.computeIfAbsent(channel, c -> new AtomicInteger()).incrementAndGet());
  }

  private RecordingResponder park(Subscription s, int limit) {
    RecordingResponder r = new RecordingResponder();
    assertThat(f.broker.poll(request(s, new Start.Head(), 30_000, limit, null), r)).isNotNull();
    return r;
  }

  private int readsOf(String channel) {
    AtomicInteger n = reads.get(channel);
    return n == null ? 0 : n.get();
  }

  @Test
  void pollsWaitingAtTheHeadOfAChannelShareOneReadAndOneAnswer() {
    f.publish("a", "1");
    List<RecordingResponder> polls = new ArrayList<>();
    for (int i = 0; i < 50; i++) {
      polls.add(park(sub("a"), 100));
    }
    reads.clear();

    f.publish("a", "2");
    f.executor.runAll();

    assertThat(readsOf("a")).as("store reads of a in the fan-out").isEqualTo(1);
    Answer.Events first = polls.get(0).events();
    assertThat(seqs(first)).containsExactly(2L);
    for (RecordingResponder poll : polls) {
      assertThat(poll.events()).as("the same answer object").isSameAs(first);
    }
    assertThat(f.broker.parkedCount()).isZero();
  }

  @Test
  void pollsOverTheSameChannelsShareTooAndPollsThatReadDifferentlyReadAlone() {
    f.publish("n.a", "1");
    f.publish("n.b", "1");
    RecordingResponder twoA = park(sub("n.a", "n.b"), 100);
    RecordingResponder twoB = park(sub("n.a", "n.b"), 100);
    RecordingResponder otherLimit = park(sub("n.a", "n.b"), 7);
    RecordingResponder pattern = park(sub("n.*"), 100);
    reads.clear();

    f.publish("n.a", "2");
    f.executor.runAll();

    // one shared read of both for the two alike, one for the other limit, one for the pattern
    assertThat(readsOf("n.a")).isEqualTo(3);
    assertThat(readsOf("n.b")).isEqualTo(3);
    assertThat(twoB.events()).isSameAs(twoA.events());
    assertThat(otherLimit.events()).isNotSameAs(twoA.events());
    for (RecordingResponder poll : List.of(twoA, otherLimit, pattern)) {
      assertThat(CoreFixture.ids(poll.events())).containsExactly("n.a:2");
    }
  }

  @Test
  void pollsAtDifferentPlacesEachGetWhatTheyHaveNotSeen() {
    f.publish("a", "1");
    RecordingResponder behind = park(sub("a"), 100); // parked after seq 1
    f.publish("a", "2");
    f.executor.runAll(); // answers `behind` with seq 2
    RecordingResponder atHead = park(sub("a"), 100); // parked after seq 2
    RecordingResponder fromOne = new RecordingResponder(); // a bare seq: its cursor is built anew
    f.broker.poll(request(sub("a"), new Start.AfterSeq(2), 30_000, 100, null), fromOne);
    reads.clear();

    f.publish("a", "3");
    f.executor.runAll();

    assertThat(seqs(behind.events())).containsExactly(2L);
    assertThat(seqs(atHead.events())).containsExactly(3L);
    assertThat(seqs(fromOne.events())).containsExactly(3L);
    assertThat(readsOf("a")).isEqualTo(1); // both wait after seq 2: one read
  }
}
