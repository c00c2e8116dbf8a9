package dev.parkway.limits;

import static org.assertj.core.api.Assertions.assertThat;

import dev.parkway.core.AddressQuota;
import dev.parkway.core.Broker;
import dev.parkway.sse.SseClient;
import dev.parkway.testing.ParkwayHttpSupport;
import dev.parkway.testing.RawHttp;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

/**
 * The per-address count under churn: polls answered, timed out, superseded and abandoned mid-park,
 * streams opened and dropped, all from one address and interleaved, in a bounded loop. The count never
 * passes the limit while it runs, every request gets an answer, and once everything has ended the count
 * is back to exactly 0: no exit leaks a slot, none gives one back twice.
 */
class PerAddressChurnTest extends ParkwayHttpSupport {
  private static final int MAX = 8;
  private static final int ROUNDS = 120;
  private static final String HERE = "127.0.0.1";

  @Override
  protected Map<String, String> settings() {
    return Map.of("parkway.parked.per-address.max", Integer.toString(MAX), "parkway.sse.heartbeat", "0.2");
  }

  @Override
  protected Duration patience() {
    return Duration.ofSeconds(30);
  }

  @Test
  void churnFromOneAddressNeverPassesTheLimitAndDrainsToZero() throws Exception {
    Broker broker = server.broker();
    AddressQuota quota = broker.quota();
    String c = unique("churn");
    List<CompletableFuture<HttpResponse<String>>> pending = new ArrayList<>();
    int maxSeen = 0;
    for (int round = 0; round < ROUNDS; round++) {
      switch (round % 6) {
        case 0 -> pending.add(getAsync("/channels/" + c + "?timeout=5"));
        case 1 -> pending.add(getAsync("/channels/" + c + "?timeout=0.1"));
        case 2 -> pending.add(getAsync("/channels/" + c + "?timeout=5&client=c" + (round % 3)));
        case 3 -> {
          RawHttp raw = new RawHttp(server.port());
          raw.send("GET /channels/" + c + "?timeout=0.3 HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n");
          raw.close(); // gone at once; found by the deadline
        }
        case 4 -> {
          try (SseClient stream = SseClient.open(server.port(), "/channels/" + c + "/stream")) {
            assertThat(stream.status()).isIn(200, 429);
          } // dropped at once; found by a heartbeat's failed write
        }
        default -> publishCreated(c, "\"round-" + round + "\"");
      }
      maxSeen = Math.max(maxSeen, quota.held(HERE));
    }
    publishCreated(c, "\"last\"");

    for (CompletableFuture<HttpResponse<String>> poll : pending) {
      HttpResponse<String> answer = answer(poll, patience());
      assertThat(answer.statusCode()).as(answer.body()).isIn(200, 429);
    }
    waitUntil("every poll ended", patience()).until(() -> broker.parkedCount() == 0);
    waitUntil("every stream ended", patience()).until(() -> broker.watcherCount() == 0);
    waitUntil("every slot given back", patience()).until(() -> quota.held(HERE) == 0);
    assertThat(quota.total()).isZero();
    assertThat(maxSeen).isBetween(1, MAX);
  }
}
