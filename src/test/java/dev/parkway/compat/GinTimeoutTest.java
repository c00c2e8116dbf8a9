package dev.parkway.compat;

import static org.assertj.core.api.Assertions.assertThat;

import dev.parkway.testing.EmbeddedParkway;
import java.net.http.HttpResponse;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The Gin poll's timeout ({@code parkway.compat.gin.timeout}, 30 s by default; 0.3 s here). */
class GinTimeoutTest extends GinHttpSupport {

  @Override
  protected Map<String, String> settings() {
    return EmbeddedParkway.settings("parkway.compat.gin.timeout", "0.3");
  }

  @Test
  void nothingWithinTheTimeoutIs504Timeout() {
    String id = unique("idle");
    long timeoutsBefore = server.broker().counters().timeouts.sum();
    HttpResponse<String> got = assertJson(getNow("/poll/" + id), 504);
    assertThat(got.body()).isEqualTo("{\"error\":\"timeout\"}");
    assertThat(server.broker().counters().timeouts.sum()).isEqualTo(timeoutsBefore + 1);
  }

  @Test
  void aMessageSentAfterATimeoutWaitsForTheNextPoll() {
    String id = unique("late");
    assertThat(getNow("/poll/" + id).statusCode()).isEqualTo(504);
    // The original dropped this message: nobody was waiting.
    assertThat(post("/send/" + id, "{\"message\":\"late\"}").body()).isEqualTo("{\"status\":\"message sent\"}");
    assertThat(assertJson(getNow("/poll/" + id), 200).body()).isEqualTo("{\"message\":\"late\"}");
    assertThat(getNow("/poll/" + id).statusCode()).as("acknowledged, so not again").isEqualTo(504);
  }
}
