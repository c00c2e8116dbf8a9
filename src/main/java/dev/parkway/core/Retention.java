package dev.parkway.core;

import java.time.Duration;

/**
 * How much of each channel a store keeps: at most {@code maxCount} events, none older than {@code maxAge}
 * ({@link Duration#ZERO} for no age limit), and idempotency keys for {@code dedupeWindow}.
 */
public record Retention(int maxCount, Duration maxAge, Duration dedupeWindow) {
  public Retention {
    if (maxCount < 1) {
      throw new IllegalArgumentException("maxCount must be at least 1");
    }
    if (maxAge.isNegative() || dedupeWindow.isNegative()) {
      throw new IllegalArgumentException("durations must not be negative");
    }
  }
}
