package dev.parkway.compat;

import static org.assertj.core.api.Assertions.assertThat;

import dev.parkway.sse.SseClient;
import dev.parkway.sse.SseTestSupport;
import java.net.http.HttpResponse;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

/**
 * The broadcast routes under {@code parkway.compat.broadcast.path} and on another channel
 * ({@code parkway.compat.broadcast.channel}), with golongpoll switched off so {@code /events} is the
 * broadcast stream alone.
 */
class BroadcastPrefixTest extends SseTestSupport {

  @Override
  protected Map<String, String> settings() {
    return Map.of(
        "parkway.sse.heartbeat", "0.2",
        "parkway.compat", "broadcast",
        "parkway.compat.broadcast.path", "/legacy",
        "parkway.compat.broadcast.channel", "town-crier");
  }

  @Test
  void routesAnswerUnderThePrefixOnTheConfiguredChannel() {
    assertThat(getNow("/getmessage").statusCode()).isEqualTo(404);
    SseClient events = openStream("/legacy/events");
    CompletableFuture<HttpResponse<String>> waiting = getAsync("/legacy/getmessage");
    awaitParked(1);
    assertThat(getNow("/legacy/updatemessage?message=hear+ye").statusCode()).isEqualTo(200);
    assertThat(answer(waiting).body()).isEqualTo("hear ye");
    assertThat(events.nextEvent().data()).isEqualTo("hear ye");
    assertThat(getNow("/channels/town-crier/info").body()).contains("\"head\":1");
  }
}
