package dev.parkway.core;

import java.util.List;
import java.util.Set;

/**
 * The result of one read over a subscription: events in delivery order, the cursor after them, the gaps
 * met on the way, and whether more events remain. {@code live} names the covered channels that exist, so
 * a waiter can tell that a channel it saw was deleted.
 */
public record Batch(List<Event> events, Cursor cursor, List<Gap> gaps, boolean more, Set<String> live) {
  /** True when there is nothing to tell the reader: no event and no gap. */
  public boolean isEmpty() {
    return events.isEmpty() && gaps.isEmpty();
  }
}
