package dev.parkway.store.redis;

import dev.parkway.core.EventStore.ChangeListener;
import dev.parkway.core.StoreUnavailableException;
import java.lang.System.Logger.Level;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Supplier;
import redis.clients.jedis.RedisClient;
import redis.clients.jedis.exceptions.JedisDataException;
import redis.clients.jedis.exceptions.JedisException;

/**
 * Whether Redis answers, learnt from every command and from the watch thread's probe, and the one place
 * Jedis's exceptions become core's.
 *
 * <p>A command that fails because Redis cannot serve (connection refused or broken, timeout, pool
 * exhausted, {@code LOADING}, {@code READONLY}, {@code OOM}, {@code BUSY}...) throws {@link
 * StoreUnavailableException}, marks Redis unreachable at once, drops the pool's idle connections (after a
 * Redis restart each would fail once more) and records that waiters may have missed something: a parked
 * poll whose re-read failed stays parked with nothing to wake it. The next successful probe wakes every
 * waiter once ({@link ChangeListener#resync()}). A reply Redis refuses for any other reason ({@code ERR}
 * from a script: a bug) is an {@link IllegalStateException}. Thread-safe.
 */
final class RedisHealth {
  private static final System.Logger LOG = System.getLogger(RedisHealth.class.getName());

  private final RedisClient redis;
  private final AtomicBoolean missed = new AtomicBoolean();
  private volatile boolean reachable = true;

  RedisHealth(RedisClient redis) {
    this.redis = redis;
  }

  boolean reachable() {
    return reachable;
  }

  /** Runs one command (or script) against Redis, translating its failures. */
  <T> T call(Supplier<T> command) {
    try {
      T result = command.get();
      reachable = true;
      return result;
    } catch (JedisDataException e) {
      String message = e.getMessage() == null ? "" : e.getMessage();
      if (message.startsWith("PARKWAY_EPOCH")) {
        throw new EpochLost();
      }
      if ((message.startsWith("ERR") && !message.contains("max number of clients"))
          || message.startsWith("WRONGTYPE")) {
        throw new IllegalStateException("Redis refused a Parkway command: " + message, e);
      }
      throw unreachable(e);
    } catch (JedisException e) {
      throw unreachable(e);
    }
  }

  /**
   * The watch thread's probe. On success Redis is reachable again, and if anything failed since the last
   * success, every waiter is told to re-read.
   */
  void probe(Runnable command, ChangeListener listener) {
    try {
      command.run();
    } catch (JedisException e) {
      unreachable(e);
      return;
    }
    if (!reachable) {
      LOG.log(Level.INFO, "Redis is reachable again");
    }
    reachable = true;
    if (missed.compareAndSet(true, false)) {
      listener.resync();
    }
  }

  private StoreUnavailableException unreachable(JedisException e) {
    missed.set(true);
    if (reachable) {
      reachable = false;
      LOG.log(Level.WARNING, "Redis cannot be reached: " + e.getMessage());
    }
    try {
      redis.getPool().clear();
    } catch (RuntimeException ignored) {
      // a pool already closed (the store is closing) has nothing to clear
    }
    return new StoreUnavailableException("Redis cannot be reached: " + e.getMessage(), e);
  }

  /** Redis no longer holds the epoch a script was given: its data was lost. */
  static final class EpochLost extends RuntimeException {
    private static final long serialVersionUID = 1L;

    EpochLost() {
      super("Redis no longer holds this epoch", null, false, false);
    }
  }
}
