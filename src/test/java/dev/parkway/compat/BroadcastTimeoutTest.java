package dev.parkway.compat;

import static org.assertj.core.api.Assertions.assertThat;

import dev.parkway.sse.SseTestSupport;
import java.net.http.HttpResponse;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** {@code GET /getmessage} with nothing broadcast answers the original's "No new messages" when time is up. */
class BroadcastTimeoutTest extends SseTestSupport {

  @Override
  protected Map<String, String> settings() {
    return Map.of("parkway.compat.broadcast.timeout", "0.3");
  }

  @Test
  void getMessageAnswersNoNewMessagesAsPlainTextWhenTheTimeoutPasses() {
    HttpResponse<String> answer = getNow("/getmessage");
    assertThat(answer.statusCode()).isEqualTo(200);
    assertThat(answer.body()).isEqualTo("No new messages");
    assertThat(answer.headers().firstValue("Content-Type")).hasValueSatisfying(t -> assertThat(t).startsWith("text/plain"));
    assertThat(answer.headers().firstValue("Cache-Control")).hasValueSatisfying(v -> assertThat(v).contains("no-cache"));
    assertThat(server.broker().counters().timeouts.sum()).isPositive();
  }
}
