package dev.parkway.compat;

import static org.assertj.core.api.Assertions.assertThat;

import dev.parkway.testing.ParkwayHttpSupport;
import jakarta.json.JsonObject;
import java.net.URLEncoder;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.StringJoiner;
import java.util.concurrent.CompletableFuture;
import org.awaitility.core.ConditionFactory;

/**
 * Base of the golongpoll route's HTTP tests: {@link ParkwayHttpSupport}'s server, client and drain rule
 * (with more patience), every request under the route's {@link #prefix()}, golongpoll's two requests, and
 * its exact headers. Abstract, so JUnit runs only its subclasses. Tests in one class share the server, so
 * each uses its own categories ({@link #category}).
 */
abstract class GolongpollBaseTest extends ParkwayHttpSupport {
  static final Duration PATIENCE = Duration.ofSeconds(15);

  /** The golongpoll route's path prefix in {@link #settings()}. */
  protected String prefix() {
    return "";
  }

  @Override
  protected String target(String pathAndQuery) {
    return prefix() + pathAndQuery;
  }

  @Override
  protected Duration patience() {
    return PATIENCE;
  }

  public static ConditionFactory waitUntil(String alias) {
    return waitUntil(alias, PATIENCE);
  }

  public static HttpResponse<String> answer(CompletableFuture<HttpResponse<String>> pending) {
    return answer(pending, PATIENCE);
  }

  /** A category (also a valid channel name) no other test of this JVM uses. */
  static String category(String hint) {
    return unique(hint);
  }

  // ---- requests ----

  /** {@code GET /events?<query>} with the pairs given, each value %-encoded as the Go client does. */
  HttpResponse<String> subscribe(String... pairs) {
    return send(subscribeRequest(pairs));
  }

  CompletableFuture<HttpResponse<String>> subscribeAsync(String... pairs) {
    return sendAsync(subscribeRequest(pairs));
  }

  HttpRequest subscribeRequest(String... pairs) {
    return get("/events?" + query(pairs));
  }

  static String query(String... pairs) {
    StringJoiner q = new StringJoiner("&");
    for (int i = 0; i < pairs.length; i += 2) {
      q.add(URLEncoder.encode(pairs[i], StandardCharsets.UTF_8) + "="
          + URLEncoder.encode(pairs[i + 1], StandardCharsets.UTF_8));
    }
    return q.toString();
  }

  /** {@code POST /publish} of {@code {"category": category, "data": dataJson}}, asserting success. */
  void publish(String category, String dataJson) {
    HttpResponse<String> response =
        publishBody("{\"category\":" + GolongpollWire.string(category) + ",\"data\":" + dataJson + "}");
    assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
    assertThat(response.body()).isEqualTo("{\"success\": true}");
  }

  /** {@code POST /publish} of a raw body with {@code Content-Type: application/json}. */
  HttpResponse<String> publishBody(String body) {
    return send(postJson("/publish", body));
  }

  // ---- answers ----

  /** The headers golongpoll's subscription handler puts on every answer, exactly. */
  static void assertSubscribeHeaders(HttpResponse<?> response) {
    assertThat(response.headers().firstValue("Content-Type")).hasValue("application/json");
    assertThat(response.headers().firstValue("X-Content-Type-Options")).hasValue("nosniff");
    assertThat(response.headers().firstValue("Cache-Control")).hasValue("no-cache, no-store, must-revalidate");
    assertThat(response.headers().firstValue("Pragma")).hasValue("no-cache");
    assertThat(response.headers().firstValue("Expires")).hasValue("0");
  }

  /** The headers golongpoll's publish handler puts on every answer, exactly. */
  static void assertPublishHeaders(HttpResponse<?> response) {
    assertThat(response.headers().firstValue("Content-Type")).hasValue("application/json");
    assertThat(response.headers().firstValue("X-Content-Type-Options")).hasValue("nosniff");
  }

  /** Asserts a subscription refusal: 200, the subscribe headers, and exactly {@code {"error": "<message>"}}. */
  static void assertSubscribeError(HttpResponse<String> response, String message) {
    assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
    assertSubscribeHeaders(response);
    assertThat(response.body()).isEqualTo("{\"error\": \"" + message + "\"}");
  }

  static JsonObject json(HttpResponse<String> response) {
    return json(response.body());
  }

  static JsonObject json(String body) {
    return parseJson(body).asJsonObject();
  }
}
