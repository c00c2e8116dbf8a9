package dev.parkway.metrics;

import dev.parkway.core.Broker;
import dev.parkway.core.Counters;
import dev.parkway.core.EventStore;
import dev.parkway.core.Rejections;
import dev.parkway.store.memory.RingBufferStore;
import io.prometheus.metrics.core.metrics.CounterWithCallback;
import io.prometheus.metrics.core.metrics.GaugeWithCallback;
import io.prometheus.metrics.core.metrics.Histogram;
import io.prometheus.metrics.expositionformats.PrometheusTextFormatWriter;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.io.IOException;
import java.io.OutputStream;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.DoubleSupplier;

/**
 * Parkway's metrics, in a {@link PrometheusRegistry} of their own: one per web application, never the
 * library's static default registry, so a redeploy neither leaks the old application's metrics nor
 * registers a name twice. Almost everything is read at scrape time from what the broker already counts
 * ({@link Counters}, {@link Broker#parkedCount()}...), so serving {@code /metrics} adds nothing to the
 * request path; the one exception is the store latency histogram ({@link #timed}).
 *
 * <p>Labels never carry a channel name, a client id, an address or a token: only the store operation,
 * and a refusal's HTTP status and error code (a small fixed set, see {@link Rejections}).
 *
 * <p>Histograms are classic-only and without exemplars: the library's native histograms and exemplar
 * sampling start a static scheduler thread ({@code prometheus-metrics-scheduler-*}) that no web
 * application can stop, which would pin its class loader after an undeploy. Thread-safe.
 */
public final class Metrics {
  /** Seconds: from 10 microseconds (the memory store) to 5 seconds (a store in trouble). */
  private static final double[] STORE_BUCKETS = {
    0.00001, 0.00005, 0.0001, 0.0005, 0.001, 0.005, 0.01, 0.05, 0.1, 0.5, 1, 5
  };

  private final PrometheusRegistry registry = new PrometheusRegistry();
  private final PrometheusTextFormatWriter writer = PrometheusTextFormatWriter.create();
  private final Histogram storeSeconds =
      Histogram.builder()
          .name("parkway_store_operation_seconds")
          .help("Time the store took to append an event or to read a channel, as the broker saw it")
          .labelNames("operation")
          .classicOnly()
          .classicUpperBounds(STORE_BUCKETS)
          .withoutExemplars()
          .register(registry);

  /** {@code store}, timed into {@code parkway_store_operation_seconds}. */
  public EventStore timed(EventStore store) {
    return new TimedStore(store, storeSeconds.labelValues("append"), storeSeconds.labelValues("read"));
  }

  /**
   * Registers the broker's gauges and counters, and the memory store's if {@code store} is one (the
   * store as opened, not the timed wrapper).
   */
  public void watch(Broker broker, EventStore store) {
    Counters c = broker.counters();
    gauge("parkway_parked_polls", "Long polls parked now", broker::parkedCount);
    gauge("parkway_open_streams", "SSE streams open now", broker::watcherCount);
    gauge("parkway_store_up", "1 if the store can serve requests, else 0", () -> broker.healthy() ? 1 : 0);
    gauge("parkway_shutting_down", "1 while the server is stopping, else 0", () -> broker.closing() ? 1 : 0);
    counter("parkway_published", "Events stored (idempotent repeats excluded)", c.published);
    counter("parkway_duplicates", "Publishes that repeated an Idempotency-Key and stored nothing", c.duplicates);
    counter("parkway_delivered", "Events delivered to polls and streams", c.delivered);
    counter("parkway_poll_answers", "Long polls answered, whatever the answer", c.answers);
    counter("parkway_poll_timeouts", "Long polls answered empty because their timeout passed", c.timeouts);
    counter("parkway_gaps", "Gaps reported to polls and streams (events lost to retention or a restart)", c.gaps);
    counter("parkway_superseded", "Long polls answered because a newer poll of the same client id came", c.superseded);
    counter("parkway_deleted_answers", "Long polls answered 410 because their channel was deleted", c.deletedAnswers);
    counter("parkway_clients_gone", "Long polls ended by the container: client gone or connection closed", c.clientsGone);
    CounterWithCallback.builder()
        .name("parkway_rejected")
        .help("Requests answered with an error, by HTTP status and error code")
        .labelNames("status", "error")
        .callback(cb -> c.rejections.snapshot()
            .forEach((kind, n) -> cb.call(n, Integer.toString(kind.status()), kind.code())))
        .register(registry);
    if (store instanceof RingBufferStore memory) {
      gauge("parkway_memory_bytes", "Bytes of events the in-memory store holds", memory::bytes);
      gauge("parkway_memory_channels", "Channels and mailboxes the in-memory store holds", memory::channelCount);
      CounterWithCallback.builder()
          .name("parkway_memory_evicted")
          .help("Events the in-memory store dropped because it held parkway.memory.max-bytes")
          .callback(cb -> cb.call(memory.evicted()))
          .register(registry);
    }
  }

  /** Writes every metric in the Prometheus text format (version 0.0.4). */
  public void write(OutputStream out) throws IOException {
    writer.write(out, registry.scrape());
  }

  public String contentType() {
    return writer.getContentType();
  }

  private void gauge(String name, String help, DoubleSupplier value) {
    GaugeWithCallback.builder()
        .name(name)
        .help(help)
        .callback(cb -> cb.call(value.getAsDouble()))
        .register(registry);
  }

  private void counter(String name, String help, LongAdder value) {
    CounterWithCallback.builder()
        .name(name)
        .help(help)
        .callback(cb -> cb.call(value.sum()))
        .register(registry);
  }
}
