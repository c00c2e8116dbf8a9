package dev.parkway.store.memory;

import dev.parkway.core.ChannelLimitException;
import dev.parkway.core.Event;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;

/**
 * The store-wide side of {@link MemoryLimits}: the number of live channels, the bytes every channel keeps
 * together, and the order in which events were appended, so that the store's oldest event can be found
 * and dropped when the total passes its limit.
 *
 * <p><b>The order.</b> Every appended event is queued here by its {@link ChannelLog} under that log's
 * monitor, so one channel's events are queued in seq order. Events that leave a log another way (count or
 * age retention, acknowledgement, deletion, the per-channel byte limit) stay queued as stale entries:
 * {@link #evictOver} skips them (the log says it no longer holds them) and {@link #compact} removes them
 * once they outnumber the events still held, so the queue stays proportional to what the store holds.
 *
 * <p>Thread-safe: counters are atomic, the queue is lock-free, and dropping an event happens under its
 * log's monitor ({@link ChannelLog#evict}). Never calls out while holding a lock.
 */
final class MemoryBudget {
  private final MemoryLimits limits;
  private final AtomicInteger liveChannels = new AtomicInteger();
  private final AtomicLong bytes = new AtomicLong();
  private final AtomicLong events = new AtomicLong();
  private final Queue<Event> order = new ConcurrentLinkedQueue<>();
  private final AtomicLong queued = new AtomicLong();
  private final LongAdder evicted = new LongAdder();

  MemoryBudget(MemoryLimits limits) {
    this.limits = limits;
  }

  long channelBytes() {
    return limits.channelBytes();
  }

  /**
   * Counts one more live channel, or refuses it. A compare-and-set loop, so two channels created at once
   * can never both take the last place.
   */
  void admitChannel() {
    int max = limits.maxChannels();
    while (true) {
      int now = liveChannels.get();
      if (max > 0 && now >= max) {
        throw new ChannelLimitException(max);
      }
      if (liveChannels.compareAndSet(now, now + 1)) {
        return;
      }
    }
  }

  /** Throws if no channel can be created now (a cheap check before a new channel's log is made). */
  void refuseIfFull() {
    int max = limits.maxChannels();
    if (max > 0 && liveChannels.get() >= max) {
      throw new ChannelLimitException(max);
    }
  }

  void channelGone() {
    liveChannels.decrementAndGet();
  }

  /** Called by a log, under its monitor, for an event it now holds. */
  void added(Event event) {
    bytes.addAndGet(size(event));
    events.incrementAndGet();
    order.add(event);
    queued.incrementAndGet();
  }

  /** Called by a log, under its monitor, for an event it no longer holds. */
  void removed(Event event) {
    bytes.addAndGet(-size(event));
    events.decrementAndGet();
  }

  /**
   * While the store holds more than its byte limit, drops its oldest events. Called after an append,
   * with no lock held.
   */
  void evictOver(Map<String, ChannelLog> logs) {
    while (bytes.get() > limits.totalBytes()) {
      Event oldest = order.poll();
      if (oldest == null) {
        return;
      }
      queued.decrementAndGet();
      ChannelLog log = logs.get(oldest.channel());
      if (log != null && log.evict(oldest)) {
        evicted.increment();
      }
    }
  }

  /** Removes stale entries once they outnumber the events held; called by the periodic sweep. */
  void compact(Map<String, ChannelLog> logs) {
    if (queued.get() <= 2 * events.get() + 1024) {
      return;
    }
    order.removeIf(
        e -> {
          ChannelLog log = logs.get(e.channel());
          boolean stale = log == null || !log.holds(e);
          if (stale) {
            queued.decrementAndGet();
          }
          return stale;
        });
  }

  static int size(Event event) {
    return event.jsonBytes().length;
  }

  long bytes() {
    return bytes.get();
  }

  int liveChannels() {
    return liveChannels.get();
  }

  long evicted() {
    return evicted.sum();
  }

  long queued() {
    return queued.get();
  }
}
