package dev.parkway.compat;

import static org.assertj.core.api.Assertions.assertThat;

import dev.parkway.testing.EmbeddedParkway;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Gin and Node under different path prefixes: each at its own, one mailbox behind both. */
class NodePathsTest extends GinHttpSupport {

  @Override
  protected Map<String, String> settings() {
    return EmbeddedParkway.settings(
        "parkway.compat", "gin,node,chat",
        "parkway.compat.gin.path", "/gin",
        "parkway.compat.node.path", "/legacy/node",
        "parkway.compat.chat.path", "/chat");
  }

  @Test
  void eachRouteAnswersUnderItsOwnPrefix() {
    assertThat(post("/legacy/node/poll/send", "{\"to\": \"p1\", \"message\": \"via node\"}").statusCode())
        .isEqualTo(200);
    assertThat(getNow("/gin/poll/p1").body()).as("gin's poll, same mailbox").isEqualTo("{\"message\":\"via node\"}");
    assertThat(post("/gin/send/p1", "{\"message\": \"via gin\"}").statusCode()).isEqualTo(200);
    assertThat(getNow("/legacy/node/poll/p1").body()).isEqualTo("{\"message\":\"via gin\"}");

    assertError(post("/gin/poll/send", "{\"to\": \"p1\", \"message\": 1}"), 405, "method_not_allowed");
    assertThat(post("/legacy/node/send/p1", "{\"message\": 1}").statusCode()).isEqualTo(404);
    assertThat(post("/send/p1", "{\"message\": 1}").statusCode()).isEqualTo(404);

    assertThat(post("/chat/messages", "{\"body\": \"prefixed\"}").statusCode()).isEqualTo(200);
    assertThat(body(getNow("/chat/messages")).getList("body", String.class)).containsExactly("prefixed");
  }
}
