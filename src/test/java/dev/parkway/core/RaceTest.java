package dev.parkway.core;

import static dev.parkway.core.CoreFixture.after;
import static dev.parkway.core.CoreFixture.ids;
import static dev.parkway.core.CoreFixture.request;
import static dev.parkway.core.CoreFixture.seqs;
import static dev.parkway.core.CoreFixture.sub;
import static org.assertj.core.api.Assertions.assertThat;

import dev.parkway.store.memory.RingBufferStore;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The races of DESIGN.md, "Parking a request and answering it exactly once", each forced into a chosen
 * interleaving: with the queue executor and the manual timer (run the queued hand-offs in every order), with a
 * store hook that lands a publish or a deletion between two steps of a poll, and with latched real threads.
 * Every test asserts one answer per poll and that no event is lost or delivered twice.
 */
class RaceTest {
  /** Long enough to never be reached by a healthy run; only there so a broken one fails instead of hanging. */
  private static final long HANG_GUARD_SECONDS = 60;

  private final CoreFixture f = new CoreFixture();

  private void assertNothingLeft(Broker broker, String channel) {
    assertThat(broker.parkedCount()).as("parked").isZero();
    assertThat(broker.subscribers(channel)).as("subscribers").isZero();
  }

  private Answer.Events pollNow(Cursor cursor) {
    RecordingResponder r = new RecordingResponder();
    f.broker.poll(request(sub("a"), after(cursor), 0, 100, null), r);
    return r.events();
  }

  // ---- publish vs our deadline ----

  /**
   * The publish and the deadline both land before the delivery executor runs either hand-off; whichever
   * runs first, the poll is answered once, with the event (the deadline reads once more before answering
   * empty), and the other finds it answered.
   */
  @ParameterizedTest(name = "publish lands first: {0}, its wake runs first: {1}")
  @CsvSource({"true,true", "true,false", "false,true", "false,false"})
  void publishRacingTimeoutAnswersExactlyOnce(boolean publishFirst, boolean wakeRunsFirst) {
    f.publishN("a", 1);
    f.executor.runAll();
    RecordingResponder r = new RecordingResponder();
    f.broker.poll(request(sub("a"), new Start.Head(), 1_000, 100, null), r);

    if (publishFirst) {
      f.publish("a", "\"raced\"");
      f.timer.advance(Duration.ofMillis(1_000));
    } else {
      f.timer.advance(Duration.ofMillis(1_000));
      f.publish("a", "\"raced\"");
    }
    assertThat(f.executor.size()).as("a wake and a deadline, both queued").isEqualTo(2);
    assertThat(r.calls()).isZero();
    boolean wakeQueuedFirst = publishFirst;
    if (wakeRunsFirst == wakeQueuedFirst) {
      f.executor.runNext();
    } else {
      f.executor.runLast();
    }
    assertThat(r.calls()).as("whichever ran first answered").isEqualTo(1);
    f.executor.runAll();

    Answer.Events answer = r.events(); // exactly one
    assertThat(answer.reason()).isEqualTo(Answer.Reason.DATA);
    assertThat(seqs(answer)).containsExactly(2L);
    assertThat(f.broker.counters().timeouts.sum()).isZero();
    assertThat(pollNow(answer.cursor()).events()).isEmpty();
    assertNothingLeft(f.broker, "a");
    assertThat(f.timer.pending()).isZero();
  }

  @Test
  void timeoutThatRunsBeforeThePublishLandsLosesNothing() {
    f.publishN("a", 1);
    f.executor.runAll();
    RecordingResponder r = new RecordingResponder();
    ParkedPoll p = f.broker.poll(request(sub("a"), new Start.Head(), 1_000, 100, null), r);
    f.timer.advance(Duration.ofMillis(1_000));
    f.executor.runAll();
    f.publish("a", "\"late\"");
    f.executor.runAll();

    assertThat(r.events().reason()).isEqualTo(Answer.Reason.TIMEOUT);
    assertThat(r.events().cursor()).isEqualTo(p.cursor());
    assertThat(seqs(pollNow(r.events().cursor()))).containsExactly(2L);
    assertNothingLeft(f.broker, "a");
  }

  /** The publish lands inside the deadline's last read, after it saw nothing: the timeout wins, and loses nothing. */
  @Test
  void publishLandingDuringTheDeadlinesLastReadIsLeftForTheNextPoll() {
    f.publishN("a", 1);
    f.executor.runAll();
    RecordingResponder r = new RecordingResponder();
    ParkedPoll p = f.broker.poll(request(sub("a"), new Start.Head(), 1_000, 100, null), r);
    f.timer.advance(Duration.ofMillis(1_000));
    assertThat(f.executor.size()).isEqualTo(1);
    AtomicBoolean armed = new AtomicBoolean(true);
    f.store.afterRead((ch, afterSeq, slice) -> {
      if (ch.equals("a") && armed.getAndSet(false)) {
        assertThat(slice.events()).isEmpty();
        f.publish("a", "\"just too late\"");
      }
    });
    f.executor.runNext(); // the deadline: reads (the publish lands), then answers
    assertThat(armed).isFalse();
    f.executor.runAll(); // the publish's wake: the poll is already answered

    assertThat(r.events().reason()).isEqualTo(Answer.Reason.TIMEOUT);
    assertThat(r.events().cursor()).isEqualTo(p.cursor());
    assertThat(seqs(pollNow(r.events().cursor()))).containsExactly(2L);
    assertNothingLeft(f.broker, "a");
  }

  @Test
  void deadlineFiringAfterTheAnswerFindsNothingToDo() {
    RecordingResponder r = new RecordingResponder();
    f.broker.poll(request(sub("a"), new Start.Head(), 1_000, 100, null), r);
    f.publish("a", "1");
    f.executor.runAll();
    assertThat(f.timer.pending()).as("the deadline was cancelled").isZero();
    f.timer.advance(Duration.ofSeconds(5));
    f.executor.runAll();
    assertThat(seqs(r.events())).containsExactly(1L);
    assertThat(f.broker.counters().timeouts.sum()).isZero();
  }

  // ---- publish vs delete ----

  @ParameterizedTest(name = "wake runs first: {0}")
  @ValueSource(booleans = {true, false})
  void publishRacingDeleteAnswersExactlyOnce(boolean wakeRunsFirst) {
    f.publishN("a", 1);
    f.executor.runAll();
    RecordingResponder r = new RecordingResponder();
    f.broker.poll(request(sub("a"), new Start.Head()), r);
    f.publish("a", "\"doomed\"");
    f.broker.delete("a");
    assertThat(f.executor.size()).isEqualTo(2);
    if (wakeRunsFirst) {
      f.executor.runNext();
    } else {
      f.executor.runLast();
    }
    f.executor.runAll();
    // The deletion landed before either hand-off ran: the event went with the channel.
    assertThat(r.single()).isEqualTo(new Answer.ChannelDeleted("a"));
    assertNothingLeft(f.broker, "a");
    assertThat(f.timer.pending()).isZero();
  }

  @Test
  void aWakeThatRunsBeforeTheDeletionDeliversAndTheDeletionFindsNobody() {
    f.publishN("a", 1);
    f.executor.runAll();
    RecordingResponder r = new RecordingResponder();
    f.broker.poll(request(sub("a"), new Start.Head()), r);
    f.publish("a", "\"kept\"");
    f.executor.runAll();
    f.broker.delete("a");
    f.executor.runAll();
    assertThat(seqs(r.events())).containsExactly(2L);
    assertThat(f.broker.counters().deletedAnswers.sum()).isZero();
  }

  // ---- two publishers vs one poll ----

  @ParameterizedTest(name = "second wake runs first: {0}")
  @ValueSource(booleans = {true, false})
  void twoPublishesRacingOnePollAreEachDeliveredOnce(boolean secondWakeRunsFirst) {
    RecordingResponder r = new RecordingResponder();
    f.broker.poll(request(sub("a"), new Start.Head()), r);
    f.publish("a", "1");
    f.publish("a", "2");
    if (secondWakeRunsFirst) {
      f.executor.runLast();
    } else {
      f.executor.runNext();
    }
    f.executor.runAll();
    assertThat(seqs(r.events())).containsExactly(1L, 2L);
    assertThat(pollNow(r.events().cursor()).events()).isEmpty();
  }

  @Test
  void aWakeBetweenTwoPublishesDeliversTheFirstAndLeavesTheSecondForTheNextPoll() {
    RecordingResponder r = new RecordingResponder();
    f.broker.poll(request(sub("a"), new Start.Head()), r);
    f.publish("a", "1");
    f.executor.runNext();
    f.publish("a", "2");
    f.executor.runAll();
    assertThat(seqs(r.events())).containsExactly(1L);
    assertThat(seqs(pollNow(r.events().cursor()))).containsExactly(2L);
  }

  @Test
  void twoPublisherThreadsRacingOnePollNeitherDuplicateNorLose() throws Exception {
    ThreadPoolExecutor delivery = new ThreadPoolExecutor(2, 2, 0, TimeUnit.MILLISECONDS, new LinkedBlockingQueue<>());
    ExecutorService publishers = Executors.newFixedThreadPool(2);
    try {
      RingBufferStore store = new RingBufferStore(CoreFixture.RETENTION, f.clock);
      Broker broker = new Broker(store, f.timer, delivery, 2, 1 << 20);
      Cursor cursor = new ChannelReader(store, 1 << 20).start(sub("a"), new Start.Head());
      for (int i = 0; i < 1_000; i++) {
        long head = cursor.position("a");
        CompletableFuture<Answer> answered = new CompletableFuture<>();
        AtomicInteger calls = new AtomicInteger();
        broker.poll(request(sub("a"), after(cursor), 30_000, 100, "reader"), a -> {
          calls.incrementAndGet();
          answered.complete(a);
        });
        CountDownLatch gate = new CountDownLatch(1);
        List<Future<?>> done = new ArrayList<>();
        for (int t = 0; t < 2; t++) {
          done.add(publishers.submit(() -> {
            gate.await();
            return broker.publish("a", "0", null);
          }));
        }
        gate.countDown();
        for (Future<?> d : done) {
          d.get(HANG_GUARD_SECONDS, TimeUnit.SECONDS);
        }
        Answer.Events first = (Answer.Events) answered.get(HANG_GUARD_SECONDS, TimeUnit.SECONDS);
        RecordingResponder rest = new RecordingResponder();
        broker.poll(request(sub("a"), after(first.cursor()), 0, 100, null), rest);
        List<Long> got = new ArrayList<>(seqs(first));
        got.addAll(seqs(rest.events()));
        assertThat(got).as("iteration %d", i).containsExactly(head + 1, head + 2);
        assertThat(calls.get()).as("iteration %d", i).isEqualTo(1);
        cursor = rest.events().cursor();
      }
      delivery.shutdown();
      assertThat(delivery.awaitTermination(HANG_GUARD_SECONDS, TimeUnit.SECONDS)).isTrue();
      assertNothingLeft(broker, "a");
    } finally {
      delivery.shutdownNow();
      publishers.shutdownNow();
    }
  }

  // ---- register-then-check: no lost wake-up ----

  /** Runs {@code action} once, right after the first read of {@code channel} at a real position. */
  private void onFirstRead(String channel, Runnable action) {
    AtomicBoolean armed = new AtomicBoolean(true);
    f.store.afterRead((ch, afterSeq, slice) -> {
      // Start.Head positions itself with a read after Long.MAX_VALUE; the read proper comes next.
      if (ch.equals(channel) && afterSeq != Long.MAX_VALUE && armed.getAndSet(false)) {
        action.run();
      }
    });
  }

  @Test
  void publishLandingBetweenTheFirstReadAndRegistrationIsStillDelivered() {
    f.publishN("a", 2);
    f.executor.runAll();
    AtomicBoolean hookRan = new AtomicBoolean();
    onFirstRead("a", () -> {
      // The poll has read "nothing new" and is not registered yet.
      assertThat(f.broker.parkedCount()).isZero();
      assertThat(f.broker.subscribers("a")).isZero();
      f.publish("a", "\"sneaky\"");
      f.executor.runAll(); // its fan-out is over, and found no waiter to wake
      hookRan.set(true);
    });
    RecordingResponder r = new RecordingResponder();
    f.broker.poll(request(sub("a"), new Start.Head()), r);

    assertThat(hookRan).isTrue();
    assertThat(f.executor.size()).isZero();
    // Only the recheck after registering can have seen it.
    assertThat(seqs(r.events())).containsExactly(3L);
    assertNothingLeft(f.broker, "a");
    assertThat(f.timer.pending()).isZero();
    f.executor.runAll();
    assertThat(r.calls()).isEqualTo(1);
  }

  @Test
  void channelCreatedUnderAPatternBetweenTheFirstReadAndRegistrationIsStillDelivered() {
    f.publishN("x", 1);
    f.executor.runAll();
    onFirstRead("x", () -> {
      f.publish("news.fresh", "\"first\"");
      f.executor.runAll();
    });
    RecordingResponder r = new RecordingResponder();
    f.broker.poll(request(sub("x", "news.*"), new Start.Head()), r);
    assertThat(ids(r.events())).containsExactly("news.fresh:1");
    assertNothingLeft(f.broker, "news.fresh");
  }

  @Test
  void deletionBetweenTheFirstReadAndRegistrationStillAnswersChannelDeleted() {
    f.publishN("a", 1);
    f.executor.runAll();
    onFirstRead("a", () -> {
      f.broker.delete("a");
      f.executor.runAll(); // the deletion's fan-out is over, and found no waiter
    });
    RecordingResponder r = new RecordingResponder();
    f.broker.poll(request(sub("a"), new Start.Head()), r);
    assertThat(r.single()).isEqualTo(new Answer.ChannelDeleted("a"));
    assertNothingLeft(f.broker, "a");
    assertThat(f.timer.pending()).isZero();
  }

  @Test
  void publishLandingBetweenRegistrationAndTheRecheckIsDeliveredOnce() {
    f.publishN("a", 2);
    f.executor.runAll();
    AtomicInteger reads = new AtomicInteger();
    f.store.afterRead((ch, afterSeq, slice) -> {
      if (ch.equals("a") && afterSeq != Long.MAX_VALUE && reads.incrementAndGet() == 2) {
        // The recheck has read "nothing new"; the poll is registered, so the publish's fan-out finds it.
        assertThat(f.broker.subscribers("a")).isEqualTo(1);
        f.publish("a", "\"between\"");
        f.executor.runAll();
      }
    });
    RecordingResponder r = new RecordingResponder();
    f.broker.poll(request(sub("a"), new Start.Head()), r);
    assertThat(reads.get()).isGreaterThanOrEqualTo(2);
    assertThat(seqs(r.events())).containsExactly(3L);
    assertNothingLeft(f.broker, "a");
  }

  // ---- one exit ----

  @Test
  void finishCalledConcurrentlyFromManyThreadsHasExactlyOneWinner() throws Exception {
    int threads = 4;
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    try {
      for (int i = 0; i < 3_000; i++) {
        RecordingResponder r = new RecordingResponder();
        ParkedPoll p = f.broker.poll(request(sub("a"), new Start.Head(), 30_000, 100, "one-client"), r);
        Answer[] answers = {
          new Answer.ClientGone(),
          new Answer.ShuttingDown(),
          Answer.Events.empty(p.cursor(), Answer.Reason.TIMEOUT),
          new Answer.ChannelDeleted("a")
        };
        CountDownLatch gate = new CountDownLatch(1);
        List<Future<Boolean>> results = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
          Answer mine = answers[t];
          results.add(pool.submit(() -> {
            gate.await();
            return p.finish(mine);
          }));
        }
        gate.countDown();
        int wins = 0;
        Answer winner = null;
        for (int t = 0; t < threads; t++) {
          if (results.get(t).get(HANG_GUARD_SECONDS, TimeUnit.SECONDS)) {
            wins++;
            winner = answers[t];
          }
        }
        assertThat(wins).as("winners in iteration %d", i).isEqualTo(1);
        assertThat(r.single()).as("iteration %d", i).isSameAs(winner);
        assertThat(p.awaitAnswered(Duration.ZERO)).isTrue();
        assertThat(f.broker.parkedCount()).as("iteration %d", i).isZero();
        assertThat(f.broker.subscribers("a")).as("iteration %d", i).isZero();
        assertThat(f.timer.pending()).as("iteration %d", i).isZero();
      }
      assertThat(f.broker.counters().answers.sum()).isEqualTo(3_000);
    } finally {
      pool.shutdownNow();
    }
  }

  // ---- concurrent wakes of one poll ----

  /** Counts reads of one channel in flight at once, and remembers the most seen. */
  private static final class InFlight {
    final AtomicInteger now = new AtomicInteger();
    final AtomicInteger max = new AtomicInteger();

    void enter() {
      max.accumulateAndGet(now.incrementAndGet(), Math::max);
    }

    void leave() {
      now.decrementAndGet();
    }
  }

  @Test
  void aWakeArrivingWhileAnotherIsReadingIsNotLostAndDoesNotReadConcurrently() throws Exception {
    RecordingResponder r = new RecordingResponder();
    ParkedPoll p = f.broker.poll(request(sub("a"), new Start.Head()), r);
    InFlight reads = new InFlight();
    CountDownLatch firstReadDone = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    AtomicReference<Thread> blockOn = new AtomicReference<>();
    f.store.beforeRead((ch, afterSeq) -> reads.enter());
    f.store.afterRead((ch, afterSeq, slice) -> {
      if (Thread.currentThread() == blockOn.get() && firstReadDone.getCount() > 0) {
        assertThat(slice.events()).isEmpty();
        firstReadDone.countDown();
        try {
          release.await(HANG_GUARD_SECONDS, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
      }
      reads.leave();
    });

    // Delivery thread 1 is woken (say by an older event), reads "nothing new", and is held right there.
    Thread first = new Thread(() -> p.onAppended("a"), "delivery-1");
    blockOn.set(first);
    first.start();
    assertThat(firstReadDone.await(HANG_GUARD_SECONDS, TimeUnit.SECONDS)).as("thread 1 read").isTrue();
    // Now the event lands, and delivery thread 2 is told while thread 1 is still inside its read.
    f.publish("a", "\"late\"");
    Thread second = new Thread(() -> p.onAppended("a"), "delivery-2");
    second.start();
    second.join(TimeUnit.SECONDS.toMillis(HANG_GUARD_SECONDS));
    assertThat(second.isAlive()).as("thread 2 returned").isFalse();
    assertThat(r.calls()).as("thread 2 must leave the re-read to thread 1").isZero();
    release.countDown();
    first.join(TimeUnit.SECONDS.toMillis(HANG_GUARD_SECONDS));
    assertThat(first.isAlive()).as("thread 1 returned").isFalse();

    assertThat(seqs(r.events())).as("the second wake was not lost").containsExactly(1L);
    assertThat(reads.max.get()).as("reads in flight at once").isEqualTo(1);
    f.executor.runAll(); // the publish's own wake: finds the poll already answered
    assertThat(r.calls()).isEqualTo(1);
  }

  @Test
  void concurrentWakesFromTwoThreadsNeverReadTogetherAndNeverLoseTheLastWake() throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(2);
    InFlight reads = new InFlight();
    f.store.beforeRead((ch, afterSeq) -> reads.enter());
    f.store.afterRead((ch, afterSeq, slice) -> reads.leave());
    try {
      for (int i = 0; i < 3_000; i++) {
        RecordingResponder r = new RecordingResponder();
        ParkedPoll p = f.broker.poll(request(sub("a"), new Start.Head()), r);
        assertThat(p).isNotNull();
        reads.max.set(0);
        CountDownLatch gate = new CountDownLatch(1);
        // Thread 1: a wake with nothing (yet) to read. Thread 2: the publish, then its wake.
        Future<?> spurious = pool.submit(() -> {
          gate.await();
          p.onAppended("a");
          return null;
        });
        Future<?> real = pool.submit(() -> {
          gate.await();
          f.store.append("a", "0", null);
          p.onAppended("a");
          return null;
        });
        gate.countDown();
        spurious.get(HANG_GUARD_SECONDS, TimeUnit.SECONDS);
        real.get(HANG_GUARD_SECONDS, TimeUnit.SECONDS);
        // The publish's own queued wake is thrown away: only the two wakes above may answer the poll.
        f.executor.discardAll();
        assertThat(r.answers()).as("iteration %d: answered once with the new event", i).hasSize(1);
        assertThat(seqs(r.events())).as("iteration %d", i).containsExactly(i + 1L);
        assertThat(reads.max.get()).as("iteration %d: reads in flight at once", i).isEqualTo(1);
      }
    } finally {
      pool.shutdownNow();
    }
    assertNothingLeft(f.broker, "a");
  }

  // ---- map hygiene under races ----

  /** A broker whose executor runs {@code hook} (once) right after it queues the next task. */
  private static final class HookedExecutorBroker {
    final QueueExecutor queue = new QueueExecutor();
    final AtomicReference<Runnable> onNextExecute = new AtomicReference<>();
    final Broker broker;

    HookedExecutorBroker(CoreFixture f) {
      Executor executor = task -> {
        queue.execute(task);
        Runnable hook = onNextExecute.getAndSet(null);
        if (hook != null) {
          hook.run();
        }
      };
      broker = new Broker(new RingBufferStore(CoreFixture.RETENTION, f.clock), f.timer, executor, 2, 1 << 20);
    }
  }

  /**
   * T1 polls as client c (superseding an older poll P0) and has put itself in the parking lot but not yet in
   * the waiter index; T2 polls as client c too, superseding T1, and T1's SUPERSEDED finish runs on a delivery
   * thread — all before T1 reaches {@code index.register}. Forced here on one thread: T1's hand-off of P0's
   * supersede is where the executor hook runs T2's poll and then the delivery queue. (This left T1 in the
   * waiter index for ever until Broker.poll learned to unregister a poll finished while registering.)
   */
  @Test
  void aPollSupersededWhileStillRegisteringLeavesNoWaiterBehind() {
    HookedExecutorBroker h = new HookedExecutorBroker(f);
    RecordingResponder r0 = new RecordingResponder();
    RecordingResponder r1 = new RecordingResponder();
    RecordingResponder r2 = new RecordingResponder();
    h.broker.poll(request(sub("a"), new Start.Head(), 30_000, 100, "c"), r0);
    h.onNextExecute.set(() -> {
      h.broker.poll(request(sub("a"), new Start.Head(), 30_000, 100, "c"), r2);
      h.queue.runAll();
    });
    h.broker.poll(request(sub("a"), new Start.Head(), 30_000, 100, "c"), r1);
    h.queue.runAll();

    assertThat(r0.events().reason()).isEqualTo(Answer.Reason.SUPERSEDED);
    assertThat(r1.events().reason()).isEqualTo(Answer.Reason.SUPERSEDED);
    assertThat(r2.calls()).isZero();
    assertThat(h.broker.parkedCount()).isEqualTo(1);
    assertThat(h.broker.subscribers("a")).as("only the newest poll waits").isEqualTo(1);
    h.broker.publish("a", "1", null);
    h.queue.runAll();
    assertThat(seqs(r2.events())).containsExactly(1L);
    assertThat(h.broker.subscribers("a")).as("nobody waits any more").isZero();
  }

  /** Same window as above: whatever else it leaves, the superseded poll's deadline must not stay queued. */
  @Test
  void aPollSupersededBeforeItsDeadlineWasSetLeavesNoDeadlineQueued() {
    HookedExecutorBroker h = new HookedExecutorBroker(f);
    RecordingResponder r0 = new RecordingResponder();
    RecordingResponder r1 = new RecordingResponder();
    RecordingResponder r2 = new RecordingResponder();
    h.broker.poll(request(sub("a"), new Start.Head(), 30_000, 100, "c"), r0);
    h.onNextExecute.set(() -> {
      h.broker.poll(request(sub("a"), new Start.Head(), 30_000, 100, "c"), r2);
      h.queue.runAll();
    });
    h.broker.poll(request(sub("a"), new Start.Head(), 30_000, 100, "c"), r1);
    h.queue.runAll();

    assertThat(r1.events().reason()).isEqualTo(Answer.Reason.SUPERSEDED);
    assertThat(h.broker.parkedCount()).isEqualTo(1);
    assertThat(f.timer.pending()).as("only the newest poll's deadline").isEqualTo(1);
    f.timer.advance(Duration.ofSeconds(30));
    h.queue.runAll();
    assertThat(r2.events().reason()).isEqualTo(Answer.Reason.TIMEOUT);
    assertThat(r1.calls()).isEqualTo(1);
    assertThat(h.broker.parkedCount()).isZero();
  }

  @Test
  void shutdownDuringAPollsFirstReadStillAnswersItShuttingDown() {
    f.publishN("a", 1);
    f.executor.runAll();
    onFirstRead("a", f.broker::shutdown); // shutdown sweeps the lot before this poll is in it
    RecordingResponder r = new RecordingResponder();
    f.broker.poll(request(sub("a"), new Start.Head()), r);
    assertThat(r.single()).isInstanceOf(Answer.ShuttingDown.class);
    assertThat(f.broker.parkedCount()).isZero();
    assertThat(f.broker.subscribers("a")).isZero();
    assertThat(f.timer.pending()).isZero();
  }

  /** The same window, closed by a shutdown instead of a newer poll. */
  @Test
  void aPollShutDownWhileStillRegisteringLeavesNoWaiterBehind() {
    HookedExecutorBroker h = new HookedExecutorBroker(f);
    RecordingResponder r0 = new RecordingResponder();
    RecordingResponder r1 = new RecordingResponder();
    h.broker.poll(request(sub("a"), new Start.Head(), 30_000, 100, "c"), r0);
    h.onNextExecute.set(h.broker::shutdown);
    h.broker.poll(request(sub("a"), new Start.Head(), 30_000, 100, "c"), r1);
    h.queue.runAll();

    assertThat(r1.single()).isInstanceOf(Answer.ShuttingDown.class);
    assertThat(r0.calls()).isEqualTo(1);
    assertThat(h.broker.parkedCount()).isZero();
    assertThat(h.broker.subscribers("a")).isZero();
  }
}
