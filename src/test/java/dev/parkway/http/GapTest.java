package dev.parkway.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.nullValue;

import dev.parkway.testing.EmbeddedParkway;
import io.restassured.path.json.JsonPath;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * A reader whose position is no longer retained is told so ({@code gap}) and goes on from the oldest
 * retained event; nothing is skipped silently.
 */
class GapTest extends HttpTestSupport {

  @Override
  protected Map<String, String> settings() {
    return Map.of("parkway.channel.retention.count", "3");
  }

  @Test
  void afterBehindTheOldestReportsTheGapAndDeliversFromTheOldest() {
    String c = channel("gap");
    for (int i = 1; i <= 6; i++) {
      publish(c, Integer.toString(i));
    }
    api().queryParam("after", "1").queryParam("timeout", "0").get("/channels/{c}", c)
        .then().spec(jsonAnswer(200))
        .body("gap.channel", equalTo(c))
        .body("gap.requested", equalTo(2))
        .body("gap.oldest", equalTo(4))
        .body("gap.keySet()", equalTo(java.util.Set.of("channel", "requested", "oldest")))
        .body("events.seq", contains(4, 5, 6))
        .body("more", equalTo(false))
        .body("gaps", nullValue())
        .body("timeout", nullValue());
  }

  @Test
  void oldCursorReportsTheGapOnceThenReadsOn() {
    String c = channel("old-cursor");
    publish(c, "1");
    String cursor = body(getNow("/channels/" + c + "?after=0&timeout=0")).getString("cursor");
    for (int i = 2; i <= 6; i++) {
      publish(c, Integer.toString(i));
    }
    JsonPath answer = body(getNow("/channels/" + c + "?timeout=0&after=" + cursor));
    assertThat(answer.getMap("gap")).containsOnly(
        Map.entry("channel", c), Map.entry("requested", 2), Map.entry("oldest", 4));
    assertThat(answer.getList("events.seq", Integer.class)).containsExactly(4, 5, 6);

    // The next cursor is past the gap: no second report.
    JsonPath next = body(getNow("/channels/" + c + "?timeout=0&after=" + answer.getString("cursor")));
    assertThat(next.getMap("$")).doesNotContainKey("gap");
    assertThat(next.getList("events")).isEmpty();
  }

  @Test
  void gapWithALimitDeliversFromTheOldestAndSaysMore() {
    String c = channel("gap-limit");
    for (int i = 1; i <= 6; i++) {
      publish(c, Integer.toString(i));
    }
    JsonPath answer = body(getNow("/channels/" + c + "?after=1&limit=2&timeout=0"));
    assertThat(answer.getInt("gap.requested")).isEqualTo(2);
    assertThat(answer.getInt("gap.oldest")).isEqualTo(4);
    assertThat(answer.getList("events.seq", Integer.class)).containsExactly(4, 5);
    assertThat(answer.getBoolean("more")).isTrue();
    JsonPath rest = body(getNow("/channels/" + c + "?limit=2&timeout=0&after=" + answer.getString("cursor")));
    assertThat(rest.getMap("$")).doesNotContainKey("gap");
    assertThat(rest.getList("events.seq", Integer.class)).containsExactly(6);
  }

  @Test
  void afterZeroReadsTheRetainedEventsWithoutAGap() {
    String c = channel("no-gap");
    for (int i = 1; i <= 6; i++) {
      publish(c, Integer.toString(i));
    }
    api().queryParam("after", "0").queryParam("timeout", "0").get("/channels/{c}", c)
        .then().spec(jsonAnswer(200))
        .body("gap", nullValue())
        .body("events.seq", contains(4, 5, 6));
  }

  @Test
  void cursorFromAnotherEpochReportsTheGapAndDeliversFromTheOldest() throws Exception {
    String c = channel("epoch");
    String staleCursor;
    try (EmbeddedParkway before = EmbeddedParkway.start(settings())) {
      publishTo(before, c, "\"old-1\"");
      publishTo(before, c, "\"old-2\"");
      staleCursor = body(send(before, "/channels/" + c + "?after=0&timeout=0")).getString("cursor");
    }
    // The in-memory server restarted: a new epoch, a new history whose seqs restart at 1.
    try (EmbeddedParkway after = EmbeddedParkway.start(settings())) {
      publishTo(after, c, "\"new-1\"");
      HttpResponse<String> response = send(after, "/channels/" + c + "?timeout=0&after=" + staleCursor);
      assertThat(response.statusCode())
          .as("a cursor of another epoch is not 'ahead of the head', even though its seq 2 > head 1")
          .isEqualTo(200);
      JsonPath answer = body(response);
      assertThat(answer.getMap("gap")).containsOnly(
          Map.entry("channel", c), Map.entry("requested", 3), Map.entry("oldest", 1));
      assertThat(answer.getList("events.data", String.class)).containsExactly("new-1");
      assertThat(answer.getString("cursor")).isNotEqualTo(staleCursor);

      JsonPath next = body(send(after, "/channels/" + c + "?timeout=0&after=" + answer.getString("cursor")));
      assertThat(next.getMap("$")).doesNotContainKey("gap");
      assertThat(next.getList("events")).isEmpty();
      assertThat(after.broker().parkedCount()).isZero();
    }
  }

  private void publishTo(EmbeddedParkway target, String c, String json) throws Exception {
    HttpResponse<String> response =
        http.send(
            HttpRequest.newBuilder(URI.create(target.baseUri() + "/channels/" + c))
                .timeout(PATIENCE)
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(json))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(response.statusCode()).isEqualTo(201);
  }

  private HttpResponse<String> send(EmbeddedParkway target, String pathAndQuery) throws Exception {
    return http.send(
        HttpRequest.newBuilder(URI.create(target.baseUri() + pathAndQuery)).timeout(PATIENCE).GET().build(),
        HttpResponse.BodyHandlers.ofString());
  }

  @Test
  void bareSeqPastTheHeadIsReadAsAPositionFromAnEarlierEpoch() {
    // A bare integer carries no epoch: one past the head can only come from before a restart, so the
    // answer reports a gap and delivers from the oldest retained event instead of refusing it.
    String c = channel("bare-ahead");
    publish(c, "1");
    publish(c, "2");
    api().queryParam("after", "9").queryParam("timeout", "0").get("/channels/{c}", c)
        .then().spec(jsonAnswer(200))
        .body("gap.channel", equalTo(c))
        .body("gap.requested", equalTo(10))
        .body("gap.oldest", equalTo(1))
        .body("events.seq", contains(1, 2));
  }

  @Test
  void sinceReachingBackPastTrimmedEventsReportsTheGap() {
    String c = channel("since-gap");
    for (int i = 1; i <= 6; i++) {
      publish(c, Integer.toString(i));
    }
    // since=0 asks for every event; 1-3 were dropped by retention, so the answer must say so. The store
    // only remembers the newest dropped event, so "requested" may name it (3) rather than seq 1.
    JsonPath answer = body(getNow("/channels/" + c + "?since=0&timeout=0"));
    assertThat(answer.getList("events.seq", Integer.class)).containsExactly(4, 5, 6);
    assertThat(answer.getString("gap.channel")).isEqualTo(c);
    assertThat(answer.getInt("gap.oldest")).isEqualTo(4);
    assertThat(answer.getInt("gap.requested")).isBetween(1, 3);

    // since after the dropped events' time: nothing the reader asked for is missing, so no gap.
    long sixth = body(getNow("/channels/" + c + "?after=5&timeout=0")).getLong("events[0].timestamp");
    JsonPath recent = body(getNow("/channels/" + c + "?timeout=0&since=" + (sixth + 1)));
    assertThat(recent.getMap("$")).doesNotContainKey("gap");
  }
}
