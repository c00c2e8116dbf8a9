package dev.parkway.jetty;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;

import dev.parkway.core.Broker;
import io.restassured.path.json.JsonPath;
import io.restassured.specification.RequestSpecification;
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

  @BeforeAll
  void startServer() {
    server = JettyParkway.start(Map.of(
        "parkway.cors.origins", APP,
        "parkway.auth", "tokens",
        "parkway.auth.publish-token", PUBLISH,
        "parkway.auth.subscribe-token", SUBSCRIBE));
  }

  @AfterAll
  void stopServer() {
    if (server != null) {
      server.close();
    }
  }

  private RequestSpecification fromApp() {
    return given().baseUri(server.baseUri()).header("Origin", APP);
  }

  @Test
  void preflightAndAParkedPollCarryTheCorsHeadersOnJetty() {
    fromApp().header("Access-Control-Request-Method", "POST")
        .when().options("/channels/news")
        .then().statusCode(204)
        .header("Access-Control-Allow-Origin", APP)
        .header("Access-Control-Allow-Headers", containsString("Authorization"));

    String channel = "jetty-cors-" + System.nanoTime();
    HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(PATIENCE).build();
    CompletableFuture<HttpResponse<String>> poll = http.sendAsync(
        HttpRequest.newBuilder(URI.create(server.baseUri() + "/channels/" + channel + "?timeout=10"))
            .timeout(PATIENCE).header("Origin", APP).header("Authorization", "Bearer " + SUBSCRIBE).GET().build(),
        HttpResponse.BodyHandlers.ofString());
    Broker broker = server.broker();
    await("poll parks").pollInterval(Duration.ofMillis(5)).atMost(PATIENCE).until(() -> broker.parkedCount() == 1);

    fromApp().header("Authorization", "Bearer " + PUBLISH).contentType("application/json").body("{\"jetty\":true}")
        .when().post("/channels/" + channel)
        .then().statusCode(201);

    HttpResponse<String> answer = poll.orTimeout(PATIENCE.toSeconds(), TimeUnit.SECONDS).join();
    assertThat(answer.statusCode()).as(answer.body()).isEqualTo(200);
    assertThat(JsonPath.from(answer.body()).getBoolean("events[0].data.jetty")).isTrue();
    assertThat(answer.headers().firstValue("Access-Control-Allow-Origin")).hasValue(APP);
    assertThat(answer.headers().allValues("Vary")).anySatisfy(v -> assertThat(v).contains("Origin"));

    fromApp().header("Authorization", "Bearer wrong-token")
        .when().get("/channels/" + channel + "?timeout=0")
        .then().statusCode(401)
        .header("Access-Control-Allow-Origin", APP)
        .body("error", equalTo("invalid_token"));
    await("parked polls drain").atMost(PATIENCE).until(() -> broker.parkedCount() == 0);
  }
}
