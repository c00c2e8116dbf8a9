package dev.parkway.store.redis;

import java.time.Clock;
import java.util.List;
import redis.clients.jedis.Protocol;
import redis.clients.jedis.UnifiedJedis;

/**
 * The one clock of the Redis store: event timestamps and {@code now()} both come from it.
 *
 * <p><b>Why Redis's clock.</b> With several nodes, each node's wall clock differs a little. If each stamped
 * events with its own, an event published on a node whose clock runs behind could be stamped earlier than
 * a cursor issued a moment before on another node, and {@code since=} and the cursors' issue times
 * ({@code Cursor.issuedAt}) would misjudge what is new. So the append script stamps every event with
 * Redis's {@code TIME} (and never lower than the channel's previous timestamp), whichever node publishes.
 *
 * <p><b>{@code now()} without a round trip.</b> Readers ask for {@code now()} before every read, so it
 * must be cheap. It is an estimate that is never ahead of Redis's clock: a sample of {@code TIME} taken at
 * some instant between sending the command and reading its reply is extrapolated from the moment the reply
 * was read, with {@link System#nanoTime} (immune to this node's wall clock being stepped). The true Redis
 * time at that moment is at least the sample, so the estimate is a lower bound, and an append made after
 * a reader's {@code now()} is stamped at or after it, which is what the readers rely on. The watch thread
 * takes a new sample every second, so drift between the two clocks stays far below a millisecond.
 *
 * <p>With a {@link Clock} given instead (tests that drive time by hand), the clock stamps events (the
 * scripts receive its time) and answers {@code now()}. Thread-safe.
 */
final class RedisClock {
  private final Clock fixed;
  /** Redis time in microseconds at {@link #sampleNanos}; replaced as a whole. */
  private volatile Sample sample;

  private record Sample(long redisMicros, long nanos) {}

  private RedisClock(Clock fixed) {
    this.fixed = fixed;
  }

  /** Redis's own clock; call {@link #sample} before the first {@link #now}. */
  static RedisClock server() {
    return new RedisClock(null);
  }

  /** A clock driven by the caller (tests). */
  static RedisClock of(Clock clock) {
    return new RedisClock(clock);
  }

  /** The time argument of a script: empty for Redis's {@code TIME}, else this clock's millis. */
  String scriptArgument() {
    return fixed == null ? "" : Long.toString(fixed.millis());
  }

  long now() {
    if (fixed != null) {
      return fixed.millis();
    }
    Sample s = sample;
    return (s.redisMicros + (System.nanoTime() - s.nanos) / 1000) / 1000;
  }

  /** Reads Redis's {@code TIME} (also the watch thread's liveness probe). Throws what Jedis throws. */
  void sample(UnifiedJedis redis) {
    Object reply = redis.sendCommand(Protocol.Command.TIME);
    long after = System.nanoTime();
    if (fixed != null) {
      return;
    }
    List<?> parts = (List<?>) reply;
    long seconds = Replies.asLong(parts.get(0));
    long micros = Replies.asLong(parts.get(1));
    sample = new Sample(seconds * 1_000_000 + micros, after);
  }
}
