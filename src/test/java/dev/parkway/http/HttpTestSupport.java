package dev.parkway.http;

import static io.restassured.RestAssured.given;
import static io.restassured.config.EncoderConfig.encoderConfig;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.emptyOrNullString;
import static org.hamcrest.Matchers.startsWith;

import dev.parkway.core.Broker;
import dev.parkway.core.Cursor;
import dev.parkway.testing.EmbeddedParkway;
import io.restassured.builder.RequestSpecBuilder;
import io.restassured.builder.ResponseSpecBuilder;
import io.restassured.config.RestAssuredConfig;
import io.restassured.path.json.JsonPath;
import io.restassured.specification.RequestSpecification;
import io.restassured.specification.ResponseSpecification;
import jakarta.json.Json;
import jakarta.json.JsonReader;
import jakarta.json.JsonValue;
import java.io.StringReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.TestInstance;
import org.awaitility.core.ConditionFactory;

/**
 * Base of the HTTP-level tests: one embedded Parkway per test class (started before the first test,
 * closed after the last), a REST Assured spec aimed at it, a {@link HttpClient} for requests that must
 * stay parked while the test goes on, and the rule that every test leaves no poll parked behind.
 *
 * <p>Tests in one class share the server, so each test uses its own channel names ({@link #channel}).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class HttpTestSupport {
  /** Upper bound for anything awaited; generous so a slow CI machine does not flake. */
  static final Duration PATIENCE = Duration.ofSeconds(10);

  private static final AtomicInteger NAMES = new AtomicInteger();

  protected EmbeddedParkway server;
  protected HttpClient http;

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
  void parkedPollsDrain() {
    if (server != null && server.available()) {
      Broker broker = server.broker();
      waitUntil("parked polls drain").until(() -> broker.parkedCount() == 0);
    }
  }

  /**
   * Awaitility checking every few milliseconds from the start (its default first waits 100 ms, which over
   * a few hundred awaits would dominate the suite's time), giving up after {@link #PATIENCE}.
   */
  static ConditionFactory waitUntil(String alias) {
    return await(alias).pollDelay(Duration.ZERO).pollInterval(Duration.ofMillis(2)).atMost(PATIENCE);
  }

  /** A channel name no other test of this JVM uses. */
  static String channel(String hint) {
    return hint + "-" + NAMES.incrementAndGet();
  }

  /** REST Assured aimed at the server, sending exactly the content type a test names. */
  RequestSpecification api() {
    return given().spec(
        new RequestSpecBuilder()
            .setBaseUri(server.baseUri())
            .setConfig(
                RestAssuredConfig.config()
                    .encoderConfig(encoderConfig().appendDefaultContentCharsetToContentTypeIfUndefined(false)))
            .build());
  }

  /** What every JSON answer of the API carries. */
  static ResponseSpecification jsonAnswer(int status) {
    return new ResponseSpecBuilder()
        .expectStatusCode(status)
        .expectHeader("Cache-Control", "no-store")
        .expectHeader("X-Content-Type-Options", "nosniff")
        .expectHeader("Content-Type", startsWith("application/json"))
        .build();
  }

  /** An error answer: status, headers, and a body of exactly {"error": code, "message": text}. */
  static ResponseSpecification error(int status, String code) {
    return new ResponseSpecBuilder()
        .addResponseSpecification(jsonAnswer(status))
        .expectBody("error", equalTo(code))
        .expectBody("message", not(emptyOrNullString()))
        .expectBody("keySet()", equalTo(java.util.Set.of("error", "message")))
        .build();
  }

  /**
   * Publishes {@code json} and returns the new seq, asserting a 201 with the API's headers. Sent with the
   * java.net.http client: several times faster per request than REST Assured, which matters in loops.
   */
  long publish(String channel, String json) {
    HttpResponse<String> response = send(post(channel, json));
    assertThat(response.statusCode()).as(response.body()).isEqualTo(201);
    assertPollHeaders(response);
    JsonPath body = body(response);
    assertThat(body.getString("channel")).isEqualTo(channel);
    return body.getLong("seq");
  }

  HttpRequest post(String channel, String json) {
    return HttpRequest.newBuilder(URI.create(server.baseUri() + "/channels/" + channel))
        .timeout(PATIENCE)
        .header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString(json))
        .build();
  }

  /** The channel's head as /info reports it. */
  long head(String channel) {
    HttpResponse<String> info = getNow("/channels/" + channel + "/info");
    assertThat(info.statusCode()).as(info.body()).isEqualTo(200);
    return body(info).getLong("head");
  }

  /** A GET sent with the java.net.http client, answered later; {@code pathAndQuery} starts with '/'. */
  CompletableFuture<HttpResponse<String>> getAsync(String pathAndQuery) {
    return http.sendAsync(get(pathAndQuery), HttpResponse.BodyHandlers.ofString());
  }

  HttpResponse<String> getNow(String pathAndQuery) {
    return send(get(pathAndQuery));
  }

  HttpResponse<String> send(HttpRequest request) {
    try {
      return http.send(request, HttpResponse.BodyHandlers.ofString());
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  HttpRequest get(String pathAndQuery) {
    return HttpRequest.newBuilder(URI.create(server.baseUri() + pathAndQuery)).timeout(PATIENCE).GET().build();
  }

  /** Waits until exactly {@code n} polls are parked. */
  void awaitParked(int n) {
    Broker broker = server.broker();
    waitUntil("parked polls = " + n).until(() -> broker.parkedCount() == n);
  }

  /** The answer to a request sent with {@link #getAsync}, within {@link #PATIENCE}. */
  static HttpResponse<String> answer(CompletableFuture<HttpResponse<String>> pending) {
    return pending.orTimeout(PATIENCE.toSeconds(), java.util.concurrent.TimeUnit.SECONDS).join();
  }

  static JsonPath body(HttpResponse<String> response) {
    return JsonPath.from(response.body());
  }

  /** Asserts the headers every poll answer carries. */
  static void assertPollHeaders(HttpResponse<?> response) {
    assertThat(response.headers().firstValue("Cache-Control")).hasValue("no-store");
    assertThat(response.headers().firstValue("X-Content-Type-Options")).hasValue("nosniff");
    assertThat(response.headers().firstValue("Content-Type")).hasValueSatisfying(
        type -> assertThat(type).startsWith("application/json"));
  }

  /**
   * Asserts that two wire cursors name the same position: the same epoch and the same seq per channel.
   * Their text may differ: a cursor also records when it was issued, which each answer refreshes.
   */
  static void assertSamePosition(String actual, String expected) {
    Cursor a = Cursor.decode(actual);
    Cursor e = Cursor.decode(expected);
    assertThat(a.epoch()).as("epoch of cursor %s", actual).isEqualTo(e.epoch());
    assertThat(a.positions()).as("positions of cursor %s", actual).isEqualTo(e.positions());
  }

  /** Parses JSON text with jakarta.json, for structural comparison of event data. */
  static JsonValue parseJson(String text) {
    try (JsonReader reader = Json.createReader(new StringReader(text))) {
      return reader.readValue();
    }
  }
}
