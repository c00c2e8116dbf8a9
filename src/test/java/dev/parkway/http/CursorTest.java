package dev.parkway.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.nullValue;

import io.restassured.path.json.JsonPath;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

/** Where a poll starts ({@code after}, {@code since}, the head) and how far it reads ({@code limit}, {@code more}). */
class CursorTest extends HttpTestSupport {

  @Override
  protected Map<String, String> settings() {
    return Map.of(
        "parkway.poll.limit.max", "50",
        "parkway.poll.limit.default", "10",
        "parkway.poll.answer.max-bytes", "1024");
  }

  @Test
  void afterZeroReadsFromTheOldestRetainedEvent() {
    String c = channel("oldest");
    for (int i = 1; i <= 3; i++) {
      publish(c, "{\"i\":" + i + "}");
    }
    api().queryParam("after", "0").queryParam("timeout", "0").get("/channels/{c}", c)
        .then().spec(jsonAnswer(200))
        .body("events.seq", contains(1, 2, 3))
        .body("events.data.i", contains(1, 2, 3))
        .body("events.channel", contains(c, c, c))
        .body("more", equalTo(false))
        .body("timeout", nullValue())
        .body("gap", nullValue());
  }

  @Test
  void withoutAfterAPollStartsAtTheHeadAndSeesOnlyNewEvents() {
    String c = channel("head");
    publish(c, "1");
    publish(c, "2");
    CompletableFuture<HttpResponse<String>> poll = getAsync("/channels/" + c + "?timeout=10");
    awaitParked(1);
    publish(c, "3");
    HttpResponse<String> answer = answer(poll);
    assertThat(answer.statusCode()).isEqualTo(200);
    assertThat(body(answer).getList("events.seq", Integer.class)).containsExactly(3);
  }

  @Test
  void bareIntegerAfterReadsAfterThatSeq() {
    String c = channel("bare");
    for (int i = 1; i <= 4; i++) {
      publish(c, Integer.toString(i));
    }
    api().queryParam("after", "2").queryParam("timeout", "0").get("/channels/{c}", c)
        .then().spec(jsonAnswer(200))
        .body("events.seq", contains(3, 4))
        .body("more", equalTo(false));
    // After the head itself: nothing yet, so the poll times out rather than erroring.
    api().queryParam("after", "4").queryParam("timeout", "0").get("/channels/{c}", c)
        .then().spec(jsonAnswer(200))
        .body("events", hasSize(0))
        .body("timeout", equalTo(true));
  }

  @Test
  void followingTheCursorDeliversEveryEventExactlyOnceInOrder() {
    String c = channel("follow");
    // Start at the head of an empty channel, then alternate publishing and polling with small limits,
    // including polls that park and are woken.
    String cursor = body(getNow("/channels/" + c + "?timeout=0")).getString("cursor");
    List<Integer> seen = new ArrayList<>();
    int published = 0;
    for (int round = 0; round < 6; round++) {
      int burst = round % 3; // 0, 1 or 2 events before this round's poll
      for (int i = 0; i < burst; i++) {
        publish(c, Integer.toString(++published));
      }
      CompletableFuture<HttpResponse<String>> poll =
          getAsync("/channels/" + c + "?limit=2&timeout=10&after=" + cursor);
      if (burst == 0) {
        awaitParked(1);
        publish(c, Integer.toString(++published));
      }
      JsonPath answer = body(answer(poll));
      seen.addAll(answer.getList("events.data", Integer.class));
      cursor = answer.getString("cursor");
      while (answer.getBoolean("more")) {
        answer = body(getNow("/channels/" + c + "?limit=2&timeout=0&after=" + cursor));
        seen.addAll(answer.getList("events.data", Integer.class));
        cursor = answer.getString("cursor");
      }
    }
    List<Integer> expected = new ArrayList<>();
    for (int i = 1; i <= published; i++) {
      expected.add(i);
    }
    assertThat(seen).containsExactlyElementsOf(expected);
    // Caught up: the final cursor has nothing after it.
    JsonPath last = body(getNow("/channels/" + c + "?timeout=0&after=" + cursor));
    assertThat(last.getList("events")).isEmpty();
    assertThat(last.getBoolean("timeout")).isTrue();
    assertSamePosition(last.getString("cursor"), cursor);
  }

  @Test
  void sinceReadsFromTheFirstEventAtOrAfterThatTime() {
    String c = channel("since");
    List<Long> timestamps = new ArrayList<>();
    for (int i = 1; i <= 4; i++) {
      timestamps.add(
          api().contentType("application/json").body(Integer.toString(i)).post("/channels/{c}", c)
              .then().statusCode(201).extract().jsonPath().getLong("timestamp"));
    }
    long since = timestamps.get(2);
    List<Integer> expected = new ArrayList<>();
    for (int i = 0; i < timestamps.size(); i++) {
      if (timestamps.get(i) >= since) {
        expected.add(i + 1);
      }
    }
    JsonPath answer = body(getNow("/channels/" + c + "?timeout=0&since=" + since));
    assertThat(answer.getList("events.seq", Integer.class)).containsExactlyElementsOf(expected);

    assertThat(body(getNow("/channels/" + c + "?timeout=0&since=0")).getList("events.seq", Integer.class))
        .containsExactly(1, 2, 3, 4);
    JsonPath future = body(getNow("/channels/" + c + "?timeout=0&since=" + (timestamps.get(3) + 60_000)));
    assertThat(future.getList("events")).isEmpty();
    assertThat(future.getBoolean("timeout")).isTrue();
  }

  @Test
  void sinceCursorIsUsableToContinue() {
    String c = channel("since-next");
    publish(c, "1");
    String cursor = body(getNow("/channels/" + c + "?timeout=0&since=0")).getString("cursor");
    publish(c, "2");
    assertThat(body(getNow("/channels/" + c + "?timeout=0&after=" + cursor)).getList("events.seq", Integer.class))
        .containsExactly(2);
  }

  @Test
  void limitTwoSaysMoreThenTheRestFollow() {
    String c = channel("limit");
    for (int i = 1; i <= 5; i++) {
      publish(c, Integer.toString(i));
    }
    JsonPath first = body(getNow("/channels/" + c + "?after=0&limit=2&timeout=0"));
    assertThat(first.getList("events.seq", Integer.class)).containsExactly(1, 2);
    assertThat(first.getBoolean("more")).isTrue();

    JsonPath second = body(getNow("/channels/" + c + "?limit=2&timeout=0&after=" + first.getString("cursor")));
    assertThat(second.getList("events.seq", Integer.class)).containsExactly(3, 4);
    assertThat(second.getBoolean("more")).isTrue();

    JsonPath third = body(getNow("/channels/" + c + "?limit=2&timeout=0&after=" + second.getString("cursor")));
    assertThat(third.getList("events.seq", Integer.class)).containsExactly(5);
    assertThat(third.getBoolean("more")).isFalse();

    JsonPath exact = body(getNow("/channels/" + c + "?after=3&limit=2&timeout=0"));
    assertThat(exact.getList("events.seq", Integer.class)).containsExactly(4, 5);
    assertThat(exact.getBoolean("more")).as("exactly limit events left: nothing more").isFalse();
  }

  @Test
  void limitAtTheConfiguredMaximumIsAccepted() {
    String c = channel("limit-max");
    publish(c, "1");
    api().queryParam("after", "0").queryParam("limit", "50").queryParam("timeout", "0")
        .get("/channels/{c}", c).then().spec(jsonAnswer(200)).body("events.seq", contains(1));
  }

  @Test
  void answerStopsAtTheByteCapAndSaysMore() {
    String c = channel("bytes");
    String big = "\"" + "b".repeat(600) + "\"";
    publish(c, big);
    publish(c, big);
    publish(c, "\"" + "h".repeat(2000) + "\""); // alone over the cap: still delivered, on its own
    JsonPath first = body(getNow("/channels/" + c + "?after=0&timeout=0"));
    assertThat(first.getList("events.seq", Integer.class)).containsExactly(1);
    assertThat(first.getBoolean("more")).isTrue();
    JsonPath second = body(getNow("/channels/" + c + "?timeout=0&after=" + first.getString("cursor")));
    assertThat(second.getList("events.seq", Integer.class)).containsExactly(2);
    assertThat(second.getBoolean("more")).isTrue();
    JsonPath third = body(getNow("/channels/" + c + "?timeout=0&after=" + second.getString("cursor")));
    assertThat(third.getList("events.seq", Integer.class)).containsExactly(3);
    assertThat(third.getBoolean("more")).isFalse();
  }
}
