package dev.parkway.shutdown;

import static org.assertj.core.api.Assertions.assertThat;

import dev.parkway.metrics.MetricsText;
import dev.parkway.sse.SseClient;
import dev.parkway.testing.ParkwayHttpSupport;
import io.restassured.path.json.JsonPath;
import java.io.File;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import java.util.stream.Stream;
import org.apache.catalina.LifecycleException;
import org.apache.catalina.WebResourceRoot;
import org.apache.catalina.connector.Connector;
import org.apache.catalina.core.StandardContext;
import org.apache.catalina.core.StandardHost;
import org.apache.catalina.core.ThreadLocalLeakPreventionListener;
import org.apache.catalina.loader.WebappLoader;
import org.apache.catalina.startup.Constants;
import org.apache.catalina.startup.ContextConfig;
import org.apache.catalina.startup.Tomcat;
import org.apache.catalina.webresources.DirResourceSet;
import org.apache.catalina.webresources.StandardRoot;
import org.apache.tomcat.util.scan.StandardJarScanner;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Undeploying Parkway from a running Tomcat, as a redeploy does, and deploying it again.
 *
 * <p>Unlike {@code EmbeddedParkway} (which loads Parkway from the test class path, parent first), the
 * context here loads {@code target/classes} as its own {@code WEB-INF/classes} with {@code delegate=false}:
 * Parkway's classes belong to the web application's class loader, as in a deployed WAR, so a thread,
 * ThreadLocal or static reference left behind would keep that loader alive and Tomcat's leak detection
 * ({@link StandardHost#findReloadedContextMemoryLeaks()}, and the warnings of {@code WebappClassLoaderBase}
 * when it clears references) would report it. Libraries come from the test class path.
 */
class RedeployTest {
  private static final Duration PATIENCE = ParkwayHttpSupport.PATIENCE;
  private static final Logger LOADER_LOG = Logger.getLogger("org.apache.catalina.loader.WebappClassLoaderBase");

  /** Formatted, never the records: a record's parameters could themselves pin the class loader. */
  private final List<String> loaderWarnings = new java.util.concurrent.CopyOnWriteArrayList<>();
  private final Handler capture =
      new Handler() {
        @Override
        public void publish(LogRecord record) {
          if (record.getLevel().intValue() >= Level.WARNING.intValue()) {
            loaderWarnings.add(new java.util.logging.SimpleFormatter().formatMessage(record));
          }
        }

        @Override
        public void flush() {}

        @Override
        public void close() {}
      };

  private Path baseDir;
  private Tomcat tomcat;
  private int port;
  private HttpClient http;

  @BeforeEach
  void startTomcat() throws Exception {
    LOADER_LOG.addHandler(capture);
    baseDir = Files.createTempDirectory("parkway-redeploy");
    tomcat = new Tomcat();
    tomcat.setBaseDir(baseDir.toString());
    Connector connector = new Connector("HTTP/1.1");
    connector.setPort(0);
    connector.setProperty("address", "127.0.0.1");
    tomcat.setConnector(connector);
    tomcat.getHost().setAutoDeploy(false);
    tomcat.getServer().addLifecycleListener(new ThreadLocalLeakPreventionListener()); // as server.xml
    tomcat.start();
    port = connector.getLocalPort();
    http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(PATIENCE).build();
  }

  @AfterEach
  void stopTomcat() throws LifecycleException {
    LOADER_LOG.removeHandler(capture);
    try {
      tomcat.stop();
      tomcat.destroy();
    } finally {
      try (Stream<Path> paths = Files.walk(baseDir)) {
        paths.sorted(Comparator.reverseOrder()).map(Path::toFile).forEach(File::delete);
      } catch (IOException e) {
        // a temp directory left behind is harmless
      }
    }
  }

  @Test
  void undeployAnswersEveryParkedClientStopsEveryThreadAndARedeployServesAgain() throws Exception {
    StandardContext first = deploy();
    List<CompletableFuture<HttpResponse<String>>> polls = new ArrayList<>();
    List<SseClient> streams = new ArrayList<>();
    try {
      publish("kept", "1");
      for (String target :
          List.of(
              "/channels/a?timeout=30",
              "/channels/a?timeout=30&client=c1",
              "/poll?channel=a&channel=b.*&timeout=30",
              "/clients/alice/messages?timeout=30",
              "/getmessage")) {
        polls.add(http.sendAsync(request(target).GET().build(), HttpResponse.BodyHandlers.ofString()));
      }
      ParkwayHttpSupport.waitUntil("polls parked").until(() -> healthField("parked") == polls.size());
      streams.add(SseClient.open(port, "/channels/a/stream"));
      streams.add(SseClient.open(port, "/events"));
      ParkwayHttpSupport.waitUntil("streams open").until(() -> metric("parkway_open_streams") == 2);
    } finally {
      undeploy(first);
    }

    assertShutDown(polls, streams);
    assertNoThreadLeft();

    StandardContext second = deploy();
    try {
      JsonPath health = JsonPath.from(get("/health").body());
      assertThat(health.getString("status")).isEqualTo("up");
      CompletableFuture<HttpResponse<String>> poll =
          http.sendAsync(request("/channels/again?timeout=10").GET().build(), HttpResponse.BodyHandlers.ofString());
      ParkwayHttpSupport.waitUntil("poll parked").until(() -> healthField("parked") == 1);
      publish("again", "{\"served\":true}");
      HttpResponse<String> answer = ParkwayHttpSupport.answer(poll);
      assertThat(answer.statusCode()).as(answer.body()).isEqualTo(200);
      assertThat(JsonPath.from(answer.body()).getBoolean("events[0].data.served")).isTrue();
      assertThat(metric("parkway_published_total")).as("a fresh registry: nothing counted twice").isEqualTo(1);
    } finally {
      undeploy(second);
    }
    assertNoThreadLeft();
  }

  @Test
  void theUndeployedClassLoaderIsCollected() throws Exception {
    StandardContext ctx = deploy();
    List<CompletableFuture<HttpResponse<String>>> polls = new ArrayList<>();
    List<SseClient> streams = new ArrayList<>();
    try {
      publish("kept", "1");
      assertThat(get("/metrics").statusCode()).isEqualTo(200);
      polls.add(http.sendAsync(request("/channels/a?timeout=30").GET().build(), HttpResponse.BodyHandlers.ofString()));
      ParkwayHttpSupport.waitUntil("poll parked").until(() -> healthField("parked") == 1);
      streams.add(SseClient.open(port, "/channels/a/stream"));
      streams.add(SseClient.open(port, "/events"));
      ParkwayHttpSupport.waitUntil("streams open").until(() -> metric("parkway_open_streams") == 2);
    } finally {
      undeploy(ctx);
    }
    ctx = null; // the test must not be what keeps the context (and through it the loader) reachable

    assertShutDown(polls, streams);
    assertNoThreadLeft();
    assertClassLoaderCollected();
  }

  /**
   * The second 503 of a shutdown is the first {@code equals} on a {@code Rejections.Kind}: on JDK 17 the
   * JDK then keeps that record class (and its loader) in a method handle cache unless Parkway resets it
   * (see {@code AsTypeCaches}).
   */
  @Test
  void theUndeployedClassLoaderIsCollectedWithSeveralPollsParked() throws Exception {
    StandardContext ctx = deploy();
    List<CompletableFuture<HttpResponse<String>>> polls = new ArrayList<>();
    try {
      for (String target : List.of("/channels/a?timeout=30", "/channels/a?timeout=30&client=c1")) {
        polls.add(http.sendAsync(request(target).GET().build(), HttpResponse.BodyHandlers.ofString()));
      }
      ParkwayHttpSupport.waitUntil("polls parked").until(() -> healthField("parked") == polls.size());
    } finally {
      undeploy(ctx);
    }
    ctx = null;

    assertShutDown(polls, List.of());
    assertClassLoaderCollected();
  }

  private static void assertShutDown(List<CompletableFuture<HttpResponse<String>>> polls, List<SseClient> streams)
      throws IOException {
    for (CompletableFuture<HttpResponse<String>> poll : polls) {
      HttpResponse<String> answer = ParkwayHttpSupport.answer(poll);
      assertThat(answer.statusCode()).as(answer.body()).isEqualTo(503);
      assertThat(answer.headers().firstValue("Retry-After")).isPresent();
      JsonPath body = JsonPath.from(answer.body());
      assertThat(body.getString("error")).isEqualTo("shutting_down");
      assertThat(body.getString("message")).isNotBlank();
    }
    for (SseClient stream : streams) {
      try (stream) {
        assertThat(stream.status()).isEqualTo(200);
        assertThat(stream.nextEvent().retry()).as("the last frame asks the client to wait").isNotNull();
        ParkwayHttpSupport.waitUntil("stream ended").until(stream::ended);
      }
    }
  }

  private void assertNoThreadLeft() {
    ParkwayHttpSupport.waitUntil("no parkway or prometheus thread alive")
        .until(() -> threadsNamed("parkway-", "prometheus-").isEmpty());
    assertThat(loaderWarnings).as("WebappClassLoaderBase warnings").isEmpty();
  }

  private void assertClassLoaderCollected() {
    StandardHost host = (StandardHost) tomcat.getHost();
    // findReloadedContextMemoryLeaks() runs a full GC itself, then lists stopped contexts whose class
    // loader is still reachable. A loader collected a moment later is not a leak: ask a few times.
    ParkwayHttpSupport.waitUntil("the undeployed class loader is collected")
        .pollInterval(Duration.ofMillis(200))
        .until(() -> host.findReloadedContextMemoryLeaks().length == 0);
  }

  private static List<String> threadsNamed(String... prefixes) {
    return Thread.getAllStackTraces().keySet().stream()
        .filter(Thread::isAlive)
        .map(Thread::getName)
        .filter(name -> Stream.of(prefixes).anyMatch(name::startsWith))
        .toList();
  }

  private StandardContext deploy() {
    StandardContext ctx = new StandardContext();
    ctx.setName("");
    ctx.setPath("");
    ctx.setDocBase(new File("webapp").getAbsolutePath());
    // Tomcat waits this long for in-flight requests before Parkway's own shutdown answers them.
    ctx.setUnloadDelay(200);
    ContextConfig config = new ContextConfig();
    config.setDefaultWebXml(Constants.NoDefaultWebXml);
    ctx.addLifecycleListener(config);
    WebResourceRoot resources = new StandardRoot(ctx);
    resources.addPreResources(
        new DirResourceSet(resources, "/WEB-INF/classes", new File("target/classes").getAbsolutePath(), "/"));
    ctx.setResources(resources);
    WebappLoader loader = new WebappLoader();
    loader.setDelegate(false); // Parkway's classes from WEB-INF/classes, as in a WAR
    ctx.setLoader(loader);
    ctx.setParentClassLoader(RedeployTest.class.getClassLoader());
    StandardJarScanner scanner = (StandardJarScanner) ctx.getJarScanner();
    scanner.setScanClassPath(false);
    scanner.setScanManifest(false);
    tomcat.getHost().addChild(ctx); // the host is running: this starts the context
    assertThat(ctx.getState().isAvailable()).as("Parkway started").isTrue();
    return ctx;
  }

  private void undeploy(StandardContext ctx) throws LifecycleException {
    tomcat.getHost().removeChild(ctx); // stops and destroys it, as a manager's undeploy does
    assertThat(ctx.getState().isAvailable()).isFalse();
  }

  private HttpRequest.Builder request(String target) {
    return HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + target)).timeout(PATIENCE);
  }

  private HttpResponse<String> get(String target) throws Exception {
    return http.send(request(target).GET().build(), HttpResponse.BodyHandlers.ofString());
  }

  private void publish(String channel, String json) throws Exception {
    HttpResponse<String> response =
        http.send(
            request("/channels/" + channel)
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(json))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(response.statusCode()).as(response.body()).isEqualTo(201);
  }

  private int healthField(String field) throws Exception {
    return JsonPath.from(get("/health").body()).getInt(field);
  }

  private double metric(String name) throws Exception {
    return MetricsText.value(get("/metrics").body(), name);
  }
}
