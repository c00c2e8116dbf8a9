package dev.parkway.store.file;

import dev.parkway.core.Event;

/**
 * The retained events of one channel, oldest first, with consecutive seqs: for each, where its record is
 * in the journal ({@link Locations}) and its timestamp, and for the newest ones the {@link Event} itself.
 *
 * <p>The cached events are always a suffix (the newest {@link #cached()} slots), at most {@code window}
 * of them: new events are cached as they are appended, and a read from disk that reaches the cached
 * suffix extends it backwards ({@link #cacheBelow}). Everything older is read from the journal. A slot
 * costs 20 bytes plus its event while cached. Not thread-safe: its owner ({@link JournalChannel}) guards it.
 */
final class SlotRing {
  private long[] locations = new long[8];
  private long[] timestamps = new long[8];
  private Event[] events = new Event[8];
  private int start;
  private int size;
  private int cached;

  int size() {
    return size;
  }

  /** How many of the newest slots hold their event. */
  int cached() {
    return cached;
  }

  long location(int index) {
    return locations[slot(index)];
  }

  long timestamp(int index) {
    return timestamps[slot(index)];
  }

  /** The event, or null if it is not cached. */
  Event event(int index) {
    return events[slot(index)];
  }

  /** Appends the newest slot; {@code event} null means not cached (and then nothing older is either). */
  void add(long location, long timestamp, Event event, int window) {
    if (size == locations.length) {
      grow();
    }
    int s = slot(size);
    locations[s] = location;
    timestamps[s] = timestamp;
    events[s] = event;
    size++;
    if (event == null) {
      for (int i = size - 1 - cached; i < size - 1; i++) {
        events[slot(i)] = null;
      }
      cached = 0;
    } else if (++cached > window) {
      uncacheOldest(cached - window);
    }
  }

  /** Drops the oldest slot and returns its location. */
  long removeOldest() {
    int s = slot(0);
    long location = locations[s];
    events[s] = null;
    start = (start + 1) % locations.length;
    size--;
    cached = Math.min(cached, size);
    return location;
  }

  /**
   * Caches {@code event} at {@code index} if that is the slot just below the cached suffix and the
   * suffix is shorter than {@code window}. Returns whether it did.
   */
  boolean cacheBelow(int index, Event event, int window) {
    if (index != size - cached - 1 || cached >= window) {
      return false;
    }
    events[slot(index)] = event;
    cached++;
    return true;
  }

  /** Index of the first slot with timestamp at or after {@code millis}; timestamps never decrease. */
  int firstAtOrAfter(long millis) {
    int lo = 0;
    int hi = size;
    while (lo < hi) {
      int mid = (lo + hi) >>> 1;
      if (timestamp(mid) < millis) {
        lo = mid + 1;
      } else {
        hi = mid;
      }
    }
    return lo;
  }

  private void uncacheOldest(int n) {
    for (int i = 0; i < n; i++) {
      events[slot(size - cached)] = null;
      cached--;
    }
  }

  private int slot(int index) {
    return (start + index) % locations.length;
  }

  private void grow() {
    int n = locations.length * 2;
    long[] l = new long[n];
    long[] t = new long[n];
    Event[] e = new Event[n];
    for (int i = 0; i < size; i++) {
      int s = slot(i);
      l[i] = locations[s];
      t[i] = timestamps[s];
      e[i] = events[s];
    }
    locations = l;
    timestamps = t;
    events = e;
    start = 0;
  }
}
