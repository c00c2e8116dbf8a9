package dev.parkway.compat;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

/**
 * The Node/React example (seed 004): {@code POST /poll/send} with {@code {"to", "message"}} into the same
 * mailbox the React client polls with {@code GET /poll/{id}}.
 */
class NodeRoutesTest extends GinHttpSupport {

  @Test
  void theSeedsCurlIsQueuedAndDeliveredToThePoll() {
    // curl -X POST http://localhost:3000/poll/send -H "Content-Type: application/json"
    //      -d '{"to": "test_client_1", "message": "your message"}'
    HttpResponse<String> sent = post("/poll/send", "{\"to\": \"test_client_1\", \"message\": \"your message\"}");
    assertJson(sent, 200);
    assertThat(sent.body()).isEqualTo("{\"status\":\"message sent\"}");
    assertThat(assertJson(getNow("/poll/test_client_1"), 200).body()).isEqualTo("{\"message\":\"your message\"}");
  }

  @Test
  void aParkedReactClientIsAnsweredAtOnce() {
    String id = unique("react");
    CompletableFuture<HttpResponse<String>> poll = getAsync("/poll/" + id);
    awaitParked(1);
    post("/poll/send", "{\"to\": \"" + id + "\", \"message\": {\"text\": \"hi\", \"from\": \"server\"}}");
    assertThat(answer(poll).body()).isEqualTo("{\"message\":{\"text\":\"hi\",\"from\":\"server\"}}");
  }

  @Test
  void getPollSendIsThePollOfTheClientNamedSend() {
    CompletableFuture<HttpResponse<String>> poll = getAsync("/poll/send");
    awaitParked(1);
    post("/poll/send", "{\"to\": \"send\", \"message\": 7}");
    assertThat(answer(poll).body()).isEqualTo("{\"message\":7}");
  }

  @Test
  void aBadRecipientOrMissingMessageIs400() {
    assertError(post("/poll/send", "{\"message\": \"x\"}"), 400, "invalid_client");
    assertError(post("/poll/send", "{\"to\": 12, \"message\": \"x\"}"), 400, "invalid_client");
    assertError(post("/poll/send", "{\"to\": \"a b\", \"message\": \"x\"}"), 400, "invalid_client");
    assertError(post("/poll/send", "{\"to\": \"nobody-" + unique("n") + "\"}"), 400, "invalid_body");
    assertError(post("/poll/send", "[]"), 400, "invalid_body");
    assertError(post("/poll/send", "{"), 400, "invalid_json");
  }
}
