package dev.parkway.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.parkway.core.Broker;
import io.restassured.path.json.JsonPath;
import jakarta.json.Json;
import jakarta.json.JsonReader;
import jakarta.json.JsonValue;
import java.io.IOException;
import java.io.StringReader;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
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
 * Base of every test class that talks HTTP to a running Parkway (the native API's, the streams', the
 * compatibility routes'): one {@link EmbeddedParkway} per test class, started from the real {@code
 * webapp/} with the class's {@link #settings()} before the first test and closed after the last; a {@link
 * HttpClient} for requests that must stay parked while the test goes on; the requests and answers every
 * such test needs; and the rule that every test leaves no poll parked behind.
 *
 * <p>Tests in one class share the server, so each test uses names of its own ({@link #unique}). Abstract,
 * so JUnit runs only its subclasses. Not thread-safe beyond what {@link HttpClient} is.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
public abstract class ParkwayHttpSupport {
  /** Upper bound for anything awaited; generous so a slow machine does not flake. */
  public static final Duration PATIENCE = Duration.ofSeconds(10);

  private static final AtomicInteger NAMES = new AtomicInteger();

  protected EmbeddedParkway server;
  protected HttpClient http;

  /** The context init-params the class's server starts with. */
  protected Map<String, String> settings() {
    return Map.of();
  }

  /**
   * The bound on this class's awaits, requests and connections: {@link #PATIENCE} unless a family of
   * tests needs longer (it then hides {@link #waitUntil(String)} and {@link #answer(CompletableFuture)}
   * with its own bound too).
   */
  protected Duration patience() {
    return PATIENCE;
  }

  /** The request target for {@code pathAndQuery}: itself, unless the class's routes sit under a prefix. */
  protected String target(String pathAndQuery) {
    return pathAndQuery;
  }

  @BeforeAll
  protected void startServer() {
    server = EmbeddedParkway.start(settings());
    http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(patience()).build();
  }

  @AfterAll
  protected void stopServer() {
    if (server != null) {
      server.close();
    }
  }

  @AfterEach
  protected void parkedPollsDrain() {
    if (server != null && server.available()) {
      Broker broker = server.broker();
      waitUntil("parked polls drain", patience()).until(() -> broker.parkedCount() == 0);
    }
  }

  /**
   * Awaitility checking every few milliseconds from the start (its default first waits 100 ms, which over
   * a few hundred awaits would dominate the suite's time), giving up after {@link #PATIENCE}.
   */
  public static ConditionFactory waitUntil(String alias) {
    return waitUntil(alias, PATIENCE);
  }

  /** {@link #waitUntil(String)}, giving up after {@code patience}. */
  public static ConditionFactory waitUntil(String alias, Duration patience) {
    return await(alias).pollDelay(Duration.ZERO).pollInterval(Duration.ofMillis(2)).atMost(patience);
  }

  /** A name (channel, client id, category) no other test of this JVM uses. */
  public static String unique(String hint) {
    return hint + "-" + NAMES.incrementAndGet();
  }

  /** Waits until exactly {@code n} polls are parked. */
  public void awaitParked(int n) {
    Broker broker = server.broker();
    waitUntil("parked polls = " + n, patience()).until(() -> broker.parkedCount() == n);
  }

  // ---- requests (java.net.http: several times faster per request than REST Assured) ----

  /** A request to the server, bounded by {@link #patience()}; {@code pathAndQuery} starts with '/'. */
  public HttpRequest.Builder request(String pathAndQuery) {
    return HttpRequest.newBuilder(URI.create(server.baseUri() + target(pathAndQuery))).timeout(patience());
  }

  public HttpRequest get(String pathAndQuery) {
    return request(pathAndQuery).GET().build();
  }

  /** A {@code POST} of {@code json} with {@code Content-Type: application/json}. */
  public HttpRequest postJson(String path, String json) {
    return request(path)
        .header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString(json))
        .build();
  }

  public HttpResponse<String> send(HttpRequest request) {
    try {
      return http.send(request, HttpResponse.BodyHandlers.ofString());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  /** A request answered later (see {@link #answer}). */
  public CompletableFuture<HttpResponse<String>> sendAsync(HttpRequest request) {
    return http.sendAsync(request, HttpResponse.BodyHandlers.ofString());
  }

  public HttpResponse<String> getNow(String pathAndQuery) {
    return send(get(pathAndQuery));
  }

  /** A GET answered later; {@code pathAndQuery} starts with '/'. */
  public CompletableFuture<HttpResponse<String>> getAsync(String pathAndQuery) {
    return sendAsync(get(pathAndQuery));
  }

  /**
   * {@code POST /channels/{channel}} of {@code json} through the native API, asserting it was stored (201);
   * callers assert what else they need of the answer.
   */
  protected HttpResponse<String> publishCreated(String channel, String json) {
    HttpResponse<String> response = send(postJson("/channels/" + channel, json));
    assertThat(response.statusCode()).as(response.body()).isEqualTo(201);
    return response;
  }

  /**
   * A {@code GET} sent over a plain socket exactly as written, for targets java.net.http refuses to send
   * (a malformed %-escape such as {@code %ZZ}). One request; the answer is read until the server closes.
   */
  public RawHttp.Response rawGet(String pathAndQuery) {
    try (RawHttp raw = new RawHttp(server.port(), patience())) {
      return raw.send("GET " + target(pathAndQuery) + " HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n")
          .readToEnd();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  // ---- answers ----

  /** The answer to a request sent with {@link #getAsync} or {@link #sendAsync}, within {@link #PATIENCE}. */
  public static HttpResponse<String> answer(CompletableFuture<HttpResponse<String>> pending) {
    return answer(pending, PATIENCE);
  }

  /** The answer to a request sent with {@link #getAsync} or {@link #sendAsync}, within {@code patience}. */
  public static HttpResponse<String> answer(CompletableFuture<HttpResponse<String>> pending, Duration patience) {
    return pending.orTimeout(patience.toSeconds(), TimeUnit.SECONDS).join();
  }

  public static JsonPath body(HttpResponse<String> response) {
    return JsonPath.from(response.body());
  }

  public static JsonPath body(String json) {
    return JsonPath.from(json);
  }

  /** Parses JSON text with jakarta.json, for structural comparison of event data. */
  public static JsonValue parseJson(String text) {
    try (JsonReader reader = Json.createReader(new StringReader(text))) {
      return reader.readValue();
    }
  }
}
