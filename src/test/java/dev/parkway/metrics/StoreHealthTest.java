package dev.parkway.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import dev.parkway.config.Config;
import dev.parkway.config.ConfigSource;
import dev.parkway.core.Broker;
import dev.parkway.core.EventStore;
import dev.parkway.core.Mailboxes;
import dev.parkway.core.Retention;
import dev.parkway.core.ScheduledTimer;
import dev.parkway.store.memory.RingBufferStore;
import dev.parkway.testing.ParkwayHttpSupport;
import dev.parkway.transport.http.HttpRoutes;
import dev.parkway.transport.http.JsonWriter;
import dev.parkway.transport.http.Mount;
import dev.parkway.auth.OpenAuthorizer;
import dev.parkway.auth.servlet.Access;
import io.restassured.path.json.JsonPath;
import jakarta.json.bind.Jsonb;
import jakarta.json.bind.JsonbBuilder;
import java.io.File;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.catalina.Context;
import org.apache.catalina.connector.Connector;
import org.apache.catalina.startup.Tomcat;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * {@code /health} and {@code /metrics} over a store that can be made unhealthy, and while the broker is
 * shutting down: the routes mounted on a bare Tomcat context around a broker this test owns.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class StoreHealthTest {
  private final AtomicBoolean storeUp = new AtomicBoolean(true);
  private final ScheduledThreadPoolExecutor scheduler = new ScheduledThreadPoolExecutor(1);
  private Broker broker;
  private Jsonb jsonb;
  private Tomcat tomcat;
  private HttpClient http;
  private int port;

  @BeforeAll
  void start() throws Exception {
    scheduler.setRemoveOnCancelPolicy(true);
    EventStore memory = new RingBufferStore(new Retention(10, Duration.ZERO, Duration.ZERO), Clock.systemUTC());
    Metrics metrics = new Metrics();
    EventStore store = metrics.timed(new SwitchableHealth(memory, storeUp));
    broker = new Broker(store, new ScheduledTimer(scheduler), Runnable::run, 1, 1 << 20);
    metrics.watch(broker, memory);
    jsonb = JsonbBuilder.create();
    JsonWriter json = new JsonWriter(jsonb, broker.counters().rejections);
    Config config = Config.load(ConfigSource.of(Map.of()));

    tomcat = new Tomcat();
    tomcat.setBaseDir(Files.createTempDirectory("parkway-health").toString());
    Connector connector = new Connector("HTTP/1.1");
    connector.setPort(0);
    connector.setProperty("address", "127.0.0.1");
    tomcat.setConnector(connector);
    Context ctx = tomcat.addContext("", new File(".").getAbsolutePath());
    ctx.addServletContainerInitializer(
        (classes, servletContext) -> {
          Mount mount = new Mount(servletContext, "");
          Access.install(servletContext, new OpenAuthorizer(), json); // /metrics asks for the admin grant
          HttpRoutes.register(mount, broker, new Mailboxes(broker), config, json, null);
          MetricsRoutes.register(mount, metrics, json);
        },
        null);
    tomcat.start();
    port = connector.getLocalPort();
    http = HttpClient.newBuilder().connectTimeout(ParkwayHttpSupport.PATIENCE).build();
  }

  @AfterAll
  void stop() throws Exception {
    tomcat.stop();
    tomcat.destroy();
    scheduler.shutdownNow();
    jsonb.close();
  }

  @Test
  @Order(1)
  void aStoreThatCannotServeIs503StoreUnavailableAndStoreUpZero() throws Exception {
    storeUp.set(false);
    try {
      HttpResponse<String> health = get("/health");

      assertThat(health.statusCode()).isEqualTo(503);
      assertThat(JsonPath.from(health.body()).getString("error")).isEqualTo("store_unavailable");
      assertThat(MetricsText.value(get("/metrics").body(), "parkway_store_up")).isZero();
    } finally {
      storeUp.set(true);
    }
    assertThat(get("/health").statusCode()).isEqualTo(200);
    assertThat(MetricsText.value(get("/metrics").body(), "parkway_store_up")).isEqualTo(1);
  }

  @Test
  @Order(2) // last: the broker stays shut down
  void shuttingDownIs503OnHealthAndOneOnTheGauge() throws Exception {
    assertThat(MetricsText.value(get("/metrics").body(), "parkway_shutting_down")).isZero();

    broker.shutdown();

    HttpResponse<String> health = get("/health");
    assertThat(health.statusCode()).isEqualTo(503);
    assertThat(JsonPath.from(health.body()).getString("error")).isEqualTo("shutting_down");
    assertThat(MetricsText.value(get("/metrics").body(), "parkway_shutting_down")).isEqualTo(1);
  }

  private HttpResponse<String> get(String path) throws Exception {
    return http.send(
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).timeout(ParkwayHttpSupport.PATIENCE).build(),
        HttpResponse.BodyHandlers.ofString());
  }

  /** A store whose {@link #healthy()} the test decides; everything else is the memory store's. */
  private static final class SwitchableHealth implements EventStore {
    private final EventStore store;
    private final AtomicBoolean up;

    SwitchableHealth(EventStore store, AtomicBoolean up) {
      this.store = store;
      this.up = up;
    }

    @Override public boolean healthy() { return up.get(); }
    @Override public String epoch() { return store.epoch(); }
    @Override public Appended append(String c, String d, String k) { return store.append(c, d, k); }
    @Override public Slice readAfter(String c, long a, int m) { return store.readAfter(c, a, m); }
    @Override public long firstSeqSince(String c, long s) { return store.firstSeqSince(c, s); }
    @Override public java.util.Optional<ChannelStats> stats(String c) { return store.stats(c); }
    @Override public boolean delete(String c) { return store.delete(c); }
    @Override public java.util.List<String> channelsUnder(String p) { return store.channelsUnder(p); }
    @Override public void trimExpired() { store.trimExpired(); }
    @Override public void setListener(ChangeListener l) { store.setListener(l); }
    @Override public void close() { store.close(); }
  }
}
