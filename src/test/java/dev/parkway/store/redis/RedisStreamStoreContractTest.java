package dev.parkway.store.redis;

import dev.parkway.core.EventStore;
import dev.parkway.core.MutableClock;
import dev.parkway.core.Retention;
import dev.parkway.store.EventStoreContract;
import java.util.IdentityHashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The store contract against the Redis store on a real redis-server. Each store gets a fresh key prefix,
 * so tests share the server but never a key; a restart is a new store on the same prefix.
 *
 * <p>The contract drives time by hand, so these stores stamp events with the test's clock ({@link
 * RedisStreamStore#open(dev.parkway.config.Config.Redis, Function, java.time.Clock)}): the scripts receive
 * its time instead of reading Redis's {@code TIME}. Everything else (trimming by age, forgetting
 * idempotency keys) is computed in Redis against that time, as it is against {@code TIME} in production.
 */
class RedisStreamStoreContractTest extends EventStoreContract {
  private static final AtomicInteger PREFIXES = new AtomicInteger();
  @RegisterExtension static final LocalRedis REDIS = LocalRedis.perClass();
  private final Map<EventStore, String> prefixes = new IdentityHashMap<>();

  @Override
  protected EventStore open(Function<String, Retention> retention, MutableClock clock) {
    return open("contract" + PREFIXES.incrementAndGet() + ":", retention, clock);
  }

  @Override
  protected EventStore reopen(
      EventStore store, Function<String, Retention> retention, MutableClock clock) {
    String prefix = prefixes.get(store);
    store.close();
    return open(prefix, retention, clock);
  }

  private EventStore open(String prefix, Function<String, Retention> retention, MutableClock clock) {
    EventStore store = RedisStreamStore.open(REDIS.config(prefix), retention, clock);
    prefixes.put(store, prefix);
    return store;
  }
}
