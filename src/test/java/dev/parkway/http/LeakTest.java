package dev.parkway.http;

import static org.assertj.core.api.Assertions.assertThat;

import dev.parkway.core.Broker;
import dev.parkway.testing.RawHttp;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

/**
 * Clients that vanish while parked: the container does not report a closed idle socket, so Parkway finds
 * them by the poll's deadline and must then forget them completely.
 */
class LeakTest extends HttpTestSupport {
  private static final int CLIENTS = 200;

  @Test
  void pollsOfClientsThatHungUpAreGoneOnceTheirDeadlinesPass() throws Exception {
    String c = channel("leak");
    Broker broker = server.broker();
    long answersBefore = broker.counters().answers.sum();
    List<RawHttp> clients = new ArrayList<>();
    try {
      for (int i = 0; i < CLIENTS; i++) {
        RawHttp client = new RawHttp(server.port());
        clients.add(client);
        // timeout=2: long enough that all 200 are parked together before the first deadline.
        client.send("GET /channels/" + c + "?timeout=2" + (i % 2 == 0 ? "&client=leaker-" + i : "")
            + " HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n");
      }
      awaitParked(CLIENTS);
      assertThat(broker.subscribers(c)).isEqualTo(CLIENTS);
    } finally {
      for (RawHttp client : clients) {
        client.close();
      }
    }

    HttpTestSupport.waitUntil("dead clients' polls end").until(() -> broker.parkedCount() == 0);
    assertThat(broker.subscribers(c)).as("no waiter left in the index").isZero();
    HttpTestSupport.waitUntil("every poll answered exactly once")
        .until(() -> broker.counters().answers.sum() - answersBefore == CLIENTS);

    // The server still serves: a fresh poll parks and a publish answers it.
    CompletableFuture<HttpResponse<String>> fresh = getAsync("/channels/" + c + "?timeout=10");
    awaitParked(1);
    assertThat(broker.subscribers(c)).isEqualTo(1);
    publish(c, "\"alive\"");
    HttpResponse<String> answer = answer(fresh);
    assertThat(answer.statusCode()).isEqualTo(200);
    assertThat(body(answer).getList("events.data", String.class)).containsExactly("alive");
    assertThat(broker.counters().answers.sum() - answersBefore).isEqualTo(CLIENTS + 1);
  }
}
