package dev.parkway.store.redis;

import dev.parkway.core.Event;
import dev.parkway.core.EventStore.Slice;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Turns the scripts' replies (see {@link Scripts} for each shape) into core types. Jedis hands strings
 * back as {@code String} or {@code byte[]} and integers as {@code Long}; both are accepted. Stateless.
 */
final class Replies {
  private Replies() {}

  static long asLong(Object reply) {
    if (reply instanceof Long n) {
      return n;
    }
    return Long.parseLong(asString(reply));
  }

  static String asString(Object reply) {
    if (reply instanceof byte[] bytes) {
      return new String(bytes, StandardCharsets.UTF_8);
    }
    return String.valueOf(reply);
  }

  /** {@code "seq:timestamp:data"}, as the append script records an idempotency key's event. */
  static Event recorded(String channel, String record) {
    int first = record.indexOf(':');
    int second = record.indexOf(':', first + 1);
    return new Event(
        channel,
        Long.parseLong(record.substring(0, first)),
        Long.parseLong(record.substring(first + 1, second)),
        record.substring(second + 1));
  }

  /** {@code {head, oldest, live, lost, seq1, timestamp1, data1, ...}}. */
  static Slice slice(String channel, Object reply) {
    List<?> parts = (List<?>) reply;
    long head = asLong(parts.get(0));
    long oldest = asLong(parts.get(1));
    boolean live = asLong(parts.get(2)) == 1;
    String lost = asString(parts.get(3));
    List<Event> events = new ArrayList<>((parts.size() - 4) / 3);
    for (int i = 4; i + 2 < parts.size(); i += 3) {
      events.add(
          new Event(channel, asLong(parts.get(i)), asLong(parts.get(i + 1)), asString(parts.get(i + 2))));
    }
    return new Slice(
        events, oldest, head, live, lost.isEmpty() ? Slice.NOTHING_LOST : Long.parseLong(lost));
  }
}
