package dev.parkway.core;

import static dev.parkway.core.CoreFixture.sub;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

/** Long-lived waiters (streams): told of appends, deletions and shutdown; nothing left once they go. */
class WatchTest {
  private final CoreFixture f = new CoreFixture();

  /** Records what it is told. */
  private static final class Recorder implements Waiter {
    final Subscription subscription;
    final List<String> told = new CopyOnWriteArrayList<>();
    /** Run once, the first time the broker asks for the subscription (that is, inside {@code watch}). */
    final java.util.concurrent.atomic.AtomicReference<Runnable> onFirstLookup =
        new java.util.concurrent.atomic.AtomicReference<>();

    Recorder(Subscription subscription) {
      this.subscription = subscription;
    }

    @Override
    public Subscription subscription() {
      Runnable hook = onFirstLookup.getAndSet(null);
      if (hook != null) {
        hook.run();
      }
      return subscription;
    }

    @Override
    public void onAppended(String channel) {
      told.add("appended " + channel);
    }

    @Override
    public void onDeleted(String channel) {
      told.add("deleted " + channel);
    }

    @Override
    public void onShutdown() {
      told.add("shutdown");
    }
  }

  @Test
  void aWatcherIsToldOfAppendsToWhatItCoversOnTheDeliveryExecutor() {
    Recorder w = new Recorder(sub("a", "b.*"));
    f.broker.watch(w);
    assertThat(f.broker.watcherCount()).isEqualTo(1);
    assertThat(f.broker.subscribers("a")).isEqualTo(1);
    assertThat(f.broker.parkedCount()).as("a stream is not a parked poll").isZero();

    f.publish("a", "1");
    assertThat(w.told).as("never on the publisher's thread").isEmpty();
    f.publish("b.x", "1");
    f.publish("c", "1");
    f.publish("b", "1");
    f.executor.runAll();
    assertThat(w.told).containsExactly("appended a", "appended b.x");

    f.broker.delete("a");
    f.broker.delete("b.x"); // covered by pattern only: streams, like polls, hear of named channels only
    f.executor.runAll();
    assertThat(w.told).containsExactly("appended a", "appended b.x", "deleted a");
  }

  @Test
  void anUnwatchedWaiterIsToldNothingAndLeavesNothingBehind() {
    Recorder w = new Recorder(sub("a", "b.*"));
    f.broker.watch(w);
    f.broker.unwatch(w);
    f.publish("a", "1");
    f.publish("b.x", "1");
    f.executor.runAll();
    assertThat(w.told).isEmpty();
    assertThat(f.broker.watcherCount()).isZero();
    assertThat(f.broker.subscribers("a")).isZero();
    assertThat(f.broker.subscribers("b.x")).isZero();
  }

  @Test
  void shutdownEndsEveryWatcherOnceAndRefusesNewOnes() {
    Recorder w1 = new Recorder(sub("a"));
    Recorder w2 = new Recorder(sub("b.*"));
    f.broker.watch(w1);
    f.broker.watch(w2);
    f.broker.shutdown();
    assertThat(w1.told).containsExactly("shutdown");
    assertThat(w2.told).containsExactly("shutdown");
    assertThat(f.broker.watcherCount()).isZero();
    assertThat(f.broker.subscribers("a")).isZero();

    Recorder late = new Recorder(sub("a"));
    f.broker.watch(late);
    assertThat(late.told).containsExactly("shutdown");
    assertThat(f.broker.watcherCount()).isZero();
    assertThat(f.broker.subscribers("a")).isZero();
    f.publish("a", "1");
    f.executor.runAll();
    assertThat(w1.told).containsExactly("shutdown");
    assertThat(late.told).containsExactly("shutdown");
  }

  /**
   * Shutdown lands inside {@code watch}, after the waiter joined the watcher set and before watch checks
   * {@code closing}: shutdown ends it, and then watch ends it again.
   */
  @Test
  void shutdownRacingWatchEndsTheWatcherOnce() {
    Recorder w = new Recorder(sub("a"));
    w.onFirstLookup.set(f.broker::shutdown);
    f.broker.watch(w);
    assertThat(w.told).containsExactly("shutdown");
    assertThat(f.broker.watcherCount()).isZero();
    assertThat(f.broker.subscribers("a")).isZero();
  }
}
