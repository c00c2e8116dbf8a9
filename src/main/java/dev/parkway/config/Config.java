package dev.parkway.config;

import java.time.Duration;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
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
    Sse sse,
    Compat compat,
    FileStore file,
    Redis redis,
    Auth auth,
    Cors cors,
    Limits limits,
    boolean metrics,
    Direct direct,
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

  public static final String SSE_HEARTBEAT = "parkway.sse.heartbeat";
  public static final String SSE_BUFFER_MAX = "parkway.sse.buffer.max";
  public static final String COMPAT = "parkway.compat";

  public static final String FILE_DIR = "parkway.file.dir";
  public static final String FILE_FSYNC = "parkway.file.fsync";
  public static final String FILE_FSYNC_INTERVAL = "parkway.file.fsync.interval";
  public static final String FILE_SEGMENT_BYTES = "parkway.file.segment.bytes";

  public static final String REDIS_URL = "parkway.redis.url";
  public static final String REDIS_PASSWORD = "parkway.redis.password";
  public static final String REDIS_TLS = "parkway.redis.tls";
  public static final String REDIS_DATABASE = "parkway.redis.database";
  public static final String REDIS_POOL_SIZE = "parkway.redis.pool.size";
  public static final String REDIS_TIMEOUT = "parkway.redis.timeout";
  public static final String REDIS_PREFIX = "parkway.redis.prefix";

  public static final String AUTH = "parkway.auth";
  public static final String AUTH_PUBLISH_TOKEN = "parkway.auth.publish-token";
  public static final String AUTH_SUBSCRIBE_TOKEN = "parkway.auth.subscribe-token";
  public static final String AUTH_ADMIN_TOKEN = "parkway.auth.admin-token";
  public static final String AUTH_JWT_SECRET = "parkway.auth.jwt.secret";
  /** The name docs/API.md gave the JWT secret first; the same setting (the same environment variable). */
  public static final String AUTH_JWT_SECRET_ALIAS = "parkway.auth.jwt-secret";
  public static final String AUTH_JWT_ISSUER = "parkway.auth.jwt.issuer";
  public static final String AUTH_JWT_AUDIENCE = "parkway.auth.jwt.audience";
  public static final String AUTH_JWT_CLOCK_SKEW = "parkway.auth.jwt.clock-skew";
  public static final String CORS_ORIGINS = "parkway.cors.origins";
  public static final String CORS_CREDENTIALS = "parkway.cors.credentials";
  public static final String CORS_MAX_AGE = "parkway.cors.max-age";
  public static final String PARKED_PER_ADDRESS_MAX = "parkway.parked.per-address.max";
  public static final String CHANNELS_MAX = "parkway.channels.max";
  public static final String MEMORY_CHANNEL_MAX_BYTES = "parkway.memory.channel.max-bytes";
  public static final String MEMORY_MAX_BYTES = "parkway.memory.max-bytes";
  public static final String METRICS = "parkway.metrics";
  public static final String DIRECT_PORT = "parkway.direct.port";
  public static final String DIRECT_ADDRESS = "parkway.direct.address";
  public static final String DIRECT_THREADS = "parkway.direct.threads";
  public static final String DIRECT_IDLE = "parkway.direct.idle";

  /** The compatibility routes, by the name {@code parkway.compat} lists them with. */
  public static final List<String> COMPAT_ROUTES = List.of("gin", "node", "broadcast", "golongpoll", "chat");

  private static final Set<String> STORES = Set.of("memory", "file", "redis");
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
    Sse sse =
        new Sse(
            r.seconds(SSE_HEARTBEAT, Duration.ofSeconds(15), Duration.ofMillis(100), Duration.ofSeconds(15)),
            r.integer(SSE_BUFFER_MAX, 256 * 1024, 1024, 64 * 1024 * 1024));
    Compat compat = Compat.load(r);
    FileStore file = FileStore.load(r);
    Redis redis = Redis.load(r);
    Auth auth = Auth.load(r);
    Cors cors = Cors.load(r);
    Limits limits = Limits.load(r);
    boolean metrics = r.oneOf(METRICS, "on", Set.of("on", "off")).equals("on");
    Direct direct = Direct.load(r);
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
        retryAfter, margin, sse, compat, file, redis, auth, cors, limits, metrics, direct,
        r.effective());
  }

  /**
   * SSE streams: a comment heartbeat at least every {@code heartbeat} (15 s at most), and at most
   * {@code bufferMax} bytes waiting to be written to one stream before it is closed as too slow.
   */
  public record Sse(Duration heartbeat, int bufferMax) {}

  /**
   * The file store ({@code parkway.store=file}): its directory, and when a publish is forced to disk.
   * {@code fsync=always}: a 201 means the event was fsynced (publishes arriving together share one
   * fsync). {@code fsync=interval}: a 201 means the event was written to the operating system, which
   * survives a crash of the JVM, and an fsync follows within {@code fsyncInterval}; a power loss may lose
   * that interval.
   */
  public record FileStore(java.nio.file.Path dir, String fsync, Duration fsyncInterval, int segmentBytes) {
    public boolean fsyncAlways() {
      return fsync.equals("always");
    }

    static FileStore load(SettingReader r) {
      String dir = r.text(FILE_DIR, "parkway-data");
      java.nio.file.Path path = java.nio.file.Path.of(".");
      try {
        path = java.nio.file.Path.of(dir);
      } catch (java.nio.file.InvalidPathException e) {
        r.problem(FILE_DIR, dir, "must be a directory path");
      }
      return new FileStore(
          path,
          r.oneOf(FILE_FSYNC, "always", Set.of("always", "interval")),
          r.seconds(FILE_FSYNC_INTERVAL, Duration.ofMillis(50), Duration.ofMillis(1), Duration.ofSeconds(10)),
          r.integer(FILE_SEGMENT_BYTES, 64 << 20, 1 << 16, 1 << 30));
    }
  }

  /**
   * The Redis store ({@code parkway.store=redis}): where Redis is ({@code redis://host:port}, or
   * {@code rediss://} for TLS), its password, database, connection pool size, the timeout of each
   * command, and the prefix of every key Parkway writes.
   */
  public record Redis(
      java.net.URI url, String password, boolean tls, int database, int poolSize, Duration timeout,
      String prefix) {

    @Override
    public String toString() { // never print the password
      return "Redis[" + withoutPassword(url.toString()) + ", db " + database + ", pool " + poolSize + "]";
    }

    /** The URL with the password of its user info (redis://user:secret@host) masked, for logs. */
    static String withoutPassword(String url) {
      return url.replaceFirst("^([a-z]+://[^:@/]*:)[^@/]*@", "$1****@");
    }

    static Redis load(SettingReader r) {
      String url = r.textShownAs(REDIS_URL, "redis://127.0.0.1:6379", Redis::withoutPassword);
      java.net.URI uri = java.net.URI.create("redis://127.0.0.1:6379");
      try {
        uri = new java.net.URI(url);
        if (!("redis".equals(uri.getScheme()) || "rediss".equals(uri.getScheme())) || uri.getHost() == null) {
          r.problem(REDIS_URL, withoutPassword(url), "must be redis://host:port or rediss://host:port");
        }
      } catch (java.net.URISyntaxException e) {
        r.problem(REDIS_URL, withoutPassword(url), "must be redis://host:port or rediss://host:port");
      }
      String prefix = r.text(REDIS_PREFIX, "parkway:");
      if (!prefix.matches("[A-Za-z0-9._:{}-]{0,64}")) {
        r.problem(REDIS_PREFIX, prefix, "must be up to 64 of A-Z a-z 0-9 . _ : { } -");
      }
      return new Redis(
          uri,
          r.secret(REDIS_PASSWORD),
          r.oneOf(REDIS_TLS, "rediss".equals(uri.getScheme()) ? "true" : "false", Set.of("true", "false"))
              .equals("true"),
          r.integer(REDIS_DATABASE, 0, 0, 1023),
          r.integer(REDIS_POOL_SIZE, 16, 1, 1024),
          r.seconds(REDIS_TIMEOUT, Duration.ofSeconds(2), Duration.ofMillis(10), Duration.ofMinutes(1)),
          prefix);
    }
  }

  /**
   * Limits on what clients can make the server hold (docs/operations.md, "Limits"): polls parked and
   * streams open at once per remote address (0: no limit); channels and mailboxes that may exist at once
   * (0: no limit); and, for the in-memory store, bytes of events kept per channel or mailbox and in all
   * (by default a quarter of the JVM's maximum heap).
   */
  public record Limits(int parkedPerAddress, int channels, long channelBytes, long memoryBytes) {
    static Limits load(SettingReader r) {
      long quarterHeap = Math.max(1L << 20, Runtime.getRuntime().maxMemory() / 4);
      return new Limits(
          r.integer(PARKED_PER_ADDRESS_MAX, 0, 0, 10_000_000),
          r.integer(CHANNELS_MAX, 100_000, 0, Integer.MAX_VALUE),
          r.longInteger(MEMORY_CHANNEL_MAX_BYTES, 8L << 20, 1024, 1L << 40),
          r.longInteger(MEMORY_MAX_BYTES, quarterHeap, 1L << 16, 1L << 42));
    }
  }

  /**
   * The direct port (docs/direct.md): Parkway's own HTTP/1.1 listener for the long-poll and publish routes,
   * beside the servlet container's. {@code port} 0 (the default) leaves it off; -1 lets the system choose
   * a free port (tests, benchmarks), which the start-up log names.
   */
  /**
   * The direct port (docs/direct.md).
   *
   * @param idleSeconds a connection with no request for this long, and no request being answered, is closed
   */
  public record Direct(int port, String address, int threads, int idleSeconds) {
    public boolean on() {
      return port != 0;
    }

    static Direct load(SettingReader r) {
      String address = r.text(DIRECT_ADDRESS, "0.0.0.0");
      if (!address.matches("[0-9A-Za-z.:%-]{1,255}")) {
        r.problem(DIRECT_ADDRESS, address, "must be an IP address or host name to listen on");
      }
      return new Direct(
          r.integer(DIRECT_PORT, 0, -1, 65535),
          address,
          r.integer(DIRECT_THREADS, Runtime.getRuntime().availableProcessors(), 1, 256),
          r.integer(DIRECT_IDLE, 60, 1, 3600));
    }
  }

  /**
   * The compatibility routes (docs/compatibility.md): which are mounted, under which path prefix
   * ({@code parkway.compat.<name>.path}, default none), and their own settings.
   */
  public record Compat(
      Set<String> enabled,
      Map<String, String> paths,
      Duration ginTimeout,
      String broadcastChannel,
      Duration broadcastTimeout,
      String chatChannel,
      Duration chatTimeout,
      int golongpollTimeoutMax) {

    public boolean on(String name) {
      return enabled.contains(name);
    }

    /** The prefix a route's paths are mounted under: "" or "/something". */
    public String path(String name) {
      return paths.getOrDefault(name, "");
    }

    static Compat load(SettingReader r) {
      String list = r.text(COMPAT, String.join(",", COMPAT_ROUTES));
      Set<String> enabled = new java.util.LinkedHashSet<>();
      if (!list.equalsIgnoreCase("none")) {
        for (String name : list.split(",")) {
          String n = name.trim().toLowerCase(java.util.Locale.ROOT);
          if (COMPAT_ROUTES.contains(n)) {
            enabled.add(n);
          } else if (!n.isEmpty()) {
            r.problem(COMPAT, list, "names routes from " + String.join(", ", COMPAT_ROUTES) + " (or none)");
          }
        }
      }
      Map<String, String> paths = new LinkedHashMap<>();
      for (String name : COMPAT_ROUTES) {
        String key = COMPAT + "." + name + ".path";
        String path = r.text(key, "");
        if (!path.isEmpty() && !path.matches("(/[A-Za-z0-9._~-]+)+")) {
          r.problem(key, path, "must be empty or a path prefix such as /legacy");
        }
        paths.put(name, path);
      }
      Duration minute = Duration.ofMinutes(10);
      return new Compat(
          Set.copyOf(enabled),
          paths,
          r.seconds(COMPAT + ".gin.timeout", Duration.ofSeconds(30), Duration.ofMillis(1), minute),
          channelName(r, COMPAT + ".broadcast.channel", "broadcast"),
          r.seconds(COMPAT + ".broadcast.timeout", Duration.ofSeconds(30), Duration.ofMillis(1), minute),
          channelName(r, COMPAT + ".chat.channel", "chat"),
          r.seconds(COMPAT + ".chat.timeout", Duration.ofSeconds(10), Duration.ofMillis(1), minute),
          r.integer(COMPAT + ".golongpoll.timeout.max", 110, 1, 3600));
    }

    private static String channelName(SettingReader r, String key, String fallback) {
      String name = r.text(key, fallback);
      if (!dev.parkway.core.Names.isChannel(name)) {
        r.problem(key, name, "must be a channel name (1-200 of A-Z a-z 0-9 . _ : -)");
      }
      return name;
    }
  }

  /**
   * Who may do what (docs/security.md): {@code mode} is {@code open}, {@code tokens}, {@code jwt} or
   * {@code class} (then {@code className} names a custom {@code dev.parkway.auth.Authorizer}). The tokens
   * and the JWT secret are secrets: masked in the start-up log and never printed by {@link #toString}.
   */
  public record Auth(
      String mode, String className, String publishToken, String subscribeToken, String adminToken,
      String jwtSecret, String jwtIssuer, String jwtAudience, Duration jwtClockSkew) {

    @Override
    public String toString() { // never print a secret
      return "Auth[" + mode + (className.isEmpty() ? "" : " " + className) + "]";
    }

    static Auth load(SettingReader r) {
      String raw = r.text(AUTH, "open");
      String mode = raw.toLowerCase(java.util.Locale.ROOT);
      String className = "";
      if (mode.startsWith("class:")) {
        className = raw.substring("class:".length()).trim();
        mode = "class";
        if (!className.matches("[\\p{L}_$][\\p{L}\\p{N}_$]*(\\.[\\p{L}_$][\\p{L}\\p{N}_$]*)*")) {
          r.problem(AUTH, raw, "class: must be followed by a fully qualified class name");
        }
      } else if (!Set.of("open", "tokens", "jwt").contains(mode)) {
        r.problem(AUTH, raw, "must be open, tokens, jwt, or class:<a class implementing dev.parkway.auth.Authorizer>");
      }
      String publish = r.secret(AUTH_PUBLISH_TOKEN);
      String subscribe = r.secret(AUTH_SUBSCRIBE_TOKEN);
      String admin = r.secret(AUTH_ADMIN_TOKEN);
      String secret = r.secret(AUTH_JWT_SECRET);
      String alias = r.secret(AUTH_JWT_SECRET_ALIAS);
      r.require(secret.isEmpty() || alias.isEmpty() || secret.equals(alias),
          AUTH_JWT_SECRET + " and " + AUTH_JWT_SECRET_ALIAS + " are two names of one setting; set one");
      secret = secret.isEmpty() ? alias : secret;
      String issuer = r.text(AUTH_JWT_ISSUER, "");
      String audience = r.text(AUTH_JWT_AUDIENCE, "");
      Duration skew = r.seconds(AUTH_JWT_CLOCK_SKEW, Duration.ofSeconds(30), Duration.ZERO, Duration.ofMinutes(10));
      boolean tokens = mode.equals("tokens");
      boolean jwt = mode.equals("jwt");
      boolean custom = mode.equals("class"); // a custom authorizer may read any of these itself
      // A token set while the mode ignores it would leave the server open without a word: refuse.
      Map<String, String> tokenSettings = new LinkedHashMap<>();
      tokenSettings.put(AUTH_PUBLISH_TOKEN, publish);
      tokenSettings.put(AUTH_SUBSCRIBE_TOKEN, subscribe);
      tokenSettings.put(AUTH_ADMIN_TOKEN, admin);
      for (Map.Entry<String, String> token : tokenSettings.entrySet()) {
        String value = token.getValue();
        r.require(tokens || custom || value.isEmpty(),
            token.getKey() + " is set but " + AUTH + " is " + mode + ", not tokens");
        r.require(value.isEmpty() || value.matches("[!-~]{16,4096}"),
            token.getKey() + " must be 16 to 4096 visible ASCII characters (no spaces)");
      }
      if (tokens) {
        r.require(!publish.isEmpty(), AUTH_PUBLISH_TOKEN + " is required when " + AUTH + "=tokens");
        r.require(!subscribe.isEmpty(), AUTH_SUBSCRIBE_TOKEN + " is required when " + AUTH + "=tokens");
        long distinct = tokenSettings.values().stream().filter(v -> !v.isEmpty()).distinct().count();
        long given = tokenSettings.values().stream().filter(v -> !v.isEmpty()).count();
        r.require(distinct == given, "the publish, subscribe and admin tokens must differ from each other");
      }
      r.require(jwt || custom || secret.isEmpty(), AUTH_JWT_SECRET + " is set but " + AUTH + " is " + mode + ", not jwt");
      r.require(!jwt || secret.getBytes(java.nio.charset.StandardCharsets.UTF_8).length >= 32,
          AUTH_JWT_SECRET + " is required when " + AUTH + "=jwt, at least 32 bytes (e.g. openssl rand -base64 48)");
      return new Auth(mode, className, publish, subscribe, admin, secret, issuer, audience, skew);
    }
  }

  /**
   * CORS for browser pages on other origins (docs/security.md): off unless {@code origins} (exact
   * {@code scheme://host[:port]} origins) or {@code anyOrigin} ({@code *}) is set. {@code credentials}
   * applies to listed origins only, never to {@code *}; {@code maxAge} is how long a browser may cache a
   * preflight answer.
   */
  public record Cors(Set<String> origins, boolean anyOrigin, boolean credentials, Duration maxAge) {
    public boolean enabled() {
      return anyOrigin || !origins.isEmpty();
    }

    static Cors load(SettingReader r) {
      String list = r.text(CORS_ORIGINS, "");
      Set<String> origins = new java.util.LinkedHashSet<>();
      boolean any = false;
      for (String item : list.split(",")) {
        String origin = item.trim();
        if (origin.equals("*")) {
          any = true;
        } else if (origin.matches("https?://[A-Za-z0-9.-]+(:[0-9]{1,5})?|https?://\\[[0-9A-Fa-f:.]+\\](:[0-9]{1,5})?")) {
          origins.add(origin.toLowerCase(java.util.Locale.ROOT));
        } else if (!origin.isEmpty()) {
          r.problem(CORS_ORIGINS, origin, "each origin is * or exactly scheme://host[:port] (http or https, no path, no trailing /)");
        }
      }
      boolean credentials = r.oneOf(CORS_CREDENTIALS, "false", Set.of("true", "false")).equals("true");
      r.require(!credentials || !origins.isEmpty(),
          CORS_CREDENTIALS + "=true needs listed origins in " + CORS_ORIGINS + " (it never applies to *)");
      Duration maxAge = r.seconds(CORS_MAX_AGE, Duration.ofMinutes(10), Duration.ZERO, DAY);
      return new Cors(Set.copyOf(origins), any, credentials, maxAge);
    }
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
