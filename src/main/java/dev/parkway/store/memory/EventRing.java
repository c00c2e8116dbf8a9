package dev.parkway.store.memory;

import dev.parkway.core.Event;
import java.util.ArrayList;
import java.util.List;

/**
 * The retained events of one channel, oldest first, with consecutive seqs: a growable circular array
 * indexed by {@code seq - oldestSeq}, so a read after any seq is O(1) to find. Not thread-safe: its owner
 * ({@link ChannelLog}) guards it.
 */
final class EventRing {
  private Event[] slots = new Event[8];
  private int start;
  private int size;

  int size() {
    return size;
  }

  Event get(int index) {
    return slots[(start + index) % slots.length];
  }

  Event oldest() {
    return size == 0 ? null : slots[start];
  }

  void add(Event event) {
    if (size == slots.length) {
      Event[] bigger = new Event[slots.length * 2];
      for (int i = 0; i < size; i++) {
        bigger[i] = get(i);
      }
      slots = bigger;
      start = 0;
    }
    slots[(start + size) % slots.length] = event;
    size++;
  }

  void removeOldest() {
    slots[start] = null;
    start = (start + 1) % slots.length;
    size--;
  }

  void clear() {
    slots = new Event[8];
    start = 0;
    size = 0;
  }

  /** Up to {@code max} events from index {@code from}. */
  List<Event> copy(int from, int max) {
    int n = Math.min(max, size - from);
    if (n <= 0) {
      return List.of();
    }
    List<Event> out = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      out.add(get(from + i));
    }
    return out;
  }

  /** Index of the first event with timestamp at or after {@code millis}; timestamps never decrease. */
  int firstIndexAtOrAfter(long millis) {
    int lo = 0;
    int hi = size;
    while (lo < hi) {
      int mid = (lo + hi) >>> 1;
      if (get(mid).timestamp() < millis) {
        lo = mid + 1;
      } else {
        hi = mid;
      }
    }
    return lo;
  }
}
