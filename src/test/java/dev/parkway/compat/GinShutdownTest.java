package dev.parkway.compat;

import static org.assertj.core.api.Assertions.assertThat;

import dev.parkway.testing.EmbeddedParkway;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

/** Stopping the server answers parked Gin and chat polls 503 {@code shutting_down}, as the native API. */
class GinShutdownTest {

  @Test
  void closingTheServerAnswersParkedGinAndChatPolls503() {
    HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    EmbeddedParkway server =
        EmbeddedParkway.start(EmbeddedParkway.settings("parkway.shutdown.retry-after", "2"));
    List<CompletableFuture<HttpResponse<String>>> polls;
    try {
      // The chat poll parks only if the chat channel is empty, which it is on a new server.
      polls = List.of("/poll/stop-1", "/messages").stream()
          .map(path -> http.sendAsync(
              HttpRequest.newBuilder(URI.create(server.baseUri() + path)).timeout(GinHttpSupport.PATIENCE).build(),
              HttpResponse.BodyHandlers.ofString()))
          .toList();
      GinHttpSupport.waitUntil("polls parked").until(() -> server.broker().parkedCount() == 2);
    } finally {
      server.close();
    }
    for (CompletableFuture<HttpResponse<String>> poll : polls) {
      HttpResponse<String> got = GinHttpSupport.answer(poll);
      GinHttpSupport.assertError(got, 503, "shutting_down");
      assertThat(got.headers().firstValue("Retry-After"))
          .hasValueSatisfying(v -> assertThat(Integer.parseInt(v)).isBetween(1, 2));
    }
  }
}
