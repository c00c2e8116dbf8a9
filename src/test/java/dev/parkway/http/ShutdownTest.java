package dev.parkway.http;

import static org.assertj.core.api.Assertions.assertThat;

import dev.parkway.core.Broker;
import dev.parkway.testing.EmbeddedParkway;
import io.restassured.path.json.JsonPath;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

/** Stopping the server answers every parked poll 503 {@code shutting_down} with a jittered Retry-After. */
class ShutdownTest {
  private static final int RETRY_AFTER_MAX = 3;

  @Test
  void closingTheServerAnswersParkedPolls503WithRetryAfter() {
    HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    EmbeddedParkway server =
        EmbeddedParkway.start(
            EmbeddedParkway.settings("parkway.shutdown.retry-after", Integer.toString(RETRY_AFTER_MAX)));
    Broker broker = server.broker();
    List<CompletableFuture<HttpResponse<String>>> polls = new ArrayList<>();
    try {
      String[] targets = {
        "/channels/stop-a?timeout=30",
        "/channels/stop-a?timeout=30&client=c1",
        "/channels/stop-b?timeout=30",
        "/poll?channel=stop-a&channel=stop.*&timeout=30",
        "/poll?channel=stop-c&timeout=30&client=c2",
        "/channels/stop-d?timeout=30",
      };
      for (String target : targets) {
        polls.add(
            http.sendAsync(
                HttpRequest.newBuilder(URI.create(server.baseUri() + target)).timeout(HttpTestSupport.PATIENCE).build(),
                HttpResponse.BodyHandlers.ofString()));
      }
      HttpTestSupport.waitUntil("polls parked").until(() -> broker.parkedCount() == targets.length);
    } finally {
      server.close();
    }

    assertThat(broker.parkedCount()).isZero();
    assertThat(broker.closing()).isTrue();
    for (CompletableFuture<HttpResponse<String>> poll : polls) {
      HttpResponse<String> answer = HttpTestSupport.answer(poll);
      assertThat(answer.statusCode()).as(answer.body()).isEqualTo(503);
      HttpTestSupport.assertPollHeaders(answer);
      JsonPath body = HttpTestSupport.body(answer);
      assertThat(body.getString("error")).isEqualTo("shutting_down");
      assertThat(body.getString("message")).isNotBlank();
      assertThat(body.getMap("$")).containsOnlyKeys("error", "message");
      assertThat(answer.headers().firstValue("Retry-After"))
          .hasValueSatisfying(v -> assertThat(Integer.parseInt(v)).isBetween(1, RETRY_AFTER_MAX));
    }
  }
}
