package dev.parkway.direct;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.parkway.core.Broker;
import dev.parkway.testing.EmbeddedParkway;
import dev.parkway.testing.ParkwayHttpSupport;
import dev.parkway.testing.RawHttp;
import io.restassured.path.json.JsonPath;
import java.io.IOException;
import java.net.ConnectException;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

/**
 * Undeploying Parkway with the direct port on: its parked polls are answered 503 {@code shutting_down}
 * with a jittered {@code Retry-After} before its threads stop, and afterwards no {@code parkway-direct*}
 * thread is alive and the port takes no connection.
 */
class DirectShutdownTest {
  private static final int RETRY_AFTER_MAX = 3;

  static List<String> directThreads() {
    return Thread.getAllStackTraces().keySet().stream()
        .filter(t -> t.isAlive() && t.getName().startsWith("parkway-direct"))
        .map(Thread::getName)
        .toList();
  }

  @Test
  void stoppingTheContextAnswersParkedDirectPolls503AndEndsEveryDirectThread() throws IOException {
    HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    EmbeddedParkway server = EmbeddedParkway.start(EmbeddedParkway.settings(
        "parkway.direct.port", "-1",
        "parkway.direct.address", "127.0.0.1",
        "parkway.poll.timeout.max", "30",
        "parkway.shutdown.retry-after", Integer.toString(RETRY_AFTER_MAX)));
    Broker broker = server.broker();
    int port = server.directPort();
    List<CompletableFuture<HttpResponse<String>>> polls = new ArrayList<>();
    RawHttp http10 = new RawHttp(port, ParkwayHttpSupport.PATIENCE);
    try {
      assertThat(directThreads()).as("the check below can fail").isNotEmpty();
      for (String target : new String[] {
          "/channels/stop-a?timeout=30",
          "/channels/stop-a?timeout=30&client=c1",
          "/poll?channel=stop-b&channel=stop.*&timeout=30"}) {
        polls.add(http.sendAsync(
            HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + target))
                .timeout(ParkwayHttpSupport.PATIENCE).build(),
            HttpResponse.BodyHandlers.ofString()));
      }
      http10.send("GET /channels/stop-c?timeout=30 HTTP/1.0\r\nConnection: keep-alive\r\n\r\n");
      ParkwayHttpSupport.waitUntil("polls parked").until(() -> broker.parkedCount() == 4);
    } finally {
      server.close();
    }

    assertThat(broker.parkedCount()).isZero();
    List<JsonPath> answers = new ArrayList<>();
    for (CompletableFuture<HttpResponse<String>> poll : polls) {
      HttpResponse<String> answer = ParkwayHttpSupport.answer(poll);
      DirectTestSupport.assertError(answer, 503, "shutting_down");
      assertThat(answer.headers().firstValue("Retry-After"))
          .hasValueSatisfying(v -> assertThat(Integer.parseInt(v)).isBetween(1, RETRY_AFTER_MAX));
    }
    try (http10) {
      RawHttp.Response answer = http10.read();
      DirectTestSupport.assertError(answer, 503, "shutting_down");
      assertThat(Integer.parseInt(answer.headers().get("retry-after"))).isBetween(1, RETRY_AFTER_MAX);
    }

    assertThat(directThreads()).as("threads left after the context stopped").isEmpty();
    assertThatThrownBy(() -> new Socket("127.0.0.1", port).close()).isInstanceOf(ConnectException.class);
  }
}
