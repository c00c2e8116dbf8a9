package dev.parkway.core;

import java.lang.System.Logger.Level;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * Publishes events and parks polls until they can be answered.
 *
 * <p><b>No lost wake-up.</b> A poll reads, and if there is nothing, registers as a waiter and then reads
 * again (register-then-recheck). A publish appends, and only then collects the waiters. Whatever the
 * interleaving, either the recheck sees the event or the publish sees the waiter:
 *
 * <pre>
 *   poll:    read (empty) ─── register ─── recheck
 *   publish:          append ─────────────────────── collect waiters
 *   append before register → the recheck sees it; register before collect → the publish wakes it.
 * </pre>
 *
 * <p><b>Decide, then act elsewhere.</b> The publisher's thread only appends and hands the channel name to
 * the delivery executor; collecting waiters and writing answers happen there, in batches, never under a
 * lock. Deadlines come from the {@link Timer} and are also handed to the delivery executor.
 *
 * <p><b>The parking lot.</b> Parked polls live in one {@code ConcurrentHashMap} keyed by client id (or a
 * private id for anonymous polls). A newer poll with the same client id replaces the older one, which is
 * answered {@link Answer.Reason#SUPERSEDED}; cleanup removes a poll only if it is still the one mapped
 * ({@code remove(key, poll)}), so an old poll never evicts its successor.
 *
 * <p><b>Per-address limit.</b> A poll about to park takes a slot of the {@link AddressQuota} for its
 * responder's {@link PollResponder#origin()} (streams take theirs through {@link #quota()}); the slot is
 * given back in {@link #finish}, the one exit, so every way a poll ends gives it back exactly once.
 *
 * <p>Thread-safe. The store's change listener is this broker.
 */
public final class Broker implements EventStore.ChangeListener {
  private static final System.Logger LOG = System.getLogger(Broker.class.getName());
  /** Waiters answered by one delivery task; the rest of a large fan-out is split over the executor. */
  private static final int FAN_OUT_BATCH = 256;

  private final EventStore store;
  private final ChannelReader reader;
  private final Timer timer;
  private final Executor delivery;
  private final int deliveryThreads;
  private final WaiterIndex index = new WaiterIndex();
  private final ConcurrentHashMap<String, ParkedPoll> parked = new ConcurrentHashMap<>();
  /** Long-lived waiters (streams), told of shutdown. */
  private final Set<Waiter> watchers = ConcurrentHashMap.newKeySet();
  private final AtomicLong anonymousIds = new AtomicLong();
  private final Counters counters = new Counters();
  private final AddressQuota quota;
  private volatile boolean closing;

  /**
   * @param delivery runs fan-outs and answers; its threads are the only ones that write woken polls
   * @param deliveryThreads how many tasks a large fan-out is split into
   * @param maxAnswerBytes see {@link ChannelReader}
   */
  public Broker(
      EventStore store, Timer timer, Executor delivery, int deliveryThreads, int maxAnswerBytes) {
    this(store, timer, delivery, deliveryThreads, maxAnswerBytes, 0);
  }

  /** @param maxPerAddress polls parked and streams open at once per remote address; 0 for no limit */
  public Broker(
      EventStore store,
      Timer timer,
      Executor delivery,
      int deliveryThreads,
      int maxAnswerBytes,
      int maxPerAddress) {
    this.quota = new AddressQuota(maxPerAddress);
    this.store = store;
    this.reader = new ChannelReader(store, maxAnswerBytes);
    this.timer = timer;
    this.delivery = delivery;
    this.deliveryThreads = Math.max(1, deliveryThreads);
    store.setListener(this);
  }

  /**
   * Stores an event and schedules the wake-up of every waiter covering its channel.
   *
   * <p>{@link Published#subscribers()} counts the waiters covering the channel just before the append:
   * counted after it, the fan-out (already under way on another thread) could have answered some of
   * them and the count would depend on timing. A repeat of an idempotency key wakes no one and counts 0.
   *
   * @throws StoreUnavailableException if it could not be stored (then nothing was)
   * @throws IdempotencyConflictException if the key was used for different data (nothing stored)
   */
  public Published publish(String channel, String data, String idempotencyKey) {
    int waiting = index.count(channel);
    EventStore.Appended appended = store.append(channel, data, idempotencyKey);
    if (appended.duplicate()) {
      if (!appended.event().data().equals(data)) {
        throw new IdempotencyConflictException(
            "Idempotency-Key already used on channel " + channel + " for different data");
      }
      counters.duplicates.increment();
      return new Published(appended.event(), true, 0);
    }
    counters.published.increment();
    return new Published(appended.event(), false, waiting);
  }

  /**
   * Answers a poll at once if there is anything after its position (or its timeout is 0), else parks it.
   * The responder is called exactly once, on this thread for an immediate answer.
   *
   * @return the parked poll, or null if it was answered at once
   * @throws InvalidCursorException before anything is parked or answered, for a cursor ahead of a head
   * @throws TooManyPollsException before anything is parked or answered, if the poll would park and its
   *     origin holds its maximum of slots already
   */
  public ParkedPoll poll(PollRequest request, PollResponder responder) {
    if (closing) {
      answerNow(responder, new Answer.ShuttingDown());
      return null;
    }
    Subscription subscription = request.subscription();
    Cursor start = reader.start(subscription, request.start());
    Batch first = reader.read(subscription, start, request.limit());
    if (!first.isEmpty()) {
      answerNow(responder, Answer.Events.of(first));
      return null;
    }
    if (request.timeoutMillis() <= 0) {
      answerNow(responder, Answer.Events.empty(first.cursor(), Answer.Reason.TIMEOUT));
      return null;
    }
    Set<String> live = new HashSet<>(first.live());
    live.retainAll(subscription.channels());
    String key = request.clientId() != null ? request.clientId() : "#" + anonymousIds.incrementAndGet();
    String origin = responder.origin();
    admit(key, origin);
    ParkedPoll poll = new ParkedPoll(this, key, request, first.cursor(), live, responder, origin);

    ParkedPoll previous = parked.put(key, poll);
    if (previous != null) {
      dispatch(() -> previous.finish(Answer.Events.empty(previous.cursor(), Answer.Reason.SUPERSEDED)));
    }
    index.register(poll);
    if (poll.isFinished()) {
      // Superseded or swept by shutdown between put() and register(): finish() has already
      // unregistered, possibly before we registered. Whichever of the two computes on an index bin
      // runs second sees the other's writes, so either finish() removed us or we remove ourselves.
      index.unregister(poll);
      return poll;
    }
    try {
      poll.setDeadline(timer.schedule(() -> dispatch(() -> expire(poll)), request.timeoutMillis()));
    } catch (RejectedExecutionException e) {
      // The scheduler stopped: shutdown is under way. Without a deadline the poll would stay parked
      // (and keep its slot of the quota) for ever.
      poll.finish(new Answer.ShuttingDown());
      return poll;
    }
    if (closing) {
      // shutdown() began after our first check; it may have iterated the lot before our put.
      poll.finish(new Answer.ShuttingDown());
      return poll;
    }
    check(poll); // the recheck: closes the window between the first read and register()
    return poll;
  }

  /**
   * Takes a slot of the quota for a poll about to park, or throws. A client that polls again with the same
   * client id from the same address (it reconnected; its old request may still be parked because no
   * container reports a dead idle socket) is never refused for its own older poll: that one is
   * superseded first, here, which gives its slot back.
   */
  private void admit(String key, String origin) {
    if (quota.tryAcquire(origin)) {
      return;
    }
    ParkedPoll older = key.startsWith("#") ? null : parked.get(key);
    if (older != null && origin.equals(older.origin())) {
      older.finish(Answer.Events.empty(older.cursor(), Answer.Reason.SUPERSEDED));
      if (quota.tryAcquire(origin)) {
        return;
      }
    }
    throw new TooManyPollsException(quota.max());
  }

  /**
   * Registers a long-lived waiter (an SSE stream). Register, then read after your cursor, as polls do
   * (see the class comment): a wake may then arrive for events you already read, which is harmless.
   */
  public void watch(Waiter waiter) {
    watchers.add(waiter);
    index.register(waiter);
    if (closing) {
      // shutdown() may have swept before our add (then we tell it), or unregistered it before our
      // register() (then we must unregister again): the waiter is told once and left nowhere.
      endWatcher(waiter);
      index.unregister(waiter);
    }
  }

  public void unwatch(Waiter waiter) {
    index.unregister(waiter);
    watchers.remove(waiter);
  }

  /** Tells a watcher to end, exactly once: only the caller that removes it from the set tells it. */
  private void endWatcher(Waiter waiter) {
    if (watchers.remove(waiter)) {
      index.unregister(waiter);
      waiter.onShutdown();
    }
  }

  /** Open streams (waiters registered with {@link #watch}). */
  public int watcherCount() {
    return watchers.size();
  }

  /** Where a new reader of {@code subscription} starts; see {@link ChannelReader#start}. */
  public Cursor start(Subscription subscription, Start start) {
    return reader.start(subscription, start);
  }

  /** One read after {@code cursor}; see {@link ChannelReader#read}. */
  public Batch read(Subscription subscription, Cursor cursor, int limit) {
    return reader.read(subscription, cursor, limit);
  }

  /** See {@link EventStore#firstSeqSince}. */
  public long firstSeqSince(String channel, long sinceMillis) {
    return store.firstSeqSince(channel, sinceMillis);
  }

  /** The store's clock; see {@link EventStore#now}. */
  public long now() {
    return store.now();
  }

  /** See {@link EventStore#acknowledge}. */
  public long acknowledge(String channel, long upToSeq) {
    return store.acknowledge(channel, upToSeq);
  }

  /** The store's epoch. */
  public String epoch() {
    return store.epoch();
  }

  /** Deletes a channel; waiters that named it are answered {@link Answer.ChannelDeleted}. */
  public boolean delete(String channel) {
    return store.delete(channel);
  }

  public Optional<EventStore.ChannelStats> stats(String channel) {
    return store.stats(channel);
  }

  /** Waiters covering {@code channel} now, by name or pattern. */
  public int subscribers(String channel) {
    return index.count(channel);
  }

  /** Polls parked now. */
  public int parkedCount() {
    return parked.size();
  }

  public Counters counters() {
    return counters;
  }

  /** The per-address limit: polls take and give back their slots here; streams use it directly. */
  public AddressQuota quota() {
    return quota;
  }

  public boolean healthy() {
    return store.healthy();
  }

  public boolean closing() {
    return closing;
  }

  /**
   * Refuses new polls, answers every parked one {@link Answer.ShuttingDown} and tells every stream to
   * end, on the calling thread.
   * The executors and the store are stopped by their owner afterwards.
   */
  public void shutdown() {
    closing = true;
    parked.values().forEach(poll -> poll.finish(new Answer.ShuttingDown()));
    watchers.forEach(this::endWatcher);
  }

  // ---- the store's change listener: called on the publishing thread, so hand off at once ----

  @Override
  public void appended(String channel, long seq) {
    dispatch(() -> fanOut(index.waitersFor(channel), () -> {
      SharedReads reads = new SharedReads(reader); // one per task: confined to its thread
      return waiter -> {
        if (waiter instanceof ParkedPoll poll) {
          poll.onAppended(channel, reads);
        } else {
          waiter.onAppended(channel);
        }
      };
    }));
  }

  @Override
  public void deleted(String channel) {
    dispatch(() -> fanOut(index.exactWaitersFor(channel), () -> waiter -> waiter.onDeleted(channel)));
  }

  /**
   * Wakes every waiter once, whatever it covers: each re-reads after its cursor, so an event or a
   * deletion whose notice was lost (a shared store's link was down) is still delivered.
   */
  @Override
  public void resync() {
    dispatch(() -> fanOut(
        index.all(), () -> waiter -> waiter.onAppended(coveredName(waiter.subscription()))));
  }

  /** A name the subscription covers, for a wake that concerns no channel in particular. */
  private static String coveredName(Subscription subscription) {
    return subscription.channels().isEmpty()
        ? subscription.prefixes().get(0)
        : subscription.channels().get(0);
  }

  // ---- internals, called by ParkedPoll ----

  /**
   * Re-reads after the poll's cursor and answers it if there is anything to say. Never throws: a failed
   * read leaves the poll parked (the deadline still answers it), and callers (the wake loop, the
   * deadline) must go on.
   */
  void check(ParkedPoll poll) {
    check(poll, null);
  }

  /** {@link #check(ParkedPoll)}, taking the read from {@code reads} when one is given. */
  void check(ParkedPoll poll, SharedReads reads) {
    if (poll.isFinished()) {
      return;
    }
    Batch batch;
    SharedReads.Read shared = null;
    try {
      if (reads == null) {
        batch = reader.read(poll.subscription(), poll.cursor(), poll.request().limit());
      } else {
        shared = reads.read(poll);
        batch = shared.batch;
      }
    } catch (StoreUnavailableException e) {
      LOG.log(Level.DEBUG, "re-read failed; poll stays parked", e);
      return;
    } catch (RuntimeException e) {
      LOG.log(Level.ERROR, "re-read failed unexpectedly; poll stays parked until its deadline", e);
      return;
    }
    for (String channel : poll.liveWhenParked()) {
      if (!batch.live().contains(channel)) {
        // Deleted between our first read and register(): the deletion's own wake may have missed us.
        poll.finish(new Answer.ChannelDeleted(channel));
        return;
      }
    }
    if (!batch.isEmpty()) {
      poll.finish(shared != null ? shared.answer() : Answer.Events.of(batch));
    }
  }

  /**
   * The deadline: read once more before answering "nothing". Under load, the wake for an event published
   * just before the deadline may still be queued behind other deliveries; answering with the event
   * instead of an empty timeout saves the client a round trip (nothing is lost either way).
   */
  private void expire(ParkedPoll poll) {
    check(poll);
    poll.finish(Answer.Events.empty(poll.cursor(), Answer.Reason.TIMEOUT));
  }

  boolean finish(ParkedPoll poll, Answer answer) {
    if (!poll.claim()) {
      return false;
    }
    poll.cancelDeadline();
    index.unregister(poll);
    parked.remove(poll.key(), poll);
    quota.release(poll.origin());
    try {
      answerNow(poll.responder(), answer);
    } finally {
      poll.markAnswered();
    }
    return true;
  }

  private void answerNow(PollResponder responder, Answer answer) {
    count(answer);
    try {
      responder.answer(answer);
    } catch (RuntimeException e) {
      LOG.log(Level.WARNING, "a poll responder failed", e);
    }
  }

  private void count(Answer answer) {
    counters.answers.increment();
    if (answer instanceof Answer.Events e) {
      counters.delivered.add(e.events().size());
      counters.gaps.add(e.gaps().size());
      if (e.reason() == Answer.Reason.TIMEOUT) {
        counters.timeouts.increment();
      } else if (e.reason() == Answer.Reason.SUPERSEDED) {
        counters.superseded.increment();
      }
    } else if (answer instanceof Answer.ChannelDeleted) {
      counters.deletedAnswers.increment();
    } else if (answer instanceof Answer.ClientGone) {
      counters.clientsGone.increment();
    }
  }

  /**
   * Splits a large fan-out over the delivery threads; runs the first share on this thread. Each share
   * gets its own action from {@code actions}, so per-task state ({@link SharedReads}) stays on one thread.
   */
  private void fanOut(List<Waiter> waiters, Supplier<Consumer<Waiter>> actions) {
    int n = waiters.size();
    int share = Math.max(FAN_OUT_BATCH, (n + deliveryThreads - 1) / deliveryThreads);
    for (int from = share; from < n; from += share) {
      List<Waiter> part = waiters.subList(from, Math.min(n, from + share));
      dispatch(() -> part.forEach(actions.get()));
    }
    waiters.subList(0, Math.min(n, share)).forEach(actions.get());
  }

  /** Runs on the delivery executor, or here if it no longer takes work (shutting down). */
  private void dispatch(Runnable task) {
    try {
      delivery.execute(task);
    } catch (RejectedExecutionException e) {
      task.run();
    }
  }
}
