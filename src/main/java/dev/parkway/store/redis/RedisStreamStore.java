package dev.parkway.store.redis;

import dev.parkway.config.Config;
import dev.parkway.core.Event;
import dev.parkway.core.EventStore;
import dev.parkway.core.Retention;
import dev.parkway.core.StoreUnavailableException;
import java.lang.System.Logger.Level;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.function.Supplier;
import redis.clients.jedis.RedisClient;
import redis.clients.jedis.params.SetParams;

/**
 * The multi-node store ({@code parkway.store=redis}): every node of a deployment points at one Redis and
 * sees the same channels, in the same order, with the same seqs; see {@link Scripts} for the data layout.
 *
 * <p><b>Append.</b> One Lua script does the idempotency check, the head increment, the XADD, the retention
 * trim and the notice to the other nodes, atomically, so concurrent publishers on any number of nodes get
 * consecutive seqs with no hole, and every node reads one order. After it returns, this node calls its
 * {@link ChangeListener} on the publisher's thread (no lock is held); the other nodes call theirs when the
 * notice reaches their {@link ChangeFeed}.
 *
 * <p><b>Epoch.</b> Stored in Redis, set by the first node to start ({@code SET NX}) and read by the others,
 * so a cursor issued by one node is valid on every node and across restarts. If Redis loses it (restarted
 * without persistence, flushed), every script refuses to run on the old epoch; the store then sets a new
 * one, wakes every waiter (their cursors now name a lost history, so they get a gap) and retries once.
 *
 * <p><b>Clock.</b> Timestamps come from Redis's {@code TIME}, one clock for every node; see {@link
 * RedisClock}.
 *
 * <p><b>Outage.</b> Any command that fails because Redis cannot be reached throws {@link
 * StoreUnavailableException} (an append that throws stored nothing, except in the one case no client can
 * avoid: the connection broke after Redis ran the script and before its reply arrived; then the outcome is
 * unknown, and a publisher that retries with an {@code Idempotency-Key} gets the original). {@link
 * #healthy()} turns false at once and stays false until the watch thread's probe ({@code TIME}, every
 * second) and the subscription are both back; parked polls stay parked (their re-reads fail quietly), and
 * once Redis is reachable again every waiter is woken once to re-read, so nothing stored meanwhile is
 * missed. Nothing needs restarting.
 *
 * <p><b>Threads.</b> A pooled client serves commands from any thread; {@code parkway-redis-feed} owns the
 * subscription's connection; {@code parkway-redis-watch} probes Redis, refreshes the clock sample and
 * checks the subscription every second. Both are daemons and stop in {@link #close()}. Thread-safe.
 */
public final class RedisStreamStore implements EventStore {
  private static final System.Logger LOG = System.getLogger(RedisStreamStore.class.getName());
  private static final int SWEEP_BATCH = 100;
  private static final ChangeListener NOBODY =
      new ChangeListener() {
        @Override
        public void appended(String channel, long seq) {}

        @Override
        public void deleted(String channel) {}
      };

  private final RedisEndpoint endpoint;
  private final RedisKeys keys;
  private final Function<String, Retention> retention;
  private final RedisClock clock;
  private final String nodeId = UUID.randomUUID().toString().replace("-", "").substring(0, 12);
  private final RedisClient redis;
  private final RedisHealth health;
  private final ChangeFeed feed;
  private final ScheduledThreadPoolExecutor watch;
  private volatile String epoch;
  private volatile ChangeListener listener = NOBODY;

  private RedisStreamStore(Config.Redis config, Function<String, Retention> retention, RedisClock clock) {
    this.endpoint = RedisEndpoint.of(config);
    this.keys = new RedisKeys(config.prefix(), endpoint.database());
    this.retention = retention;
    this.clock = clock;
    this.redis = endpoint.openPool();
    this.health = new RedisHealth(redis);
    this.feed = new ChangeFeed(endpoint, keys.notices(), nodeId, () -> listener);
    this.watch = new ScheduledThreadPoolExecutor(1, task -> {
      Thread t = new Thread(task, "parkway-redis-watch");
      t.setDaemon(true);
      return t;
    });
    try {
      clock.sample(redis);
      this.epoch = adoptEpoch();
      feed.start(endpoint.timeout());
    } catch (RuntimeException e) {
      watch.shutdownNow();
      feed.close();
      redis.close();
      throw e instanceof StoreUnavailableException u
          ? u
          : new StoreUnavailableException("Redis at " + endpoint + " cannot be used: " + e.getMessage(), e);
    }
    watch.scheduleWithFixedDelay(this::probe, 1, 1, TimeUnit.SECONDS);
    LOG.log(Level.INFO, "Redis store at " + endpoint + ", prefix " + config.prefix() + ", epoch " + epoch);
  }

  /**
   * The store for production: event timestamps come from Redis's clock, shared by every node.
   *
   * @throws StoreUnavailableException if Redis cannot be reached (start-up then fails)
   */
  public static RedisStreamStore open(Config.Redis config, Function<String, Retention> retention) {
    return new RedisStreamStore(config, retention, RedisClock.server());
  }

  /**
   * A store whose timestamps come from {@code clock} instead of Redis's: for tests that drive time by
   * hand. Nodes sharing one Redis should only use this with one clock between them.
   */
  public static RedisStreamStore open(
      Config.Redis config, Function<String, Retention> retention, Clock clock) {
    return new RedisStreamStore(config, retention, RedisClock.of(clock));
  }

  @Override
  public String epoch() {
    return epoch;
  }

  @Override
  public long now() {
    return clock.now();
  }

  @Override
  public Appended append(String channel, String data, String idempotencyKey) {
    Retention r = retention.apply(channel);
    List<?> reply =
        (List<?>)
            runOn(
                Scripts.APPEND,
                keys.channelAndIndex(channel),
                channel,
                channel,
                data,
                idempotencyKey == null ? "" : idempotencyKey,
                Integer.toString(r.maxCount()),
                Long.toString(r.dedupeWindow().toMillis()),
                keys.notices(),
                nodeId);
    if (Replies.asLong(reply.get(0)) == 1) {
      return new Appended(Replies.recorded(channel, Replies.asString(reply.get(1))), true);
    }
    Event event =
        new Event(channel, Replies.asLong(reply.get(1)), Replies.asLong(reply.get(2)), data);
    listener.appended(channel, event.seq());
    return new Appended(event, false);
  }

  @Override
  public Slice readAfter(String channel, long afterSeq, int max) {
    Object reply =
        runOn(
            Scripts.READ,
            keys.channel(channel),
            channel,
            Long.toString(Math.max(0, afterSeq)),
            Integer.toString(Math.max(0, max)));
    return Replies.slice(channel, reply);
  }

  @Override
  public long firstSeqSince(String channel, long sinceMillis) {
    return Replies.asLong(
        runOn(Scripts.FIRST_SINCE, keys.channel(channel), channel, Long.toString(sinceMillis)));
  }

  @Override
  public Optional<ChannelStats> stats(String channel) {
    Object reply = runOn(Scripts.STATS, keys.channel(channel), channel);
    if (reply == null) {
      return Optional.empty();
    }
    List<?> parts = (List<?>) reply;
    return Optional.of(
        new ChannelStats(
            Replies.asLong(parts.get(0)), Replies.asLong(parts.get(1)), (int) Replies.asLong(parts.get(2))));
  }

  @Override
  public long acknowledge(String channel, long upToSeq) {
    return Replies.asLong(
        runOn(Scripts.ACKNOWLEDGE, keys.channel(channel), channel, Long.toString(Math.max(0, upToSeq))));
  }

  @Override
  public boolean delete(String channel) {
    Object reply =
        runOn(Scripts.DELETE, keys.channelAndIndex(channel), channel, channel, keys.notices(), nodeId);
    boolean existed = Replies.asLong(reply) == 1;
    if (existed) {
      listener.deleted(channel);
    }
    return existed;
  }

  @Override
  public List<String> channelsUnder(String prefix) {
    // Names are ASCII, so every name under the prefix sorts below prefix + U+00FF (UTF-8 C3 BF).
    String from = prefix.isEmpty() ? "-" : "[" + prefix;
    String to = prefix.isEmpty() ? "+" : "(" + prefix + "\u00ff";
    return health.call(() -> redis.zrangeByLex(keys.index(), from, to));
  }

  /**
   * The retention sweep: drops aged events and forgets expired idempotency keys on every live channel,
   * {@value #SWEEP_BATCH} channels per script call. Skipped while Redis is known to be unreachable (the
   * sweep is periodic; the next one after recovery catches up, and reads trim lazily meanwhile).
   */
  @Override
  public void trimExpired() {
    if (!health.reachable()) {
      return;
    }
    String after = "-";
    while (true) {
      String from = after;
      List<String> batch = health.call(() -> redis.zrangeByLex(keys.index(), from, "+", 0, SWEEP_BATCH));
      if (batch.isEmpty()) {
        return;
      }
      List<String> sweepKeys = new ArrayList<>(1 + batch.size() * 4);
      sweepKeys.add(keys.epoch());
      for (String channel : batch) {
        sweepKeys.add(keys.stream(channel));
        sweepKeys.add(keys.meta(channel));
        sweepKeys.add(keys.idempotencyKeys(channel));
        sweepKeys.add(keys.idempotencyTimes(channel));
      }
      run(Scripts.SWEEP, sweepKeys, () -> {
        List<String> args = new ArrayList<>(2 + batch.size() * 2);
        args.add(epoch);
        args.add(clock.scriptArgument());
        for (String channel : batch) {
          Retention r = retention.apply(channel);
          args.add(Long.toString(r.maxAge().toMillis()));
          args.add(Long.toString(r.dedupeWindow().toMillis()));
        }
        return args;
      });
      if (batch.size() < SWEEP_BATCH) {
        return;
      }
      after = "(" + batch.get(batch.size() - 1);
    }
  }

  @Override
  public void setListener(ChangeListener listener) {
    this.listener = listener;
  }

  /** Whether commands reach Redis and the subscription to the other nodes' notices is up. */
  @Override
  public boolean healthy() {
    return health.reachable() && feed.subscribed();
  }

  /** Times the subscription was established: 1 after start, one more per reconnect (for tests). */
  long subscriptions() {
    return feed.subscriptions();
  }

  @Override
  public void close() {
    watch.shutdownNow();
    try {
      watch.awaitTermination(endpoint.timeout().toMillis() + 1_000, TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    feed.close();
    redis.close();
  }

  /**
   * Runs a script on one channel: its arguments are the epoch, the time, the channel's retention age,
   * then {@code rest} (see {@link Scripts}).
   */
  private Object runOn(LuaScript script, List<String> scriptKeys, String channel, String... rest) {
    long maxAge = retention.apply(channel).maxAge().toMillis();
    return run(script, scriptKeys, () -> {
      List<String> args = new ArrayList<>(3 + rest.length);
      args.add(epoch);
      args.add(clock.scriptArgument());
      args.add(Long.toString(maxAge));
      args.addAll(List.of(rest));
      return args;
    });
  }

  /** Runs a script, adopting a new epoch and retrying once if Redis lost the one we hold. */
  private Object run(LuaScript script, List<String> scriptKeys, Supplier<List<String>> args) {
    try {
      return health.call(() -> script.run(redis, scriptKeys, args.get()));
    } catch (RedisHealth.EpochLost e) {
      String lost = epoch;
      synchronized (this) {
        if (lost.equals(epoch)) {
          epoch = adoptEpoch();
          LOG.log(Level.WARNING, "Redis no longer holds epoch " + lost + " (its data was lost); now "
              + epoch + ": every cursor of the old epoch gets a gap");
        }
      }
      listener.resync();
      try {
        return health.call(() -> script.run(redis, scriptKeys, args.get()));
      } catch (RedisHealth.EpochLost again) {
        throw new StoreUnavailableException("Redis lost its data again while the store recovered", again);
      }
    }
  }

  /** Sets the epoch if no node has yet, and returns the one Redis holds. */
  private String adoptEpoch() {
    String candidate = "r" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
    return health.call(() -> {
      redis.set(keys.epoch(), candidate, SetParams.setParams().nx());
      return redis.get(keys.epoch());
    });
  }

  /** The watch thread's second: probe Redis (and sample its clock), then the subscription. */
  private void probe() {
    try {
      health.probe(() -> clock.sample(redis), listener);
      feed.check(Duration.ofMillis(Math.max(3_000, 2 * endpoint.timeout().toMillis())));
    } catch (RuntimeException e) {
      LOG.log(Level.WARNING, "Redis watch failed", e); // a periodic task that throws would never run again
    }
  }
}
