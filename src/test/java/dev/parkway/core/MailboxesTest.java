package dev.parkway.core;

import static dev.parkway.core.CoreFixture.T0;
import static dev.parkway.core.CoreFixture.seqs;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.parkway.store.memory.RingBufferStore;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Mailboxes: per-client queues on the channel machinery. Nothing is dropped for a client that is not
 * waiting, a cursor acknowledges, a poll without one redelivers what is unacknowledged, one parked poll per
 * client, and eviction (not acknowledgement) is a gap.
 */
class MailboxesTest {
  private final MutableClock clock = new MutableClock(T0);
  private final ManualTimer timer = new ManualTimer(clock);
  private final QueueExecutor executor = new QueueExecutor();
  private final RingBufferStore store =
      new RingBufferStore(
          key -> Mailboxes.isMailboxKey(key)
              ? new Retention(3, Duration.ofMinutes(10), Duration.ZERO)
              : CoreFixture.RETENTION,
          clock);
  private final Broker broker = new Broker(store, timer, executor, 2, 1 << 20);
  private final Mailboxes mailboxes = new Mailboxes(broker);

  private Answer.Events pollNow(String client, Start start) {
    RecordingResponder r = new RecordingResponder();
    assertThat(mailboxes.poll(client, start, 0, 100, r)).isNull();
    return r.events();
  }

  private static Start after(Cursor c) {
    return new Start.After(c);
  }

  @Test
  void aMailboxIsAStoreKeyNoChannelOrPatternCanName() {
    assertThat(Mailboxes.key("bob")).isEqualTo("@bob");
    assertThat(Names.isChannel(Mailboxes.key("bob"))).isFalse();
    assertThat(Subscription.parse(java.util.List.of("b.*")).matches("@b.x")).isFalse();
    assertThat(Mailboxes.isValidKey("@bob")).isTrue();
    assertThat(Mailboxes.isValidKey("@")).isFalse();
    assertThat(Mailboxes.isValidKey("bob")).isFalse();
    assertThat(Mailboxes.isValidKey("@" + "c".repeat(129))).isFalse();
  }

  @Test
  void aMessageForAClientThatIsNotWaitingIsQueuedNotDropped() {
    Published sent = mailboxes.send("bob", "{\"hi\":1}");
    assertThat(sent.subscribers()).isZero();
    mailboxes.send("bob", "2");
    Answer.Events e = pollNow("bob", new Start.Head());
    assertThat(seqs(e)).containsExactly(1L, 2L);
    assertThat(e.events().get(0).json())
        .isEqualTo("{\"client\":\"bob\",\"seq\":1,\"timestamp\":" + T0 + ",\"data\":{\"hi\":1}}");
    assertThat(pollNow("alice", new Start.Head()).events()).as("another client's mailbox").isEmpty();
  }

  @Test
  void aPollWithoutACursorRedeliversWhatIsUnacknowledged() {
    mailboxes.send("bob", "1");
    mailboxes.send("bob", "2");
    assertThat(seqs(pollNow("bob", new Start.Head()))).containsExactly(1L, 2L);
    // The client crashed before sending its cursor back: it gets them again.
    assertThat(seqs(pollNow("bob", new Start.Head()))).containsExactly(1L, 2L);
  }

  @Test
  void pollingWithTheCursorAcknowledgesAndDeletesAndThenParks() {
    mailboxes.send("bob", "1");
    mailboxes.send("bob", "2");
    Cursor got = pollNow("bob", new Start.Head()).cursor();

    RecordingResponder r = new RecordingResponder();
    assertThat(mailboxes.poll("bob", after(got), 30_000, 100, r)).isNotNull();
    assertThat(store.stats(Mailboxes.key("bob")).orElseThrow().buffered()).isZero();
    assertThat(pollNow("bob", new Start.Head()).events()).as("acknowledged means deleted").isEmpty();
    assertThat(pollNow("bob", new Start.Head()).gaps()).as("and is no gap").isEmpty();

    assertThat(mailboxes.send("bob", "3").subscribers()).isEqualTo(1);
    executor.runAll();
    assertThat(seqs(r.events())).containsExactly(3L);
  }

  @Test
  void aBareSeqAcknowledgesUpToIt() {
    for (int i = 1; i <= 3; i++) {
      mailboxes.send("bob", Integer.toString(i));
    }
    assertThat(seqs(pollNow("bob", new Start.AfterSeq(1)))).containsExactly(2L, 3L);
    assertThat(seqs(pollNow("bob", new Start.Head()))).containsExactly(2L, 3L);
    mailboxes.acknowledge("bob", 2);
    assertThat(seqs(pollNow("bob", new Start.Head()))).containsExactly(3L);
  }

  @Test
  void anOlderCursorAfterANewerOneNeitherRedeliversNorReportsAGap() {
    mailboxes.send("bob", "1");
    mailboxes.send("bob", "2");
    Cursor first = pollNow("bob", new Start.Head()).cursor(); // @bob=2
    Cursor older = new Cursor(first.epoch(), first.issuedAt(), Map.of(Mailboxes.key("bob"), 1L));
    mailboxes.send("bob", "3");
    assertThat(seqs(pollNow("bob", after(first)))).containsExactly(3L);
    Answer.Events again = pollNow("bob", after(older));
    assertThat(again.gaps()).isEmpty();
    assertThat(seqs(again)).containsExactly(3L);
  }

  @Test
  void capacityEvictionIsReportedAsAGap() {
    mailboxes.send("bob", "1");
    Cursor seenOne = pollNow("bob", new Start.Head()).cursor();
    for (int i = 2; i <= 6; i++) {
      mailboxes.send("bob", Integer.toString(i)); // capacity 3: 2 and 3 are evicted unread
    }
    Answer.Events e = pollNow("bob", after(seenOne));
    assertThat(e.gaps()).containsExactly(new Gap(Mailboxes.key("bob"), 2, 4));
    assertThat(seqs(e)).containsExactly(4L, 5L, 6L);
  }

  @Test
  void ttlEvictionIsReportedAsAGap() {
    mailboxes.send("bob", "1");
    Cursor seenNone = new Cursor(broker.epoch(), T0, Map.of(Mailboxes.key("bob"), 0L));
    clock.advance(Duration.ofMinutes(11));
    mailboxes.send("bob", "2");
    Answer.Events e = pollNow("bob", after(seenNone));
    assertThat(e.gaps()).containsExactly(new Gap(Mailboxes.key("bob"), 1, 2));
    assertThat(seqs(e)).containsExactly(2L);
  }

  @Test
  void aNewerPollSupersedesTheOlderForTheSameClient() {
    RecordingResponder phone = new RecordingResponder();
    RecordingResponder laptop = new RecordingResponder();
    RecordingResponder other = new RecordingResponder();
    mailboxes.poll("bob", new Start.Head(), 30_000, 100, phone);
    mailboxes.poll("alice", new Start.Head(), 30_000, 100, other);
    mailboxes.poll("bob", new Start.Head(), 30_000, 100, laptop);
    executor.runAll();
    assertThat(phone.events().reason()).isEqualTo(Answer.Reason.SUPERSEDED);
    assertThat(broker.parkedCount()).isEqualTo(2);

    mailboxes.send("bob", "\"for bob\"");
    executor.runAll();
    assertThat(seqs(laptop.events())).containsExactly(1L);
    assertThat(other.calls()).isZero();
    assertThat(phone.calls()).isEqualTo(1);
  }

  @Test
  void aCursorAheadOfTheMailboxHeadIsInvalidAndAcknowledgesNothing() {
    mailboxes.send("bob", "1");
    mailboxes.send("bob", "2");
    Cursor ahead = new Cursor(broker.epoch(), T0, Map.of(Mailboxes.key("bob"), 9L));
    assertThatThrownBy(() -> mailboxes.poll("bob", after(ahead), 0, 100, new RecordingResponder()))
        .isInstanceOf(InvalidCursorException.class);
    assertThat(seqs(pollNow("bob", new Start.Head()))).containsExactly(1L, 2L);
  }

  @Test
  void headStartsAtTheOldestUnacknowledgedMessage() {
    for (int i = 1; i <= 3; i++) {
      mailboxes.send("bob", Integer.toString(i));
    }
    mailboxes.acknowledge("bob", 1);
    assertThat(seqs(pollNow("bob", new Start.Head()))).containsExactly(2L, 3L);
    // One at a time, as the Gin route delivers: the oldest unacknowledged, then acknowledge it.
    RecordingResponder one = new RecordingResponder();
    mailboxes.poll("bob", new Start.Head(), 0, 1, one);
    assertThat(seqs(one.events())).containsExactly(2L);
    assertThat(one.events().more()).isTrue();
    mailboxes.acknowledge("bob", 2);
    assertThat(seqs(pollNow("bob", new Start.Head()))).containsExactly(3L);
  }

  @Test
  void anAcknowledgementBeyondTheHeadIsIgnoredAndDoesNotSwallowLaterMessages() {
    mailboxes.send("bob", "1");
    mailboxes.send("bob", "2");
    mailboxes.acknowledge("bob", 5);
    assertThat(seqs(pollNow("bob", new Start.Head()))).containsExactly(1L, 2L);
    mailboxes.send("bob", "3");
    mailboxes.send("bob", "4");
    mailboxes.send("bob", "5");
    // Capacity 3: 1 and 2 were evicted, but nothing was acknowledged ahead of time.
    assertThat(seqs(pollNow("bob", new Start.Head()))).containsExactly(3L, 4L, 5L);
    assertThat(store.stats(Mailboxes.key("bob")).orElseThrow().buffered()).isEqualTo(3);
  }

  @Test
  void aBareSeqPastTheHeadAcknowledgesNothing() {
    mailboxes.send("bob", "1");
    mailboxes.send("bob", "2");
    pollNow("bob", new Start.AfterSeq(9));
    assertThat(seqs(pollNow("bob", new Start.Head()))).containsExactly(1L, 2L);
  }

  @Test
  void aStaleCursorAfterANewerAcknowledgementIsNoGap() {
    Cursor empty = pollNow("bob", new Start.Head()).cursor(); // @bob=0
    for (int i = 1; i <= 3; i++) {
      mailboxes.send("bob", Integer.toString(i));
    }
    mailboxes.acknowledge("bob", 3); // say, the Gin route delivered all three
    for (int i = 4; i <= 6; i++) {
      mailboxes.send("bob", Integer.toString(i));
    }
    Answer.Events e = pollNow("bob", after(empty));
    assertThat(e.gaps()).as("1-3 left because they were acknowledged, not lost").isEmpty();
    assertThat(seqs(e)).containsExactly(4L, 5L, 6L);
    Answer.Events bare = pollNow("bob", new Start.AfterSeq(1));
    assertThat(bare.gaps()).isEmpty();
    assertThat(seqs(bare)).containsExactly(4L, 5L, 6L);
  }

  @Test
  void aStaleCursorSeesAGapOnlyForWhatWasLostUnread() {
    Cursor empty = pollNow("bob", new Start.Head()).cursor(); // @bob=0
    for (int i = 1; i <= 3; i++) {
      mailboxes.send("bob", Integer.toString(i));
    }
    mailboxes.acknowledge("bob", 2);
    for (int i = 4; i <= 6; i++) {
      mailboxes.send("bob", Integer.toString(i)); // capacity 3: evicts 3, which nobody acknowledged
    }
    Answer.Events e = pollNow("bob", after(empty));
    assertThat(e.gaps()).containsExactly(new Gap(Mailboxes.key("bob"), 3, 4));
    assertThat(seqs(e)).containsExactly(4L, 5L, 6L);
  }

  @Test
  void anAcknowledgementDoesNotAnswerAParkedPoll() {
    mailboxes.send("bob", "1");
    Cursor got = pollNow("bob", new Start.Head()).cursor();
    RecordingResponder parked = new RecordingResponder();
    assertThat(mailboxes.poll("bob", after(got), 30_000, 100, parked)).isNotNull();
    mailboxes.acknowledge("bob", 1);
    executor.runAll();
    assertThat(parked.answered()).isFalse();
    mailboxes.send("bob", "2");
    executor.runAll();
    assertThat(seqs(parked.events())).containsExactly(2L);
  }

  @Test
  void evictionIsAGapOnThePollWithoutACursorToo() {
    for (int i = 1; i <= 5; i++) {
      mailboxes.send("bob", Integer.toString(i)); // capacity 3: 1 and 2 are evicted unread
    }
    Answer.Events e = pollNow("bob", new Start.Head());
    assertThat(e.gaps()).containsExactly(new Gap(Mailboxes.key("bob"), 1, 3));
    assertThat(seqs(e)).containsExactly(3L, 4L, 5L);
  }
}
