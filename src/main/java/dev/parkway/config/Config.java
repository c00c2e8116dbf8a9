package dev.parkway.config;

import java.time.Duration;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Parkway's configuration: built once at start-up, immutable, validated as a whole.
 *
 * <p>Each setting is read from the layered {@link ConfigSource} (context init-param, then JNDI {@code
 * java:comp/env}, then {@code -D} system property, then environment variable), else its default here.
 * Every value that breaks a rule is reported together in one {@link ConfigException}; Parkway does not
 * start on a configuration it cannot honour. The README's "Configuration" section lists every setting.
 */
public record Config(
    String store,
    Duration pollTimeoutDefault,
    Duration pollTimeoutMax,
    int pollLimitDefault,
    int pollLimitMax,
    int pollChannelsMax,
    int answerMaxBytes,
    int retentionCount,
    Duration retentionAge,
    Duration dedupeWindow,
    int mailboxCapacity,
    Duration mailboxTtl,
    int bodyMax,
    int deliveryThreads,
    Duration shutdownRetryAfter,
    Duration containerTimeoutMargin,
    Map<String, String> effective) {

  public static final String STORE = "parkway.store";
  public static final String POLL_TIMEOUT_DEFAULT = "parkway.poll.timeout.default";
  public static final String POLL_TIMEOUT_MAX = "parkway.poll.timeout.max";
  public static final String POLL_LIMIT_DEFAULT = "parkway.poll.limit.default";
  public static final String POLL_LIMIT_MAX = "parkway.poll.limit.max";
  public static final String POLL_CHANNELS_MAX = "parkway.poll.channels.max";
  public static final String ANSWER_MAX_BYTES = "parkway.poll.answer.max-bytes";
  public static final String RETENTION_COUNT = "parkway.channel.retention.count";
  public static final String RETENTION_AGE = "parkway.channel.retention.age";
  public static final String DEDUPE_WINDOW = "parkway.idempotency.window";
  public static final String MAILBOX_CAPACITY = "parkway.mailbox.capacity";
  public static final String MAILBOX_TTL = "parkway.mailbox.ttl";
  public static final String BODY_MAX = "parkway.body.max";
  public static final String DELIVERY_THREADS = "parkway.delivery.threads";
  public static final String SHUTDOWN_RETRY_AFTER = "parkway.shutdown.retry-after";
  public static final String CONTAINER_TIMEOUT_MARGIN = "parkway.poll.container-margin";

  private static final Set<String> STORES = Set.of("memory");
  private static final Duration DAY = Duration.ofDays(1);

  public Config {
    effective = Collections.unmodifiableMap(new LinkedHashMap<>(effective));
  }

  /** Reads and validates every setting; throws listing every problem at once. */
  public static Config load(ConfigSource source) {
    SettingReader r = new SettingReader(source);
    String store = r.oneOf(STORE, "memory", STORES);
    Duration timeoutMax = r.seconds(POLL_TIMEOUT_MAX, Duration.ofSeconds(120), Duration.ofSeconds(1), DAY);
    // A built-in default never exceeds a maximum the operator lowered; one they set themselves must fit.
    Duration builtInTimeout = min(Duration.ofSeconds(25), timeoutMax);
    Duration timeoutDefault = r.seconds(POLL_TIMEOUT_DEFAULT, builtInTimeout, Duration.ZERO, DAY);
    int limitMax = r.integer(POLL_LIMIT_MAX, 1000, 1, 100_000);
    int limitDefault = r.integer(POLL_LIMIT_DEFAULT, Math.min(100, limitMax), 1, 100_000);
    int channelsMax = r.integer(POLL_CHANNELS_MAX, 32, 1, 10_000);
    int answerMaxBytes = r.integer(ANSWER_MAX_BYTES, 1 << 20, 1024, Integer.MAX_VALUE);
    int retentionCount = r.integer(RETENTION_COUNT, 1000, 1, 10_000_000);
    Duration retentionAge =
        r.seconds(RETENTION_AGE, Duration.ofHours(1), Duration.ZERO, Duration.ofDays(3650));
    Duration dedupe = r.seconds(DEDUPE_WINDOW, Duration.ofMinutes(10), Duration.ZERO, DAY);
    int mailboxCapacity = r.integer(MAILBOX_CAPACITY, 1000, 1, 10_000_000);
    Duration mailboxTtl =
        r.seconds(MAILBOX_TTL, Duration.ofHours(1), Duration.ZERO, Duration.ofDays(3650));
    int bodyMax = r.integer(BODY_MAX, 64 * 1024, 16, 64 * 1024 * 1024);
    int threads =
        r.integer(DELIVERY_THREADS, Runtime.getRuntime().availableProcessors(), 1, 1024);
    Duration retryAfter =
        r.seconds(SHUTDOWN_RETRY_AFTER, Duration.ofSeconds(5), Duration.ofSeconds(1), Duration.ofHours(1));
    Duration margin =
        r.seconds(CONTAINER_TIMEOUT_MARGIN, Duration.ofSeconds(5), Duration.ofMillis(100), Duration.ofMinutes(10));
    r.require(
        timeoutDefault.compareTo(timeoutMax) <= 0,
        POLL_TIMEOUT_DEFAULT + " (" + SettingReader.format(timeoutDefault) + ") must not exceed "
            + POLL_TIMEOUT_MAX + " (" + SettingReader.format(timeoutMax) + ")");
    r.require(
        limitDefault <= limitMax,
        POLL_LIMIT_DEFAULT + " (" + limitDefault + ") must not exceed " + POLL_LIMIT_MAX + " (" + limitMax + ")");
    r.check();
    return new Config(
        store, timeoutDefault, timeoutMax, limitDefault, limitMax, channelsMax, answerMaxBytes,
        retentionCount, retentionAge, dedupe, mailboxCapacity, mailboxTtl, bodyMax, threads,
        retryAfter, margin, r.effective());
  }

  private static Duration min(Duration a, Duration b) {
    return a.compareTo(b) <= 0 ? a : b;
  }

  /** One line per setting, for the start-up log; secrets are already masked. */
  public String describe() {
    return effective.entrySet().stream()
        .map(e -> e.getKey() + "=" + e.getValue())
        .collect(Collectors.joining(", ", "Parkway configuration: ", ""));
  }
}
