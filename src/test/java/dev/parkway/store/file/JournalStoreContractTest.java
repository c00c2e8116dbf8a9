package dev.parkway.store.file;

import dev.parkway.config.Config;
import dev.parkway.core.EventStore;
import dev.parkway.core.MutableClock;
import dev.parkway.core.Retention;
import dev.parkway.store.EventStoreContract;
import java.nio.file.Path;
import java.time.Duration;
import java.util.IdentityHashMap;
import java.util.Map;
import java.util.function.Function;
import org.junit.jupiter.api.io.TempDir;

/** The file store against the {@link EventStore} contract, restarts included; each store in its own directory. */
class JournalStoreContractTest extends EventStoreContract {
  @TempDir Path tmp;
  private final Map<EventStore, Path> dirs = new IdentityHashMap<>();

  @Override
  protected EventStore open(Function<String, Retention> retention, MutableClock clock) {
    return openIn(tmp.resolve("store-" + dirs.size()), retention, clock);
  }

  @Override
  protected EventStore reopen(EventStore store, Function<String, Retention> retention, MutableClock clock) {
    store.close();
    return openIn(dirs.get(store), retention, clock);
  }

  private EventStore openIn(Path dir, Function<String, Retention> retention, MutableClock clock) {
    JournalStore store =
        new JournalStore(new Config.FileStore(dir, "always", Duration.ofMillis(50), 1 << 20), retention, clock);
    dirs.put(store, dir);
    return store;
  }
}
