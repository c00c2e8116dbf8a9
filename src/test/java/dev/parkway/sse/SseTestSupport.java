package dev.parkway.sse;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.parkway.core.Broker;
import dev.parkway.testing.EmbeddedParkway;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.awaitility.core.ConditionFactory;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.TestInstance;

/**
 * Base of the stream tests (and of the broadcast compatibility tests, which stream too): one embedded
 * Parkway per class, an HTTP client, {@link SseClient}s that are closed after each test, and the rule
 * that every test leaves no stream open and no poll parked.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
public abstract class SseTestSupport {
  public static final Duration PATIENCE = SseClient.PATIENCE;
  private static final AtomicInteger NAMES = new AtomicInteger();

  protected EmbeddedParkway server;
  protected HttpClient http;
  private final List<AutoCloseable> opened = new ArrayList<>();

  /** The context init-params the class's server starts with. */
  protected Map<String, String> settings() {
    return Map.of();
  }

  @BeforeAll
  void startServer() {
    server = EmbeddedParkway.start(settings());
    http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(PATIENCE).build();
  }

  @AfterAll
  void stopServer() {
    if (server != null) {
      server.close();
    }
  }

  @AfterEach
  void streamsAndPollsDrain() throws Exception {
    for (AutoCloseable c : opened) {
      c.close();
    }
    opened.clear();
    if (server != null && server.available()) {
      Broker broker = server.broker();
      waitUntil("open streams close").until(() -> broker.watcherCount() == 0);
      waitUntil("parked polls drain").until(() -> broker.parkedCount() == 0);
    }
  }

  /** Awaitility checking every few milliseconds, giving up after {@link #PATIENCE}. */
  public static ConditionFactory waitUntil(String alias) {
    return await(alias).pollDelay(Duration.ZERO).pollInterval(Duration.ofMillis(2)).atMost(PATIENCE);
  }

  /** A channel name no other test of this JVM uses. */
  public static String channel(String hint) {
    return hint + "-" + NAMES.incrementAndGet();
  }

  /** Opens a stream that is closed after the test. */
  protected SseClient stream(String target, String... headerLines) {
    try {
      SseClient client = SseClient.open(server.port(), target, headerLines);
      opened.add(client);
      return client;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Opens a stream, asserts it is one, and waits until the broker has it registered. */
  protected SseClient openStream(String target, String... headerLines) {
    int before = server.broker().watcherCount();
    SseClient client = stream(target, headerLines);
    assertThat(client.status()).as(client.errorBody()).isEqualTo(200);
    waitUntil("stream registered").until(() -> server.broker().watcherCount() > before);
    return client;
  }

  /** Publishes {@code json} on {@code channel} and returns its seq. */
  protected long publish(String channel, String json) {
    HttpResponse<String> response =
        send(
            HttpRequest.newBuilder(URI.create(server.baseUri() + "/channels/" + channel))
                .timeout(PATIENCE)
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(json))
                .build());
    assertThat(response.statusCode()).as(response.body()).isEqualTo(201);
    String body = response.body();
    int at = body.indexOf("\"seq\":") + 6;
    int end = at;
    while (end < body.length() && Character.isDigit(body.charAt(end))) {
      end++;
    }
    return Long.parseLong(body.substring(at, end));
  }

  protected HttpResponse<String> get(String pathAndQuery) {
    return send(request(pathAndQuery).GET().build());
  }

  protected CompletableFuture<HttpResponse<String>> getAsync(String pathAndQuery) {
    return http.sendAsync(request(pathAndQuery).GET().build(), HttpResponse.BodyHandlers.ofString());
  }

  protected HttpRequest.Builder request(String pathAndQuery) {
    return HttpRequest.newBuilder(URI.create(server.baseUri() + pathAndQuery)).timeout(PATIENCE);
  }

  protected HttpResponse<String> send(HttpRequest request) {
    try {
      return http.send(request, HttpResponse.BodyHandlers.ofString());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  protected static HttpResponse<String> answer(CompletableFuture<HttpResponse<String>> pending) {
    return pending.orTimeout(PATIENCE.toSeconds(), TimeUnit.SECONDS).join();
  }

  protected void awaitParked(int n) {
    Broker broker = server.broker();
    waitUntil("parked polls = " + n).until(() -> broker.parkedCount() == n);
  }
}
