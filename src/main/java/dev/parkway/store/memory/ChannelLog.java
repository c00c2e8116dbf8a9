package dev.parkway.store.memory;

import dev.parkway.core.Event;
import dev.parkway.core.EventStore.Appended;
import dev.parkway.core.EventStore.ChannelStats;
import dev.parkway.core.EventStore.Slice;
import dev.parkway.core.Retention;
import java.time.Clock;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One channel of the in-memory store: its head, its retained events and its recent idempotency keys.
 *
 * <p>Thread-safe: every method holds this object's monitor, briefly and never while calling out. A deleted
 * channel stays as a tombstone ({@code live == false}) that keeps its head, so a re-created channel
 * continues the sequence instead of reusing numbers that clients' cursors may still hold.
 *
 * <p>Bytes: the log keeps at most {@link MemoryBudget#channelBytes()} bytes of events (always at least the
 * newest event) and reports every event it takes or drops to the store-wide {@link MemoryBudget}, under
 * this monitor, so the budget's totals and its append order never disagree with the logs for long.
 */
final class ChannelLog {
  private final String channel;
  private final MemoryBudget budget;
  private final EventRing ring = new EventRing();
  /** Idempotency key to the event it produced, oldest first, for the dedupe window. */
  private final LinkedHashMap<String, Event> keys = new LinkedHashMap<>();
  private long head;
  private long lastTimestamp;
  /** Timestamp of the newest event retention dropped; see {@link Slice#lostTimestamp()}. */
  private long lostTimestamp = Slice.NOTHING_LOST;
  /** The highest seq a reader acknowledged (mailboxes). */
  private long ackedThrough;
  private boolean live;
  /** Bytes of the events in {@link #ring}. */
  private long bytes;

  ChannelLog(String channel, MemoryBudget budget) {
    this.channel = channel;
    this.budget = budget;
  }

  /**
   * The clock is read under this log's monitor, not before it: a reader that takes {@code now()} and
   * then reads must never be followed by an append stamped earlier than that now (since= readers and
   * the golongpoll timestamp rule depend on it).
   */
  synchronized Appended append(String data, String key, Clock clock, Retention retention) {
    long now = clock.millis();
    expireKeys(now, retention);
    if (key != null) {
      Event original = keys.get(key);
      if (original != null) {
        return new Appended(original, true);
      }
    }
    // Timestamps never decrease within a channel, even if the wall clock steps back: since= reads and
    // the golongpoll since_time rule depend on it.
    long timestamp = Math.max(now, lastTimestamp);
    if (!live) {
      budget.admitChannel(); // throws past parkway.channels.max, before anything changes
    }
    Event event = new Event(channel, ++head, timestamp, data);
    lastTimestamp = timestamp;
    live = true;
    ring.add(event);
    bytes += MemoryBudget.size(event);
    budget.added(event);
    while (ring.size() > retention.maxCount()) {
      dropOldest();
    }
    while (bytes > budget.channelBytes() && ring.size() > 1) {
      dropOldest();
    }
    trimAged(now, retention);
    if (key != null) {
      keys.put(key, event);
    }
    return new Appended(event, false);
  }

  synchronized Slice readAfter(long afterSeq, int max, long now, Retention retention) {
    trimAged(now, retention);
    long oldest = oldestSeq();
    int from = (int) Math.max(0, afterSeq + 1 - oldest);
    List<Event> events = afterSeq >= head ? List.of() : ring.copy(from, max);
    return new Slice(events, oldest, head, live, lostTimestamp);
  }

  synchronized long firstSeqSince(long millis, long now, Retention retention) {
    trimAged(now, retention);
    return oldestSeq() + ring.firstIndexAtOrAfter(millis);
  }

  synchronized ChannelStats stats(long now, Retention retention) {
    if (!live) {
      return null;
    }
    trimAged(now, retention);
    return new ChannelStats(head, oldestSeq(), ring.size());
  }

  synchronized long acknowledge(long upToSeq) {
    if (upToSeq <= head) {
      while (ring.size() > 0 && ring.oldest().seq() <= upToSeq) {
        removeOldest(); // acknowledged, not lost: lostTimestamp stays
      }
      ackedThrough = Math.max(ackedThrough, upToSeq);
    }
    return ackedThrough;
  }

  synchronized boolean delete() {
    boolean existed = live;
    live = false;
    while (ring.size() > 0) {
      removeOldest();
    }
    ring.clear(); // back to its smallest array
    if (existed) {
      budget.channelGone();
    }
    keys.clear();
    lostTimestamp = Slice.NOTHING_LOST; // deleted, not lost: a re-created channel starts clean
    return existed;
  }

  synchronized boolean live() {
    return live;
  }

  synchronized void trimExpired(long now, Retention retention) {
    trimAged(now, retention);
    expireKeys(now, retention);
  }

  private long oldestSeq() {
    Event oldest = ring.oldest();
    return oldest == null ? head + 1 : oldest.seq();
  }

  private void trimAged(long now, Retention retention) {
    if (retention.maxAge().isZero()) {
      return;
    }
    long cutoff = now - retention.maxAge().toMillis();
    while (ring.size() > 0 && ring.oldest().timestamp() < cutoff) {
      dropOldest();
    }
  }

  /**
   * Drops {@code event} if it is this log's oldest (the store's byte limit evicts in append order).
   *
   * @return whether it was dropped; false if the log no longer holds it
   */
  synchronized boolean evict(Event event) {
    if (ring.size() == 0 || ring.oldest() != event) {
      return false;
    }
    dropOldest();
    return true;
  }

  /** Whether this log still holds {@code event} (for the budget's compaction). */
  synchronized boolean holds(Event event) {
    Event oldest = ring.oldest();
    long index = oldest == null ? -1 : event.seq() - oldest.seq();
    return index >= 0 && index < ring.size() && ring.get((int) index) == event;
  }

  /** Drops the oldest event as lost: readers behind it get a gap. */
  private void dropOldest() {
    lostTimestamp = ring.oldest().timestamp();
    removeOldest();
  }

  private void removeOldest() {
    Event oldest = ring.oldest();
    ring.removeOldest();
    bytes -= MemoryBudget.size(oldest);
    budget.removed(oldest);
  }

  private void expireKeys(long now, Retention retention) {
    long cutoff = now - retention.dedupeWindow().toMillis();
    Iterator<Map.Entry<String, Event>> it = keys.entrySet().iterator();
    while (it.hasNext() && it.next().getValue().timestamp() < cutoff) {
      it.remove();
    }
  }
}
