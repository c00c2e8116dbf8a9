package dev.parkway.compat;

import static org.assertj.core.api.Assertions.assertThat;

import dev.parkway.testing.EmbeddedParkway;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** {@code parkway.compat=node}: the Node routes without Gin's {@code /send/{id}}. */
class NodeOnlyTest extends GinHttpSupport {

  @Override
  protected Map<String, String> settings() {
    return EmbeddedParkway.settings("parkway.compat", "node");
  }

  @Test
  void nodeAloneServesPollAndPollSendButNotGinsSend() {
    assertThat(post("/poll/send", "{\"to\": \"only\", \"message\": \"n\"}").statusCode()).isEqualTo(200);
    assertThat(getNow("/poll/only").body()).isEqualTo("{\"message\":\"n\"}");
    assertThat(post("/send/only", "{\"message\": \"g\"}").statusCode()).isEqualTo(404);
    assertThat(post("/messages", "{\"body\": \"chat is off\"}").statusCode()).isEqualTo(404);
  }
}
