package dev.parkway.security;

import static org.assertj.core.api.Assertions.assertThat;

import dev.parkway.sse.SseClient;
import java.io.IOException;
import java.net.http.HttpResponse;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

/**
 * The compatibility routes go through the same checks as the native API ({@code parkway.auth=tokens}):
 * each refuses a request without a token (401) and a subscriber's attempt to write (403), and works with
 * the right token.
 */
class SeedRoutesAuthTest extends SecurityTestSupport {
  @Override
  protected Map<String, String> settings() {
    return tokensMode(
        "parkway.compat.gin.timeout", "5",
        "parkway.compat.broadcast.timeout", "5",
        "parkway.compat.chat.timeout", "0.2");
  }

  @Test
  void ginPollAndSendNeedTokens() {
    String id = unique("gin");
    assertUnauthorized(get(null, "/poll/" + id), false);
    assertUnauthorized(post(null, "/send/" + id, "{\"message\":1}"), false);
    assertForbidden(post(SUBSCRIBE, "/send/" + id, "{\"message\":1}"));

    HttpResponse<String> sent = post(PUBLISH, "/send/" + id, "{\"message\":\"hello\"}");
    assertThat(sent.statusCode()).as(sent.body()).isEqualTo(200);
    HttpResponse<String> polled = get(SUBSCRIBE, "/poll/" + id);
    assertThat(polled.statusCode()).as(polled.body()).isEqualTo(200);
    assertThat(body(polled).getString("message")).isEqualTo("hello");
  }

  @Test
  void nodeSendNeedsThePublishToken() {
    String id = unique("node");
    String message = "{\"to\":\"" + id + "\",\"message\":1}";
    assertUnauthorized(post(null, "/poll/send", message), false);
    assertForbidden(post(SUBSCRIBE, "/poll/send", message));
    assertThat(post(PUBLISH, "/poll/send", message).statusCode()).isEqualTo(200);
  }

  @Test
  void broadcastRoutesNeedTokens() throws IOException {
    assertUnauthorized(get(null, "/getmessage"), false);
    assertUnauthorized(get(null, "/updatemessage?message=hi"), false);
    assertForbidden(get(SUBSCRIBE, "/updatemessage?message=hi"));
    try (SseClient stream = SseClient.open(server.port(), "/events")) {
      assertThat(stream.status()).isEqualTo(401);
    }

    CompletableFuture<HttpResponse<String>> waiting = sendAsync(as(SUBSCRIBE, "/getmessage").GET().build());
    awaitParked(1);
    assertThat(get(PUBLISH, "/updatemessage?message=hi").statusCode()).isEqualTo(200);
    HttpResponse<String> answer = answer(waiting);
    assertThat(answer.statusCode()).isEqualTo(200);
    assertThat(answer.body()).isEqualTo("hi");
  }

  @Test
  void golongpollSubscribeAndPublishNeedTokens() {
    String category = unique("cat");
    String publish = "{\"category\":\"" + category + "\",\"data\":{\"n\":1}}";
    assertUnauthorized(get(null, "/events?category=" + category + "&timeout=1"), false);
    assertUnauthorized(post(null, "/publish", publish), false);
    assertForbidden(post(SUBSCRIBE, "/publish", publish));

    HttpResponse<String> published = post(PUBLISH, "/publish", publish);
    assertThat(body(published).getBoolean("success")).isTrue();
    HttpResponse<String> events = get(SUBSCRIBE, "/events?category=" + category + "&timeout=1&since_time=0");
    assertThat(events.statusCode()).as(events.body()).isEqualTo(200);
    assertThat(body(events).getInt("events[0].data.n")).isEqualTo(1);
  }

  @Test
  void chatNeedsTokens() {
    assertUnauthorized(get(null, "/messages"), false);
    assertUnauthorized(post(null, "/messages", "{\"body\":\"hi\"}"), false);
    assertForbidden(post(SUBSCRIBE, "/messages", "{\"body\":\"hi\"}"));

    HttpResponse<String> posted = post(PUBLISH, "/messages", "{\"body\":\"hi\"}");
    assertThat(posted.statusCode()).as(posted.body()).isEqualTo(200);
    HttpResponse<String> read = get(SUBSCRIBE, "/messages");
    assertThat(read.statusCode()).as(read.body()).isEqualTo(200);
    assertThat(read.body()).contains("\"body\":\"hi\"");
  }
}
