package dev.parkway.client;

import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.ThreadLocalRandom;
import java.util.random.RandomGenerator;

/**
 * How long a subscription waits before polling again after a failure: exponential growth with full
 * jitter (a uniformly random delay between 0 and {@code min(max, initial * 2^(attempt-1))}), and never
 * less than the server's {@code Retry-After}. Immutable.
 */
public final class Backoff {
  /** Waits for a delay; the default is {@link Thread#sleep}. Must return early when interrupted. */
  @FunctionalInterface
  public interface Sleeper {
    void sleep(Duration delay) throws InterruptedException;
  }

  private static final Sleeper THREAD_SLEEP = d -> Thread.sleep(d.toMillis());

  private final Duration initial;
  private final Duration max;
  private final RandomGenerator random;
  private final Sleeper sleeper;

  private Backoff(Duration initial, Duration max, RandomGenerator random, Sleeper sleeper) {
    this.initial = initial;
    this.max = max;
    this.random = random;
    this.sleeper = sleeper;
  }

  /** 0.5 s growing to at most 30 s. */
  public static Backoff defaults() {
    return exponential(Duration.ofMillis(500), Duration.ofSeconds(30));
  }

  public static Backoff exponential(Duration initial, Duration max) {
    if (initial.toMillis() < 1 || max.compareTo(initial) < 0) {
      throw new IllegalArgumentException("need 1 ms <= initial <= max");
    }
    return new Backoff(initial, max, null, THREAD_SLEEP);
  }

  /** The random source for the jitter (for tests; the default is ThreadLocalRandom). */
  public Backoff withRandom(RandomGenerator random) {
    return new Backoff(initial, max, Objects.requireNonNull(random), sleeper);
  }

  /** The way to wait (for tests: record the delays instead of sleeping). */
  public Backoff withSleeper(Sleeper sleeper) {
    return new Backoff(initial, max, random, Objects.requireNonNull(sleeper));
  }

  public Duration initial() {
    return initial;
  }

  public Duration max() {
    return max;
  }

  /**
   * The delay before retry number {@code attempt} (1 for the first retry), at least
   * {@code retryAfter} when the server sent one.
   */
  public Duration delay(int attempt, Duration retryAfter) {
    int shift = Math.min(Math.max(attempt, 1) - 1, 30);
    long capMillis = Math.min(max.toMillis(), initial.toMillis() << shift);
    RandomGenerator r = random != null ? random : ThreadLocalRandom.current();
    long jittered = (long) (capMillis * r.nextDouble());
    Duration delay = Duration.ofMillis(jittered);
    if (retryAfter != null && retryAfter.compareTo(delay) > 0) {
      delay = retryAfter;
    }
    return delay;
  }

  void sleep(Duration delay) throws InterruptedException {
    sleeper.sleep(delay);
  }
}
