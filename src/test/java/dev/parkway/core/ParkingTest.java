package dev.parkway.core;

import static dev.parkway.core.CoreFixture.after;
import static dev.parkway.core.CoreFixture.request;
import static dev.parkway.core.CoreFixture.seqs;
import static dev.parkway.core.CoreFixture.sub;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Parking a poll and every way it ends, on a hand-driven timer and a queue executor: each ending answers once,
 * cancels the deadline, and leaves nothing behind in the parking lot or the waiter index.
 */
class ParkingTest {
  private final CoreFixture f = new CoreFixture();

  private ParkedPoll park(Subscription s, Start start, RecordingResponder r) {
    ParkedPoll p = f.broker.poll(request(s, start), r);
    assertThat(p).as("parked").isNotNull();
    assertThat(r.calls()).isZero();
    return p;
  }

  private ParkedPoll park(Subscription s, Start start, String client, RecordingResponder r) {
    ParkedPoll p = f.broker.poll(request(s, start, 30_000, 100, client), r);
    assertThat(p).as("parked").isNotNull();
    assertThat(r.calls()).isZero();
    return p;
  }

  private void assertNothingLeft(String... channels) {
    assertThat(f.broker.parkedCount()).as("parked").isZero();
    for (String channel : channels) {
      assertThat(f.broker.subscribers(channel)).as("subscribers of %s", channel).isZero();
    }
    assertThat(f.timer.pending()).as("deadlines still queued").isZero();
  }

  @Test
  void pollIsAnsweredAtOnceOnTheCallersThreadWhenEventsExist() {
    f.publishN("a", 2);
    AtomicReference<Thread> answeredOn = new AtomicReference<>();
    RecordingResponder r = new RecordingResponder();
    ParkedPoll p =
        f.broker.poll(request(sub("a"), new Start.Oldest()), a -> {
          answeredOn.set(Thread.currentThread());
          r.answer(a);
        });
    assertThat(p).isNull();
    assertThat(answeredOn.get()).isSameAs(Thread.currentThread());
    assertThat(seqs(r.events())).containsExactly(1L, 2L);
    assertThat(r.events().reason()).isEqualTo(Answer.Reason.DATA);
    assertThat(f.executor.size()).isEqualTo(2); // only the publishes' own wake-ups
    assertNothingLeft("a");
  }

  @Test
  void timeoutZeroAnswersAtOnceWithReasonTimeout() {
    f.publishN("a", 2);
    RecordingResponder r = new RecordingResponder();
    assertThat(f.broker.poll(request(sub("a"), new Start.Head(), 0, 100, "c1"), r)).isNull();
    assertThat(r.events().reason()).isEqualTo(Answer.Reason.TIMEOUT);
    assertThat(r.events().events()).isEmpty();
    assertThat(r.events().cursor().positions()).containsExactly(Map.entry("a", 2L));
    assertThat(f.broker.counters().timeouts.sum()).isEqualTo(1);
    assertNothingLeft("a");
  }

  @Test
  void parkedPollIsWokenByAPublishWithExactlyTheNewEvent() {
    f.publishN("a", 3);
    RecordingResponder r = new RecordingResponder();
    park(sub("a"), new Start.Head(), r);
    assertThat(f.broker.parkedCount()).isEqualTo(1);
    assertThat(f.timer.pending()).isEqualTo(1);
    f.executor.runAll();

    Event e = f.publish("a", "{\"n\":4}");
    // Never answered on the publisher's thread: only the delivery executor wakes polls.
    assertThat(r.calls()).isZero();
    f.executor.runAll();

    assertThat(r.events().events()).containsExactly(e);
    assertThat(r.events().reason()).isEqualTo(Answer.Reason.DATA);
    assertThat(r.events().more()).isFalse();
    assertThat(r.events().cursor().positions()).containsExactly(Map.entry("a", 4L));
    assertNothingLeft("a");
  }

  @Test
  void deadlineAnswersTimeoutWithTheUnchangedCursor() {
    f.publishN("a", 3);
    f.executor.runAll();
    Cursor cursor = new Cursor(f.store.epoch(), Map.of("a", 3L));
    RecordingResponder r = new RecordingResponder();
    f.broker.poll(request(sub("a"), after(cursor), 5_000, 100, null), r);

    f.timer.advance(Duration.ofMillis(4_999));
    assertThat(f.executor.runAll()).isZero();
    assertThat(r.calls()).isZero();
    f.timer.advance(Duration.ofMillis(1));
    assertThat(r.calls()).as("the deadline hands off to the delivery executor").isZero();
    f.executor.runAll();

    assertThat(r.events().reason()).isEqualTo(Answer.Reason.TIMEOUT);
    assertThat(r.events().events()).isEmpty();
    assertThat(r.events().gaps()).isEmpty();
    assertThat(r.events().more()).isFalse();
    assertThat(r.events().cursor()).isEqualTo(cursor);
    assertThat(f.broker.counters().timeouts.sum()).isEqualTo(1);
    assertNothingLeft("a");
  }

  enum Ending {
    DATA,
    DEADLINE,
    CLIENT_GONE,
    SUPERSEDED,
    DELETED,
    SHUTDOWN
  }

  @ParameterizedTest
  @EnumSource(Ending.class)
  void everyEndingAnswersOnceAndDrainsTheParkingLot(Ending ending) {
    f.publishN("a", 1);
    f.publishN("b.x", 1);
    RecordingResponder r = new RecordingResponder();
    ParkedPoll p = park(sub("a", "b.*"), new Start.Head(), "client-1", r);
    assertThat(f.broker.parkedCount()).isEqualTo(1);
    assertThat(f.broker.subscribers("a")).isEqualTo(1);
    assertThat(f.broker.subscribers("b.x")).isEqualTo(1);
    RecordingResponder successor = new RecordingResponder();

    switch (ending) {
      case DATA -> f.publish("b.x", "2");
      case DEADLINE -> f.timer.advance(Duration.ofSeconds(30));
      case CLIENT_GONE -> assertThat(p.finish(new Answer.ClientGone())).isTrue();
      case SUPERSEDED -> park(sub("c"), new Start.Head(), "client-1", successor);
      case DELETED -> f.broker.delete("a");
      case SHUTDOWN -> f.broker.shutdown();
    }
    f.executor.runAll();

    Answer answer = r.single();
    switch (ending) {
      case DATA -> assertThat(CoreFixture.ids((Answer.Events) answer)).containsExactly("b.x:2");
      case DEADLINE -> assertThat(((Answer.Events) answer).reason()).isEqualTo(Answer.Reason.TIMEOUT);
      case CLIENT_GONE -> assertThat(answer).isInstanceOf(Answer.ClientGone.class);
      case SUPERSEDED -> assertThat(((Answer.Events) answer).reason()).isEqualTo(Answer.Reason.SUPERSEDED);
      case DELETED -> assertThat(answer).isEqualTo(new Answer.ChannelDeleted("a"));
      case SHUTDOWN -> assertThat(answer).isInstanceOf(Answer.ShuttingDown.class);
    }
    assertThat(p.isFinished()).isTrue();
    assertThat(p.finish(new Answer.ClientGone())).as("a later finish loses").isFalse();
    assertThat(p.awaitAnswered(Duration.ZERO)).isTrue();
    assertThat(f.broker.counters().answers.sum()).isEqualTo(1);
    if (ending == Ending.SUPERSEDED) {
      assertThat(f.broker.parkedCount()).isEqualTo(1); // the successor, still parked
      assertThat(f.broker.subscribers("c")).isEqualTo(1);
      assertThat(f.broker.subscribers("a")).isZero();
      assertThat(successor.calls()).isZero();
    } else {
      assertNothingLeft("a", "b.x");
    }
    // Whatever ended it, later events reach nobody twice.
    f.publish("a", "3");
    f.executor.runAll();
    assertThat(r.calls()).isEqualTo(1);
  }

  @Test
  void aNewerPollWithTheSameClientSupersedesTheOlderWhichAnswersWithItsCursor() {
    f.publishN("a", 2);
    RecordingResponder first = new RecordingResponder();
    RecordingResponder second = new RecordingResponder();
    ParkedPoll p1 = park(sub("a"), new Start.Head(), "phone", first);
    ParkedPoll p2 = park(sub("a"), new Start.Head(), "phone", second);
    assertThat(first.calls()).as("superseding is handed to the delivery executor").isZero();
    f.executor.runAll();

    assertThat(first.events().reason()).isEqualTo(Answer.Reason.SUPERSEDED);
    assertThat(first.events().events()).isEmpty();
    assertThat(first.events().cursor()).isEqualTo(p1.cursor());
    assertThat(second.calls()).isZero();
    assertThat(f.broker.parkedCount()).isEqualTo(1); // the map still holds the second
    assertThat(f.broker.subscribers("a")).isEqualTo(1);
    assertThat(f.timer.pending()).isEqualTo(1);
    assertThat(f.broker.counters().superseded.sum()).isEqualTo(1);

    f.publish("a", "3");
    f.executor.runAll();
    assertThat(seqs(second.events())).containsExactly(3L);
    assertThat(p2.isFinished()).isTrue();
    assertNothingLeft("a");
  }

  @Test
  void pollsWithDifferentOrNoClientIdsNeverSupersedeEachOther() {
    RecordingResponder[] rs = new RecordingResponder[4];
    for (int i = 0; i < rs.length; i++) {
      rs[i] = new RecordingResponder();
    }
    park(sub("a"), new Start.Head(), "c1", rs[0]);
    park(sub("a"), new Start.Head(), "c2", rs[1]);
    park(sub("a"), new Start.Head(), rs[2]);
    park(sub("a"), new Start.Head(), rs[3]);
    f.executor.runAll();
    assertThat(f.broker.parkedCount()).isEqualTo(4);
    f.publish("a", "1");
    f.executor.runAll();
    for (RecordingResponder r : rs) {
      assertThat(seqs(r.events())).containsExactly(1L);
    }
    assertNothingLeft("a");
  }

  @Test
  void deleteAnswersPollersThatNamedTheChannelButNotPatternPollers() {
    f.publishN("news.x", 2);
    f.publishN("other", 1);
    RecordingResponder named = new RecordingResponder();
    RecordingResponder namedAmongOthers = new RecordingResponder();
    RecordingResponder pattern = new RecordingResponder();
    RecordingResponder unrelated = new RecordingResponder();
    park(sub("news.x"), new Start.Head(), named);
    park(sub("other", "news.x"), new Start.Head(), namedAmongOthers);
    park(sub("news.*"), new Start.Head(), pattern);
    park(sub("other"), new Start.Head(), unrelated);

    assertThat(f.broker.delete("news.x")).isTrue();
    assertThat(named.calls()).as("answered on the delivery executor").isZero();
    f.executor.runAll();

    assertThat(named.single()).isEqualTo(new Answer.ChannelDeleted("news.x"));
    assertThat(namedAmongOthers.single()).isEqualTo(new Answer.ChannelDeleted("news.x"));
    assertThat(pattern.calls()).isZero();
    assertThat(unrelated.calls()).isZero();
    assertThat(f.broker.parkedCount()).isEqualTo(2);
    assertThat(f.broker.counters().deletedAnswers.sum()).isEqualTo(2);

    // The pattern poller goes on, and sees the re-created channel continue after its old head.
    f.publish("news.x", "\"again\"");
    f.executor.runAll();
    assertThat(CoreFixture.ids(pattern.events())).containsExactly("news.x:3");
    assertThat(unrelated.calls()).isZero();
  }

  @Test
  void deletingAChannelNobodyWaitsOnAnswersNobody() {
    f.publishN("a", 1);
    RecordingResponder r = new RecordingResponder();
    park(sub("b"), new Start.Head(), r);
    assertThat(f.broker.delete("a")).isTrue();
    assertThat(f.broker.delete("never")).isFalse();
    f.executor.runAll();
    assertThat(r.calls()).isZero();
  }

  @Test
  void shutdownAnswersEveryParkedPollAndRefusesNewOnes() {
    f.publishN("a", 1);
    RecordingResponder[] rs = {new RecordingResponder(), new RecordingResponder(), new RecordingResponder()};
    park(sub("a"), new Start.Head(), rs[0]);
    park(sub("b.*"), new Start.Head(), "x", rs[1]);
    park(sub("a", "c"), new Start.Head(), rs[2]);

    f.broker.shutdown();
    // On the calling thread: the executors are stopped by their owner right after.
    for (RecordingResponder r : rs) {
      assertThat(r.single()).isInstanceOf(Answer.ShuttingDown.class);
    }
    assertThat(f.broker.closing()).isTrue();
    assertNothingLeft("a", "b.x", "c");

    RecordingResponder late = new RecordingResponder();
    assertThat(f.broker.poll(request(sub("a"), new Start.Head()), late)).isNull();
    assertThat(late.single()).isInstanceOf(Answer.ShuttingDown.class);
    RecordingResponder lateWithData = new RecordingResponder();
    assertThat(f.broker.poll(request(sub("a"), new Start.Oldest()), lateWithData)).isNull();
    assertThat(lateWithData.single()).isInstanceOf(Answer.ShuttingDown.class);
    f.executor.runAll();
    assertNothingLeft("a");
    for (RecordingResponder r : rs) {
      assertThat(r.calls()).isEqualTo(1);
    }
  }

  @Test
  void subscribersCountsExactAndPatternWaiters() {
    park(sub("news.a"), new Start.Head(), new RecordingResponder());
    park(sub("news.*"), new Start.Head(), new RecordingResponder());
    park(sub("news.a.*"), new Start.Head(), new RecordingResponder());
    park(sub("other"), new Start.Head(), new RecordingResponder());

    assertThat(f.broker.subscribers("news.a")).isEqualTo(2);
    assertThat(f.broker.subscribers("news.b")).isEqualTo(1);
    assertThat(f.broker.subscribers("news.a.b")).isEqualTo(2);
    assertThat(f.broker.subscribers("news")).isZero();
    assertThat(f.broker.subscribers("newsroom")).isZero();
    assertThat(f.broker.subscribers("other")).isEqualTo(1);

    Published published = f.broker.publish("news.a", "1", null);
    assertThat(published.subscribers()).isEqualTo(2);
    assertThat(published.duplicate()).isFalse();
    f.executor.runAll();
    assertThat(f.broker.subscribers("news.a")).isZero();
    assertThat(f.broker.subscribers("news.b")).isZero();
    assertThat(f.broker.subscribers("news.a.b")).isEqualTo(1);
  }

  /**
   * A poll that names a channel and also covers it by a pattern is one subscriber. The wire's
   * {@code subscribers} is "pollers and streams it woke".
   */
  @Test
  void aPollCoveringAChannelTwiceCountsAsOneSubscriber() {
    park(sub("news.a", "news.*"), new Start.Head(), new RecordingResponder());
    assertThat(f.broker.subscribers("news.a")).isEqualTo(1);
    assertThat(f.broker.publish("news.a", "1", null).subscribers()).isEqualTo(1);
  }

  @Test
  void countersCountPublishedDuplicatesDeliveredTimeoutsAndAnswers() {
    f.broker.publish("a", "1", "k1");
    f.broker.publish("a", "1", "k1");
    Published dup = f.broker.publish("a", "1", "k1");
    assertThat(dup.duplicate()).isTrue();
    assertThat(dup.event().seq()).isEqualTo(1);
    f.broker.publish("a", "2", null);
    f.broker.publish("b", "1", null);
    Counters c = f.broker.counters();
    assertThat(c.published.sum()).isEqualTo(3);
    assertThat(c.duplicates.sum()).isEqualTo(2);

    RecordingResponder all = new RecordingResponder();
    f.broker.poll(request(sub("a", "b"), new Start.Oldest()), all);
    assertThat(c.delivered.sum()).isEqualTo(3);

    RecordingResponder waiting = new RecordingResponder();
    park(sub("a"), new Start.Head(), waiting);
    f.timer.advance(Duration.ofSeconds(30));
    f.executor.runAll();
    assertThat(c.timeouts.sum()).isEqualTo(1);

    RecordingResponder woken = new RecordingResponder();
    park(sub("b"), new Start.Head(), woken);
    f.publish("b", "2");
    f.executor.runAll();
    assertThat(c.delivered.sum()).isEqualTo(4);
    assertThat(c.published.sum()).isEqualTo(4);
    assertThat(c.answers.sum()).isEqualTo(3);
    assertThat(c.timeouts.sum()).isEqualTo(1);
  }

  @Test
  void aRepeatedIdempotencyKeyWakesNobodyAndCountsNoSubscribers() {
    RecordingResponder r = new RecordingResponder();
    f.broker.publish("a", "\"once\"", "k");
    f.executor.runAll();
    park(sub("a"), new Start.Head(), r);
    Published again = f.broker.publish("a", "\"once\"", "k");
    assertThat(again.duplicate()).isTrue();
    assertThat(again.subscribers()).isZero();
    assertThat(f.executor.size()).as("nothing to wake").isZero();
    assertThat(r.calls()).isZero();
    assertThat(f.broker.stats("a").orElseThrow().head()).isEqualTo(1);
  }

  @Test
  void aRepeatedIdempotencyKeyWithDifferentDataIsAConflictAndStoresNothing() {
    f.broker.publish("a", "\"first\"", "k");
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> f.broker.publish("a", "\"second\"", "k"))
        .isInstanceOf(IdempotencyConflictException.class);
    assertThat(f.broker.stats("a").orElseThrow().head()).isEqualTo(1);
    assertThat(f.broker.counters().published.sum()).isEqualTo(1);
    assertThat(f.broker.publish("b", "\"second\"", "k").duplicate()).as("keys are per channel").isFalse();
  }

  @Test
  void aLosingFinishCanWaitUntilTheWinnerHasWrittenItsAnswer() throws Exception {
    CountDownLatch inResponder = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    RecordingResponder recorded = new RecordingResponder();
    Thread testThread = Thread.currentThread();
    ParkedPoll p =
        f.broker.poll(request(sub("a"), new Start.Head()), a -> {
          recorded.answer(a);
          inResponder.countDown();
          if (Thread.currentThread() == testThread) {
            return; // answered on the publisher's thread: a bug the assertions below report
          }
          try {
            release.await(1, TimeUnit.MINUTES);
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
          }
        });
    f.publish("a", "1");
    Thread delivery = new Thread(f.executor::runAll, "delivery");
    delivery.start();
    assertThat(inResponder.await(1, TimeUnit.MINUTES)).isTrue();

    // The container's own timeout arrives while the winner is still writing: it loses, and must not
    // return before the response is complete.
    assertThat(p.finish(Answer.Events.empty(p.cursor(), Answer.Reason.TIMEOUT))).isFalse();
    assertThat(p.awaitAnswered(Duration.ZERO)).isFalse();
    release.countDown();
    assertThat(p.awaitAnswered(Duration.ofMinutes(1))).isTrue();
    delivery.join(TimeUnit.MINUTES.toMillis(1));
    assertThat(seqs(recorded.events())).containsExactly(1L);
  }

  @Test
  void aResponderThatThrowsStillEndsThePoll() {
    ParkedPoll p =
        f.broker.poll(request(sub("a"), new Start.Head()), a -> {
          throw new IllegalStateException("write failed");
        });
    f.publish("a", "1");
    java.util.logging.Logger brokerLog = java.util.logging.Logger.getLogger(Broker.class.getName());
    java.util.logging.Level level = brokerLog.getLevel();
    brokerLog.setLevel(java.util.logging.Level.OFF); // the warning is expected; keep the build quiet
    try {
      f.executor.runAll();
    } finally {
      brokerLog.setLevel(level);
    }
    assertThat(p.isFinished()).isTrue();
    assertThat(p.awaitAnswered(Duration.ZERO)).isTrue();
    assertNothingLeft("a");
  }
}
