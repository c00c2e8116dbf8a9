package dev.parkway.store.file;

import dev.parkway.core.Event;
import dev.parkway.core.EventStore.ChannelStats;
import dev.parkway.core.EventStore.Slice;
import dev.parkway.core.Retention;
import dev.parkway.core.StoreUnavailableException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;

/**
 * One channel (or mailbox) of the file store, in memory: what readers see, what publishers have been
 * promised, and where each retained event is in the journal.
 *
 * <p><b>Two states.</b> The <i>visible</i> state (head, the retained events, losses, acknowledgements,
 * deletion) changes only when the journal's writer applies a record that is on disk, in the order the
 * records were queued; readers see nothing else. The <i>reserved</i> state (the next seq, the last
 * timestamp given, the acknowledgement and deletion already queued, the idempotency keys) is what the
 * records queued so far will make of it: publishers decide against it, under this object's monitor, and
 * queue their record before releasing the monitor, so the journal holds a channel's records in seq order.
 * A failed write rolls the reserved state back to the visible one ({@link #rollback}).
 *
 * <p>The same {@code apply} methods rebuild a channel from the journal at start-up. STATE records
 * ({@link ChannelMarks}) merge by maximum, so it does not matter whether a STATE record was written a
 * little before or after the APPEND records around it.
 *
 * <p>Thread-safe: every method holds this object's monitor, briefly; disk reads for events that are no
 * longer cached happen outside it ({@link #readAfter}). Never calls out to listeners.
 */
final class JournalChannel {
  /** Newest events kept as objects per channel; older retained ones are read from the journal. */
  static final int WINDOW = 256;
  private static final int READ_ATTEMPTS = 5;

  final String name;
  private final Retention retention;
  private final Segments segments;
  private final SlotRing slots = new SlotRing();

  // Visible.
  private long head;
  private long lastTimestamp;
  private long lostSeq;
  private long lostTimestamp = Slice.NOTHING_LOST;
  private long ackedThrough;
  private long deletedThrough;

  // Reserved.
  private long reservedHead;
  private long reservedTimestamp;
  private long reservedAcked;
  private long reservedDeleted;
  /** Idempotency key to the append it produced, oldest first, for the dedupe window. */
  private final LinkedHashMap<String, AppendEntry> keys = new LinkedHashMap<>();
  /** The dropped-through seq the journal last heard of (the sweep writes a STATE record past it). */
  private long journaledDrop;

  JournalChannel(String name, Retention retention, Segments segments) {
    this.name = name;
    this.retention = retention;
    this.segments = segments;
  }

  Retention retention() {
    return retention;
  }

  /** The result of {@link #append}: a queued entry, or the original one of a repeated key. */
  record Submitted(AppendEntry entry, boolean duplicate) {}

  // ---- publishers (reserved state) --------------------------------------------------------------

  synchronized Submitted append(String data, String key, long now, Journal journal) {
    expireKeys(now);
    if (key != null) {
      AppendEntry original = keys.get(key);
      if (original != null && !original.hasFailed()) {
        return new Submitted(original, true);
      }
    }
    AppendEntry entry = new AppendEntry(this, reservedHead + 1, key, data, reservedTimestamp);
    journal.submit(entry);
    reservedHead = entry.seq;
    reservedTimestamp = entry.timestamp();
    if (key != null) {
      keys.remove(key); // re-insert at the end: the map stays in timestamp order
      keys.put(key, entry);
    }
    return new Submitted(entry, false);
  }

  /** Queues an acknowledgement up to {@code upToSeq}, or returns null if there is nothing to record. */
  synchronized StateEntry acknowledge(long upToSeq, Journal journal) {
    if (upToSeq > head || upToSeq <= reservedAcked) {
      return null; // past the head (ignored, as in memory) or nothing new
    }
    StateEntry entry = queueState(marks(upToSeq, reservedDeleted), journal);
    reservedAcked = upToSeq;
    return entry;
  }

  synchronized long acknowledged() {
    return reservedAcked;
  }

  /** Queues the channel's deletion, or returns null if it does not exist. */
  synchronized StateEntry delete(Journal journal) {
    if (reservedHead <= reservedDeleted) {
      return null;
    }
    StateEntry entry = queueState(marks(reservedAcked, reservedHead), journal);
    reservedDeleted = reservedHead;
    // Deleted, not lost: a re-created channel starts clean. (A failed delete does not bring them back.)
    keys.clear();
    return entry;
  }

  /** Queues this channel's marks again, so older segments can go (see {@link Housekeeping}). */
  synchronized void restate(Journal journal) {
    queueState(marks(reservedAcked, reservedDeleted), journal);
  }

  /** Retention by age, key expiry, and a STATE record if retention dropped events since the last one. */
  synchronized void sweep(long now, Journal journal) {
    trimAged(now);
    expireKeys(now);
    if (head - slots.size() > journaledDrop) {
      queueState(marks(reservedAcked, reservedDeleted), journal);
    }
  }

  private ChannelMarks marks(long acked, long deleted) {
    return new ChannelMarks(
        reservedHead, reservedTimestamp, head - slots.size(), lostSeq, lostTimestamp, acked, deleted);
  }

  private StateEntry queueState(ChannelMarks marks, Journal journal) {
    StateEntry entry = new StateEntry(this, marks);
    journal.submit(entry);
    journaledDrop = Math.max(journaledDrop, marks.droppedThrough());
    return entry;
  }

  /** After a failed write: forget what was promised and not written. */
  synchronized void rollback() {
    reservedHead = head;
    reservedAcked = ackedThrough;
    reservedDeleted = deletedThrough;
    keys.values().removeIf(AppendEntry::hasFailed);
  }

  // ---- the writer thread and recovery (visible state) ------------------------------------------

  /** An event is on disk at {@code location}; {@code event} is null when it is not to be cached. */
  synchronized void applyAppend(long seq, long timestamp, long location, Event event) {
    if (seq <= head) {
      return; // already applied (only a damaged journal repeats a seq); the first one stands
    }
    if (seq > head + 1) {
      // The events between are not in the journal (their segment is gone): nothing older is retained.
      dropThrough(head, false);
    }
    slots.add(location, timestamp, event, WINDOW);
    segments.hold(location);
    head = seq;
    lastTimestamp = Math.max(lastTimestamp, timestamp);
    while (slots.size() > retention.maxCount()) {
      dropOldest(true);
    }
  }

  synchronized void applyState(ChannelMarks m) {
    if (m.head() > head) {
      dropThrough(head, false); // events named by the marks but not in the journal: none retained
      head = m.head();
    }
    lastTimestamp = Math.max(lastTimestamp, m.lastTimestamp());
    if (m.lostSeq() > lostSeq) {
      lostSeq = m.lostSeq();
      lostTimestamp = m.lostTimestamp();
    }
    ackedThrough = Math.max(ackedThrough, m.ackedThrough());
    if (m.deletedThrough() > deletedThrough) {
      deletedThrough = m.deletedThrough();
      keys.values().removeIf(e -> e.seq <= deletedThrough);
    }
    long through = Math.max(m.droppedThrough(), Math.max(m.ackedThrough(), m.deletedThrough()));
    dropThrough(through, false);
  }

  /** The record at {@code location} carries a key: its segment stays until the key expires. */
  void keyWritten(long location, long timestamp) {
    segments.keyUntil(location, timestamp + retention.dedupeWindow().toMillis());
  }

  /** Recovery: a key read from the journal, with the event it produced. */
  synchronized void restoreKey(String key, AppendEntry done) {
    keys.remove(key);
    keys.put(key, done);
  }

  /** Recovery is over: apply retention as of {@code now}, and promise exactly what is visible. */
  synchronized void recovered(long now) {
    trimAged(now);
    keys.values().removeIf(e -> e.seq <= deletedThrough);
    expireKeys(now);
    reservedHead = head;
    reservedTimestamp = lastTimestamp;
    reservedAcked = ackedThrough;
    reservedDeleted = deletedThrough;
    journaledDrop = head - slots.size();
  }

  // ---- readers (visible state) -------------------------------------------------------------------

  synchronized boolean live() {
    return head > deletedThrough;
  }

  synchronized long firstSeqSince(long millis, long now) {
    trimAged(now);
    return oldest() + slots.firstAtOrAfter(millis);
  }

  synchronized ChannelStats stats(long now) {
    if (!live()) {
      return null;
    }
    trimAged(now);
    return new ChannelStats(head, oldest(), slots.size());
  }

  /**
   * Up to {@code max} events after {@code afterSeq}. Cached events are copied under the monitor; the others
   * are read from the journal after it is released (so a slow disk never holds up the writer), and if a
   * segment was deleted meanwhile (its events were dropped) the read starts over.
   *
   * @throws StoreUnavailableException if the journal cannot be read
   */
  Slice readAfter(long afterSeq, int max, long now) {
    for (int attempt = 1; ; attempt++) {
      Event[] events;
      long[] missing;
      long first;
      Slice state;
      synchronized (this) {
        trimAged(now);
        long oldest = oldest();
        state = new Slice(List.of(), oldest, head, live(), lost());
        if (afterSeq >= head || max <= 0) {
          return state;
        }
        first = Math.max(afterSeq + 1, oldest);
        int from = (int) (first - oldest);
        int n = Math.min(max, slots.size() - from);
        events = new Event[n];
        missing = new long[n];
        boolean complete = true;
        for (int i = 0; i < n; i++) {
          events[i] = slots.event(from + i);
          if (events[i] == null) {
            missing[i] = slots.location(from + i);
            complete = false;
          }
        }
        if (complete) {
          return withEvents(state, events);
        }
      }
      try {
        for (int i = 0; i < events.length; i++) {
          if (events[i] == null) {
            events[i] = readEvent(missing[i], first + i);
          }
        }
      } catch (Segment.SegmentGoneException e) {
        if (attempt < READ_ATTEMPTS) {
          continue; // dropped while we read: look again
        }
        throw new StoreUnavailableException("the journal changed under five reads in a row", e);
      } catch (IOException e) {
        throw new StoreUnavailableException("cannot read the journal: " + e.getMessage(), e);
      }
      cacheBelowWindow(events);
      return withEvents(state, events);
    }
  }

  private Event readEvent(long location, long seq) throws IOException {
    ByteBuffer record = segments.read(location);
    JournalRecord parsed;
    try {
      parsed = RecordFormat.parse(record, 0, record.getInt(0), true);
    } catch (IllegalArgumentException e) {
      throw new IOException("unreadable record at " + Location.segment(location) + ":" + Location.offset(location), e);
    }
    if (!(parsed instanceof JournalRecord.Append a) || a.seq() != seq || !a.channel().equals(name)) {
      throw new IOException("the journal does not hold " + name + " " + seq + " where it should");
    }
    return new Event(name, seq, a.timestamp(), a.data());
  }

  /** Events just read from disk that reach the cached suffix extend it backwards, up to the window. */
  private synchronized void cacheBelowWindow(Event[] events) {
    long oldest = oldest();
    for (int i = events.length - 1; i >= 0; i--) {
      long index = events[i].seq() - oldest;
      if (index < 0 || index >= slots.size()) {
        return; // dropped meanwhile, or the channel moved on: leave the cache as it is
      }
      if (index < slots.size() - slots.cached() && !slots.cacheBelow((int) index, events[i], WINDOW)) {
        return; // not adjacent to the cached suffix, or the window is full
      }
    }
  }

  private static Slice withEvents(Slice state, Event[] events) {
    return new Slice(
        Arrays.asList(events), state.oldest(), state.head(), state.exists(), state.lostTimestamp());
  }

  // ---- helpers, monitor held ------------------------------------------------------------------

  private long oldest() {
    return head - slots.size() + 1;
  }

  private long lost() {
    return lostSeq > deletedThrough ? lostTimestamp : Slice.NOTHING_LOST;
  }

  private void trimAged(long now) {
    if (retention.maxAge().isZero()) {
      return;
    }
    long cutoff = now - retention.maxAge().toMillis();
    while (slots.size() > 0 && slots.timestamp(0) < cutoff) {
      dropOldest(true);
    }
  }

  private void dropThrough(long seq, boolean lost) {
    while (slots.size() > 0 && oldest() <= seq) {
      dropOldest(lost);
    }
  }

  private void dropOldest(boolean lost) {
    if (lost) {
      lostSeq = oldest();
      lostTimestamp = slots.timestamp(0);
    }
    segments.release(slots.removeOldest());
  }

  private void expireKeys(long now) {
    long cutoff = now - retention.dedupeWindow().toMillis();
    Iterator<AppendEntry> it = keys.values().iterator();
    while (it.hasNext()) {
      AppendEntry e = it.next();
      if (e.timestamp() >= cutoff) {
        break;
      }
      it.remove();
    }
  }
}
