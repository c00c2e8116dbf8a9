package dev.parkway.store;

import dev.parkway.config.Config;
import dev.parkway.core.EventStore;
import dev.parkway.core.Retention;
import dev.parkway.store.file.JournalStore;
import dev.parkway.store.memory.MemoryLimits;
import dev.parkway.store.memory.RingBufferStore;
import dev.parkway.store.redis.RedisStreamStore;
import java.time.Clock;
import java.util.function.Function;

/** Opens the store that {@code parkway.store} names. The caller owns it and closes it on shutdown. */
public final class Stores {
  private Stores() {}

  /**
   * @param retention the retention rule of each channel key (mailboxes keep their own)
   * @throws dev.parkway.core.StoreUnavailableException if the store cannot be opened
   */
  public static EventStore open(Config config, Function<String, Retention> retention, Clock clock) {
    return switch (config.store()) {
      case "redis" -> RedisStreamStore.open(config.redis(), retention); // Redis's clock: one for all nodes
      case "file" -> new JournalStore(config.file(), retention, clock);
      case "memory" -> new RingBufferStore(retention, clock, memoryLimits(config.limits()));
      default -> throw new IllegalStateException("the " + config.store() + " store is not built yet");
    };
  }

  private static MemoryLimits memoryLimits(Config.Limits limits) {
    return new MemoryLimits(limits.channels(), limits.channelBytes(), limits.memoryBytes());
  }
}
