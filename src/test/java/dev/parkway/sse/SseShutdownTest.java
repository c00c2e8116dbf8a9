package dev.parkway.sse;

import static org.assertj.core.api.Assertions.assertThat;

import dev.parkway.core.Broker;
import dev.parkway.testing.EmbeddedParkway;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Stopping the server ends every open stream cleanly, asking clients to come back after a while. */
class SseShutdownTest {

  @Test
  void closingTheServerEndsEveryStreamWithARetryHint() throws Exception {
    EmbeddedParkway server =
        EmbeddedParkway.start(Map.of("parkway.shutdown.retry-after", "3"));
    Broker broker = server.broker();
    List<SseClient> streams;
    try {
      streams =
          List.of(
              SseClient.open(server.port(), "/channels/stop-a/stream"),
              SseClient.open(server.port(), "/stream?channel=stop-b&channel=stop.*"),
              SseClient.open(server.port(), "/events"));
      for (SseClient stream : streams) {
        assertThat(stream.status()).as(stream.errorBody()).isEqualTo(200);
        assertThat(stream.next().comments()).containsExactly("open");
      }
      SseTestSupport.waitUntil("streams registered").until(() -> broker.watcherCount() == 3);
    } finally {
      server.close();
    }

    assertThat(broker.watcherCount()).isZero();
    for (SseClient stream : streams) {
      try (stream) {
        SseClient.Frame last = stream.nextEvent();
        assertThat(last.retry()).isNotNull();
        assertThat(Long.parseLong(last.retry())).isBetween(1000L, 3000L);
        SseTestSupport.waitUntil("stream ended").until(stream::ended);
      }
    }
  }
}
