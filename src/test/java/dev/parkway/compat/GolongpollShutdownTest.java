package dev.parkway.compat;

import static org.assertj.core.api.Assertions.assertThat;

import dev.parkway.core.Broker;
import dev.parkway.testing.EmbeddedParkway;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Stopping the server answers a parked golongpoll subscription 503 with golongpoll's error form and a
 * Retry-After: both golongpoll clients treat any non-200 as a failure and retry after a wait.
 */
class GolongpollShutdownTest {

  @Test
  void stoppingTheServerAnswersParkedSubscriptions503() {
    HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    EmbeddedParkway server =
        EmbeddedParkway.start(EmbeddedParkway.settings("parkway.shutdown.retry-after", "3"));
    Broker broker = server.broker();
    CompletableFuture<HttpResponse<String>> pending;
    try {
      pending =
          http.sendAsync(
              HttpRequest.newBuilder(URI.create(server.baseUri() + "/events?timeout=60&category=stop"))
                  .timeout(GolongpollBaseTest.PATIENCE)
                  .build(),
              HttpResponse.BodyHandlers.ofString());
      GolongpollBaseTest.waitUntil("parked").until(() -> broker.parkedCount() == 1);
    } finally {
      server.close();
    }
    HttpResponse<String> answer =
        pending.orTimeout(GolongpollBaseTest.PATIENCE.toSeconds(), TimeUnit.SECONDS).join();
    assertThat(answer.statusCode()).isEqualTo(503);
    GolongpollBaseTest.assertSubscribeHeaders(answer);
    assertThat(answer.body()).isEqualTo("{\"error\": \"Server is shutting down, try again shortly.\"}");
    assertThat(answer.headers().firstValue("Retry-After"))
        .hasValueSatisfying(v -> assertThat(Integer.parseInt(v)).isBetween(1, 3));
  }
}
