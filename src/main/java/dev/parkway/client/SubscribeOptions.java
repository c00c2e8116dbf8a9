package dev.parkway.client;

import java.time.Duration;
import java.util.Objects;

/**
 * Where a subscription starts and how it polls. Immutable; each {@code with...} returns a copy.
 *
 * <pre>{@code
 * SubscribeOptions.after(savedCursor).withTimeout(Duration.ofSeconds(30)).withLimit(500)
 * }</pre>
 */
public final class SubscribeOptions {
  private static final SubscribeOptions DEFAULTS =
      new SubscribeOptions(null, -1, Duration.ofSeconds(25), 0, null);

  private final String after;
  private final long since;
  private final Duration timeout;
  private final int limit;
  private final String clientId;

  private SubscribeOptions(String after, long since, Duration timeout, int limit, String clientId) {
    this.after = after;
    this.since = since;
    this.timeout = timeout;
    this.limit = limit;
    this.clientId = clientId;
  }

  /** Start at the head (only events published from now on); poll timeout 25 s; the server's limit. */
  public static SubscribeOptions defaults() {
    return DEFAULTS;
  }

  /** Resume after a cursor saved from {@link Subscription#cursor()} (or a bare seq, one channel only). */
  public static SubscribeOptions after(String cursor) {
    return DEFAULTS.withAfter(cursor);
  }

  /** Start at the oldest retained event ({@code after=0}; no gap is reported for older trimmed ones). */
  public static SubscribeOptions fromOldest() {
    return DEFAULTS.withAfter("0");
  }

  /** Start at the first retained event with a timestamp at or after {@code epochMillis}. */
  public static SubscribeOptions since(long epochMillis) {
    return DEFAULTS.withSince(epochMillis);
  }

  public SubscribeOptions withAfter(String cursor) {
    Objects.requireNonNull(cursor, "cursor");
    if (cursor.isEmpty()) {
      throw new IllegalArgumentException("empty cursor");
    }
    return new SubscribeOptions(cursor, -1, timeout, limit, clientId);
  }

  public SubscribeOptions withSince(long epochMillis) {
    if (epochMillis < 0) {
      throw new IllegalArgumentException("since must be >= 0");
    }
    return new SubscribeOptions(null, epochMillis, timeout, limit, clientId);
  }

  /** How long one poll waits on the server when nothing is there (whole milliseconds, 1 ms or more). */
  public SubscribeOptions withTimeout(Duration pollTimeout) {
    if (pollTimeout.isNegative() || pollTimeout.toMillis() < 1) {
      throw new IllegalArgumentException("timeout must be at least 1 ms");
    }
    return new SubscribeOptions(after, since, pollTimeout, limit, clientId);
  }

  /** Most events in one answer (0: the server's default). */
  public SubscribeOptions withLimit(int maxEvents) {
    if (maxEvents < 0) {
      throw new IllegalArgumentException("limit must be >= 0");
    }
    return new SubscribeOptions(after, since, timeout, maxEvents, clientId);
  }

  /** A client id for {@code client=}: a newer poll with the same id supersedes this one (channels only). */
  public SubscribeOptions withClientId(String id) {
    if (id != null) {
      Names.requireClient(id);
    }
    return new SubscribeOptions(after, since, timeout, limit, id);
  }

  public String after() {
    return after;
  }

  /** The {@code since} start, or -1 when not set. */
  public long since() {
    return since;
  }

  public Duration timeout() {
    return timeout;
  }

  public int limit() {
    return limit;
  }

  public String clientId() {
    return clientId;
  }

  @Override
  public String toString() {
    return "SubscribeOptions[after=" + after + ", since=" + since + ", timeout=" + timeout
        + ", limit=" + limit + ", clientId=" + clientId + "]";
  }
}
