package dev.parkway.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;

import java.net.http.HttpResponse;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

/** {@code GET /channels/{c}/info} and {@code DELETE /channels/{c}}: what a channel holds, and removing it. */
class DeleteTest extends HttpTestSupport {

  @Test
  void infoDescribesTheChannel() {
    String c = channel("info");
    for (int i = 1; i <= 3; i++) {
      publish(c, Integer.toString(i));
    }
    api().get("/channels/{c}/info", c).then().spec(jsonAnswer(200))
        .body("channel", equalTo(c))
        .body("head", equalTo(3))
        .body("oldest", equalTo(1))
        .body("buffered", equalTo(3))
        .body("subscribers", equalTo(0))
        .body("keySet()", equalTo(java.util.Set.of("channel", "head", "oldest", "buffered", "subscribers")));

    CompletableFuture<HttpResponse<String>> poll = getAsync("/channels/" + c + "?timeout=10");
    CompletableFuture<HttpResponse<String>> multi = getAsync("/poll?channel=" + c + "&timeout=10");
    awaitParked(2);
    api().get("/channels/{c}/info", c).then().spec(jsonAnswer(200)).body("subscribers", equalTo(2));

    publish(c, "4");
    assertThat(answer(poll).statusCode()).isEqualTo(200);
    assertThat(answer(multi).statusCode()).isEqualTo(200);
  }

  @Test
  void infoOfAChannelNeverPublishedToIsNotFound() {
    api().get("/channels/{c}/info", channel("never")).then().spec(error(404, "channel_not_found"));
  }

  @Test
  void deleteAnswers204AndAParkedPollGets410() {
    String c = channel("doomed");
    publish(c, "1");
    CompletableFuture<HttpResponse<String>> poll = getAsync("/channels/" + c + "?timeout=10");
    awaitParked(1);

    api().delete("/channels/{c}", c).then()
        .statusCode(204)
        .header("Cache-Control", "no-store")
        .header("X-Content-Type-Options", "nosniff");

    HttpResponse<String> answer = answer(poll);
    assertThat(answer.statusCode()).isEqualTo(410);
    assertPollHeaders(answer);
    assertThat(body(answer).getMap("$")).containsOnlyKeys("error", "message");
    assertThat(body(answer).getString("error")).isEqualTo("channel_deleted");
    assertThat(body(answer).getString("message")).isNotBlank();

    api().get("/channels/{c}/info", c).then().spec(error(404, "channel_not_found"));
    api().delete("/channels/{c}", c).then().spec(error(404, "channel_not_found"));
  }

  @Test
  void deletingAChannelNeverPublishedToIsNotFound() {
    api().delete("/channels/{c}", channel("ghost")).then().spec(error(404, "channel_not_found"));
  }

  @Test
  void deleteLeavesPollsOnOtherChannelsParked() {
    String doomed = channel("doomed");
    String other = channel("survivor");
    publish(doomed, "1");
    CompletableFuture<HttpResponse<String>> survivor = getAsync("/channels/" + other + "?timeout=10");
    awaitParked(1);
    api().delete("/channels/{c}", doomed).then().statusCode(204);
    assertThat(survivor).isNotDone();
    assertThat(server.broker().parkedCount()).isEqualTo(1);
    publish(other, "\"still here\"");
    assertThat(answer(survivor).statusCode()).isEqualTo(200);
  }

  @Test
  void republishingADeletedChannelContinuesItsSeq() {
    String c = channel("reborn");
    publish(c, "1");
    publish(c, "2");
    String cursor = body(getNow("/channels/" + c + "?after=0&timeout=0")).getString("cursor");
    api().delete("/channels/{c}", c).then().statusCode(204);

    assertThat(publish(c, "3")).as("seq is never reused, not even after a delete").isEqualTo(3);
    api().get("/channels/{c}/info", c).then().spec(jsonAnswer(200))
        .body("head", equalTo(3))
        .body("oldest", equalTo(3))
        .body("buffered", equalTo(1));

    // A reader holding a cursor from before the delete reads on from where it was.
    HttpResponse<String> answer = getNow("/channels/" + c + "?timeout=0&after=" + cursor);
    assertThat(answer.statusCode()).isEqualTo(200);
    assertThat(body(answer).getList("events.seq", Integer.class)).containsExactly(3);
    assertThat(body(answer).getMap("$")).doesNotContainKey("gap");
  }

  @Test
  void multiChannelPollNamingTheDeletedChannelGets410() {
    String doomed = channel("multi-doomed");
    String other = channel("multi-other");
    publish(doomed, "1");
    CompletableFuture<HttpResponse<String>> poll =
        getAsync("/poll?channel=" + doomed + "&channel=" + other + "&timeout=10");
    awaitParked(1);
    api().delete("/channels/{c}", doomed).then().statusCode(204);
    HttpResponse<String> answer = answer(poll);
    assertThat(answer.statusCode()).isEqualTo(410);
    assertThat(body(answer).getString("error")).isEqualTo("channel_deleted");
  }
}
