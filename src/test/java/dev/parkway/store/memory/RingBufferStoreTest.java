package dev.parkway.store.memory;

import static org.assertj.core.api.Assertions.assertThat;

import dev.parkway.core.EventStore;
import dev.parkway.core.MutableClock;
import dev.parkway.core.Retention;
import dev.parkway.store.EventStoreContract;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

/** The in-memory store against the {@link EventStore} contract, plus what only it does. */
class RingBufferStoreTest extends EventStoreContract {

  @Override
  protected EventStore open(Function<String, Retention> retention, MutableClock clock) {
    return new RingBufferStore(retention, clock);
  }

  @Test
  void closeForgetsEverything() {
    EventStore store = store();
    store.append("a", "1", null);
    store.close();
    assertThat(store.stats("a")).isEmpty();
    assertThat(store.channelsUnder("")).isEmpty();
  }

  @Test
  void epochDiffersBetweenStores() {
    EventStore one = store();
    EventStore two = store();
    assertThat(one.epoch()).isEqualTo(one.epoch()).isNotEqualTo(two.epoch());
    assertThat(dev.parkway.core.Names.isChannel(one.epoch())).isTrue(); // fits in a cursor
  }
}
