package dev.parkway.core;

import java.time.Duration;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A poll waiting for events: its subscription, its cursor, and the responder that will write its answer.
 *
 * <p><b>One exit.</b> Delivery, the deadline, the client going away, a newer poll with the same client id,
 * deletion of its channel, shutdown and the container's own timeout all end it through {@link #finish},
 * which is idempotent: the first call wins, cleans up, and calls the responder; every later call returns
 * false and does nothing. A loser that must not return before the response is complete (a container
 * callback) waits with {@link #awaitAnswered}.
 *
 * <p><b>Wakes.</b> {@link #onAppended} may be called by several delivery threads at once. The counter
 * below makes exactly one of them re-read, and makes it re-read again if another wake came in meanwhile,
 * so no wake is lost and no two threads read for the same poll at the same time.
 */
public final class ParkedPoll implements Waiter {
  private final Broker broker;
  private final String key;
  private final PollRequest request;
  private final PollResponder responder;
  private final Set<String> liveWhenParked;
  private final Cursor cursor;
  /** The remote address holding a slot of the broker's {@link AddressQuota}, released in finish. */
  private final String origin;
  private final AtomicBoolean finished = new AtomicBoolean();
  private final AtomicInteger pendingWakes = new AtomicInteger();
  private final CountDownLatch answered = new CountDownLatch(1);
  private volatile Timer.Cancellable deadline;

  ParkedPoll(
      Broker broker,
      String key,
      PollRequest request,
      Cursor cursor,
      Set<String> liveWhenParked,
      PollResponder responder,
      String origin) {
    this.broker = broker;
    this.origin = origin;
    this.key = key;
    this.request = request;
    this.cursor = cursor;
    this.liveWhenParked = liveWhenParked;
    this.responder = responder;
  }

  /**
   * Ends this poll with {@code answer} unless it has already ended.
   *
   * @return true if this call won and the answer was handed to the responder
   */
  public boolean finish(Answer answer) {
    return broker.finish(this, answer);
  }

  /** Waits until the winning {@link #finish} has returned from the responder. */
  public boolean awaitAnswered(Duration max) {
    try {
      return answered.await(max.toMillis(), TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  public boolean isFinished() {
    return finished.get();
  }

  /** The position this poll reads after; it never changes while the poll is parked. */
  public Cursor cursor() {
    return cursor;
  }

  public String key() {
    return key;
  }

  @Override
  public Subscription subscription() {
    return request.subscription();
  }

  @Override
  public void onAppended(String channel) {
    onAppended(channel, null);
  }

  /**
   * A wake within a fan-out task: the first read may be one the task's other polls share; a re-read (for a
   * wake that came in meanwhile) is always this poll's own, since the shared one may predate that wake.
   */
  void onAppended(String channel, SharedReads reads) {
    if (pendingWakes.getAndIncrement() != 0) {
      return; // the thread already re-reading will read again
    }
    int seen = 1;
    SharedReads first = reads;
    do {
      broker.check(this, first);
      first = null;
      seen = pendingWakes.addAndGet(-seen);
    } while (seen != 0);
  }

  @Override
  public void onDeleted(String channel) {
    if (request.subscription().channels().contains(channel)) {
      finish(new Answer.ChannelDeleted(channel));
    }
  }

  String origin() {
    return origin;
  }

  PollRequest request() {
    return request;
  }

  PollResponder responder() {
    return responder;
  }

  Set<String> liveWhenParked() {
    return liveWhenParked;
  }

  /** The single CAS every exit goes through. */
  boolean claim() {
    return finished.compareAndSet(false, true);
  }

  void markAnswered() {
    answered.countDown();
  }

  void setDeadline(Timer.Cancellable task) {
    deadline = task;
    if (finished.get()) {
      task.cancel(); // answered before its deadline was even set: do not leave it queued
    }
  }

  void cancelDeadline() {
    Timer.Cancellable task = deadline;
    if (task != null) {
      task.cancel();
    }
  }
}
