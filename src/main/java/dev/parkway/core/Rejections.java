package dev.parkway.core;

import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

/**
 * Requests answered with an error, counted by HTTP status and error code ({@code 429 too_many_polls},
 * {@code 413 body_too_large}, {@code 401 ...}), for {@code /metrics}. The transport counts every JSON error
 * it writes through here, so a new kind of refusal (authentication, say) is counted as soon as its answer
 * goes through the same writer.
 *
 * <p>Codes are Parkway's own constants, never user input, so the set is small; still, past {@link
 * #MAX_KINDS} distinct pairs everything new is counted as {@code other}, so a bug could never turn this
 * into an unbounded map (or a metric with unbounded labels). Thread-safe.
 */
public final class Rejections {
  static final int MAX_KINDS = 128;
  private static final String OTHER = "other";

  /** One kind of refusal. */
  public record Kind(int status, String code) implements Comparable<Kind> {
    @Override
    public int compareTo(Kind o) {
      int byStatus = Integer.compare(status, o.status);
      return byStatus != 0 ? byStatus : code.compareTo(o.code);
    }
  }

  private final ConcurrentHashMap<Kind, LongAdder> counts = new ConcurrentHashMap<>();

  public void count(int status, String code) {
    Kind kind = new Kind(status, code == null ? OTHER : code);
    LongAdder n = counts.get(kind);
    if (n == null) {
      if (counts.size() >= MAX_KINDS) {
        kind = new Kind(status, OTHER);
      }
      n = counts.computeIfAbsent(kind, k -> new LongAdder());
    }
    n.increment();
  }

  /** How many of one kind so far. */
  public long count(Kind kind) {
    LongAdder n = counts.get(kind);
    return n == null ? 0 : n.sum();
  }

  /** Every kind seen so far with its count, ordered by status then code. */
  public Map<Kind, Long> snapshot() {
    Map<Kind, Long> out = new TreeMap<>();
    counts.forEach((kind, n) -> out.put(kind, n.sum()));
    return out;
  }
}
