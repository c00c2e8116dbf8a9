package dev.parkway.jetty;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.parkway.core.Broker;
import io.restassured.path.json.JsonPath;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * The CORS filter and token auth on Jetty 12: the filters are Parkway's own (no container class), async
 * capable, and keep their headers on a poll that parks and is answered later.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class JettyCorsTest {
  private static final Duration PATIENCE = Duration.ofSeconds(10);
  private static final String APP = "https://app.example";
  private static final String PUBLISH = "publish-token-0123456789";
  private static final String SUBSCRIBE = "subscribe-token-0123456789";

  private JettyParkway server;
  private HttpClient http;

  @BeforeAll
  void startServer() {
    server = JettyParkway.start(Map.of(
        "parkway.cors.origins", APP,
        "parkway.auth", "tokens",
        "parkway.auth.publish-token", PUBLISH,
        "parkway.auth.subscribe-token", SUBSCRIBE));
    http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(PATIENCE).build();
  }

  @AfterAll
  void stopServer() {
    if (server != null) {
      server.close();
    }
  }

  private HttpRequest.Builder request(String token, String pathAndQuery) {
    return HttpRequest.newBuilder(URI.create(server.baseUri() + pathAndQuery))
        .timeout(PATIENCE)
        .header("Origin", APP)
        .header("Authorization", "Bearer " + token);
  }

  private HttpResponse<String> send(HttpRequest request) {
    try {
      return http.send(request, HttpResponse.BodyHandlers.ofString());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  @Test
  void preflightAndAParkedPollCarryTheCorsHeadersOnJetty() {
    HttpResponse<String> preflight = send(HttpRequest.newBuilder(URI.create(server.baseUri() + "/channels/news"))
        .timeout(PATIENCE)
        .header("Origin", APP)
        .header("Access-Control-Request-Method", "POST")
        .method("OPTIONS", HttpRequest.BodyPublishers.noBody())
        .build());
    assertThat(preflight.statusCode()).isEqualTo(204);
    assertThat(preflight.headers().firstValue("Access-Control-Allow-Origin")).hasValue(APP);
    assertThat(preflight.headers().firstValue("Access-Control-Allow-Headers")).hasValueSatisfying(
        h -> assertThat(h).contains("Authorization"));

    String channel = "jetty-cors-" + System.nanoTime();
    CompletableFuture<HttpResponse<String>> poll = http.sendAsync(
        request(SUBSCRIBE, "/channels/" + channel + "?timeout=10").GET().build(),
        HttpResponse.BodyHandlers.ofString());
    Broker broker = server.broker();
    await("poll parks").pollInterval(Duration.ofMillis(5)).atMost(PATIENCE).until(() -> broker.parkedCount() == 1);

    HttpResponse<String> published = send(request(PUBLISH, "/channels/" + channel)
        .header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString("{\"jetty\":true}"))
        .build());
    assertThat(published.statusCode()).as(published.body()).isEqualTo(201);

    HttpResponse<String> answer = poll.orTimeout(PATIENCE.toSeconds(), TimeUnit.SECONDS).join();
    assertThat(answer.statusCode()).as(answer.body()).isEqualTo(200);
    assertThat(JsonPath.from(answer.body()).getBoolean("events[0].data.jetty")).isTrue();
    assertThat(answer.headers().firstValue("Access-Control-Allow-Origin")).hasValue(APP);
    assertThat(answer.headers().allValues("Vary")).anySatisfy(v -> assertThat(v).contains("Origin"));

    HttpResponse<String> refused = send(request("wrong-token", "/channels/" + channel + "?timeout=0").GET().build());
    assertThat(refused.statusCode()).isEqualTo(401);
    assertThat(refused.headers().firstValue("Access-Control-Allow-Origin")).hasValue(APP);
    await("parked polls drain").atMost(PATIENCE).until(() -> broker.parkedCount() == 0);
  }
}
