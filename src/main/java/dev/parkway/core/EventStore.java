package dev.parkway.core;

import java.util.List;
import java.util.Optional;

/**
 * Where events live: the store SPI every backend (memory, file journal, Redis) implements.
 *
 * <p><b>Contract.</b> Per channel, {@code seq} starts at 1 and grows by exactly one per accepted event, and
 * is never reused while the store lives, not even after {@link #delete}: a re-created channel goes on from
 * the deleted one's head. Timestamps never decrease within a channel. The {@link #epoch()} names this
 * store's history: it changes only when that history was lost (an in-memory store restarted), so cursors
 * of another epoch get a gap.
 *
 * <p><b>Two seams.</b> {@link #append} stores; {@link ChangeListener} tells the broker that a channel grew
 * or went away. A single-node store calls the listener itself after each append; a shared store (Redis)
 * also calls it for appends made by other nodes.
 *
 * <p><b>Threading.</b> Every method may be called from any thread at any time, concurrently. Appends to one
 * channel are serialised by the store. The listener is called after the append is visible to {@link
 * #readAfter}, never while a store lock is held, and must return quickly.
 */
public interface EventStore extends AutoCloseable {

  /** The name of this store's history. Stable for the store's life. */
  String epoch();

  /**
   * Appends one event.
   *
   * @param data compact JSON text
   * @param idempotencyKey null, or a key: an append with a key seen on this channel within the dedupe
   *     window stores nothing and returns the original event with {@code duplicate = true}
   * @throws StoreUnavailableException if nothing could be stored
   */
  Appended append(String channel, String data, String idempotencyKey);

  /** Up to {@code max} events of {@code channel} with seq greater than {@code afterSeq}, oldest first. */
  Slice readAfter(String channel, long afterSeq, int max);

  /** The seq of the first retained event with timestamp at or after {@code sinceMillis}, else head + 1. */
  long firstSeqSince(String channel, long sinceMillis);

  /** The channel's head, oldest and count, or empty if the channel does not exist. */
  Optional<ChannelStats> stats(String channel);

  /**
   * Drops the channel's events up to and including {@code upToSeq} because a reader has them (mailbox
   * acknowledgement). Not a loss: no gap is reported for them. An {@code upToSeq} past the head is
   * ignored. Returns the highest seq acknowledged so far on this channel.
   */
  default long acknowledge(String channel, long upToSeq) {
    throw new UnsupportedOperationException("this store does not support acknowledgements");
  }

  /** Deletes the channel's events; its head is kept so seq is never reused. True if it existed. */
  boolean delete(String channel);

  /** Existing channels whose names start with {@code prefix} (a pattern prefix, ending in a dot). */
  List<String> channelsUnder(String prefix);

  /** Drops events older than the retention age. Called periodically; stores may also trim lazily. */
  void trimExpired();

  /** Sets the one listener told of appends and deletions. Called once, before any append. */
  void setListener(ChangeListener listener);

  /**
   * The store's clock, in epoch milliseconds: the clock event timestamps come from. Cursors record it
   * so that "published after this cursor" can be decided against event timestamps.
   */
  default long now() {
    return System.currentTimeMillis();
  }

  /** Whether the store can serve requests now (for {@code /health}). */
  default boolean healthy() {
    return true;
  }

  @Override
  void close();

  /** Told of appends and deletions; see the threading rules on {@link EventStore}. */
  interface ChangeListener {
    void appended(String channel, long seq);

    void deleted(String channel);

    /**
     * Changes may have gone untold: a shared store's link to the other nodes was down, or its reads
     * failed for a while. Every waiter should read again after its own cursor (a wake with nothing new
     * is harmless). A single-node store never calls it.
     */
    default void resync() {}
  }

  /** The result of an append. */
  record Appended(Event event, boolean duplicate) {}

  /**
   * A read: the events found, and the channel's state at the time of the read. {@code oldest} is the seq
   * of the oldest retained event, or {@code head + 1} when none is retained; {@code exists} is false for a
   * channel never published to, or deleted. {@code lostTimestamp} is the timestamp of the newest event
   * retention dropped (not deleted, not acknowledged), or {@link #NOTHING_LOST}: it lets a reader that
   * asks by time ({@code since=}, or a channel created after its cursor) tell that it missed something.
   */
  record Slice(List<Event> events, long oldest, long head, boolean exists, long lostTimestamp) {
    public static final long NOTHING_LOST = Long.MIN_VALUE;

    public Slice(List<Event> events, long oldest, long head, boolean exists) {
      this(events, oldest, head, exists, NOTHING_LOST);
    }
  }

  /** A channel's state. */
  record ChannelStats(long head, long oldest, int buffered) {}
}
