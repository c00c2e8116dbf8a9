package dev.parkway.metrics;

import dev.parkway.core.EventStore;
import io.prometheus.metrics.core.datapoints.DistributionDataPoint;
import java.util.List;
import java.util.Optional;

/**
 * An {@link EventStore} that times its two hot calls, {@link #append} and {@link #readAfter}, into a
 * histogram, and passes every call through unchanged. It wraps whichever store is configured, so the
 * latency measured is the broker's view of that store: lock waits, disk, the network to Redis.
 *
 * <p>Every method of the SPI is overridden here, default ones included: a default method left out would
 * run the interface's default instead of the wrapped store's own ({@code TimedStoreTest} checks it, so a
 * method added to the SPI fails the build until it is passed through here too). Cost per timed call: two
 * {@code System.nanoTime()} and one histogram observation (a few tens of nanoseconds). Thread-safe as the
 * store it wraps.
 */
final class TimedStore implements EventStore {
  private static final double NANOS_PER_SECOND = 1e9;

  private final EventStore store;
  private final DistributionDataPoint appends;
  private final DistributionDataPoint reads;

  TimedStore(EventStore store, DistributionDataPoint appends, DistributionDataPoint reads) {
    this.store = store;
    this.appends = appends;
    this.reads = reads;
  }

  @Override
  public Appended append(String channel, String data, String idempotencyKey) {
    long start = System.nanoTime();
    try {
      return store.append(channel, data, idempotencyKey);
    } finally {
      appends.observe((System.nanoTime() - start) / NANOS_PER_SECOND);
    }
  }

  @Override
  public Slice readAfter(String channel, long afterSeq, int max) {
    long start = System.nanoTime();
    try {
      return store.readAfter(channel, afterSeq, max);
    } finally {
      reads.observe((System.nanoTime() - start) / NANOS_PER_SECOND);
    }
  }

  // ---- passed through untimed ----

  @Override
  public String epoch() {
    return store.epoch();
  }

  @Override
  public long firstSeqSince(String channel, long sinceMillis) {
    return store.firstSeqSince(channel, sinceMillis);
  }

  @Override
  public Optional<ChannelStats> stats(String channel) {
    return store.stats(channel);
  }

  @Override
  public long acknowledge(String channel, long upToSeq) {
    return store.acknowledge(channel, upToSeq);
  }

  @Override
  public boolean delete(String channel) {
    return store.delete(channel);
  }

  @Override
  public List<String> channelsUnder(String prefix) {
    return store.channelsUnder(prefix);
  }

  @Override
  public void trimExpired() {
    store.trimExpired();
  }

  @Override
  public void setListener(ChangeListener listener) {
    store.setListener(listener);
  }

  @Override
  public long now() {
    return store.now();
  }

  @Override
  public boolean healthy() {
    return store.healthy();
  }

  @Override
  public void close() {
    store.close();
  }
}
