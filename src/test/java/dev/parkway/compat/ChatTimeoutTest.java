package dev.parkway.compat;

import static org.assertj.core.api.Assertions.assertThat;

import dev.parkway.testing.EmbeddedParkway;
import java.net.http.HttpResponse;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The chat poll's timeout ({@code parkway.compat.chat.timeout}, 10 s by default; 0.3 s here). */
class ChatTimeoutTest extends GinHttpSupport {

  @Override
  protected Map<String, String> settings() {
    return EmbeddedParkway.settings("parkway.compat.chat.timeout", "0.3");
  }

  @Test
  void nothingNewWithinTheTimeoutIsAnEmptyArray() {
    long timeoutsBefore = server.broker().counters().timeouts.sum();
    HttpResponse<String> empty = assertJson(getNow("/messages"), 200);
    assertThat(empty.body()).isEqualTo("[]");

    String last = body(post("/messages", "{\"body\":\"only\"}")).getString("id");
    HttpResponse<String> none = assertJson(getNow("/messages?after=" + last), 200);
    assertThat(none.body()).isEqualTo("[]");
    assertThat(server.broker().counters().timeouts.sum()).isEqualTo(timeoutsBefore + 2);
  }
}
