package dev.parkway.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.containsInAnyOrder;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.nullValue;

import io.restassured.path.json.JsonPath;
import java.net.http.HttpResponse;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

/** {@code GET /poll}: many channels and {@code prefix.*} patterns in one long poll, one cursor for all. */
class MultiChannelTest extends HttpTestSupport {

  @Override
  protected Map<String, String> settings() {
    return Map.of("parkway.channel.retention.count", "3", "parkway.poll.channels.max", "2");
  }

  @Test
  void pollOverTwoChannelsMergesTheirEventsAndOneCursorCoversBoth() {
    String a = channel("ma");
    String b = channel("mb");
    publish(a, "\"a1\"");
    publish(b, "\"b1\"");
    publish(a, "\"a2\"");

    JsonPath first =
        api().queryParam("channel", a).queryParam("channel", b).queryParam("after", "0").queryParam("timeout", "0")
            .get("/poll")
            .then().spec(jsonAnswer(200))
            .body("events.data", containsInAnyOrder("a1", "b1", "a2"))
            .body("events.findAll { it.channel == '" + a + "' }.data", contains("a1", "a2"))
            .body("events.findAll { it.channel == '" + b + "' }.seq", contains(1))
            .body("more", equalTo(false))
            .extract().jsonPath();
    // Channels are merged by time (milliseconds; ties keep each channel's own order).
    assertThat(first.getList("events.timestamp", Long.class)).isSorted();

    String cursor = first.getString("cursor");
    JsonPath caughtUp = body(getNow("/poll?channel=" + a + "&channel=" + b + "&timeout=0&after=" + cursor));
    assertThat(caughtUp.getList("events")).isEmpty();
    assertThat(caughtUp.getBoolean("timeout")).isTrue();

    publish(b, "\"b2\"");
    publish(a, "\"a3\"");
    JsonPath next = body(getNow("/poll?channel=" + a + "&channel=" + b + "&timeout=0&after=" + cursor));
    assertThat(next.getList("events.data", String.class)).containsExactlyInAnyOrder("b2", "a3");
    assertThat(next.getList("events.timestamp", Long.class)).isSorted();
  }

  @Test
  void commaSeparatedChannelsAreTheSameAsRepeatedOnes() {
    String a = channel("ca");
    String b = channel("cb");
    publish(a, "1");
    publish(b, "2");
    api().queryParam("channel", a + "," + b).queryParam("after", "0").queryParam("timeout", "0")
        .get("/poll").then().spec(jsonAnswer(200)).body("events.data", containsInAnyOrder(1, 2));
  }

  @Test
  void parkedMultiPollWakesOnEitherChannel() {
    String a = channel("wa");
    String b = channel("wb");
    CompletableFuture<HttpResponse<String>> poll = getAsync("/poll?channel=" + a + "&channel=" + b + "&timeout=10");
    awaitParked(1);
    assertThat(server.broker().subscribers(b)).isEqualTo(1);
    publish(b, "{\"from\":\"b\"}");
    HttpResponse<String> answer = answer(poll);
    assertThat(answer.statusCode()).isEqualTo(200);
    assertPollHeaders(answer);
    assertThat(body(answer).getList("events.channel", String.class)).containsExactly(b);
  }

  @Test
  void wildcardCoversExistingChannelsAndOnesCreatedWhileParked() {
    String root = channel("news");
    publish(root + ".sport", "\"goal\"");
    publish(root, "\"not under the pattern\"");

    JsonPath first = body(getNow("/poll?channel=" + root + ".*&after=0&timeout=0"));
    assertThat(first.getList("events.data", String.class)).containsExactly("goal");

    CompletableFuture<HttpResponse<String>> poll =
        getAsync("/poll?channel=" + root + ".*&timeout=10&after=" + first.getString("cursor"));
    awaitParked(1);
    publish(root + "X", "\"a sibling name, not under the pattern\"");
    publish(root + ".weather.today", "\"sun\"");
    HttpResponse<String> answer = answer(poll);
    assertThat(answer.statusCode()).isEqualTo(200);
    JsonPath woken = body(answer);
    assertThat(woken.getList("events.channel", String.class)).containsExactly(root + ".weather.today");
    assertThat(woken.getList("events.seq", Integer.class)).containsExactly(1);

    // The returned cursor covers the new channel too: nothing is delivered twice.
    JsonPath again = body(getNow("/poll?channel=" + root + ".*&timeout=0&after=" + woken.getString("cursor")));
    assertThat(again.getList("events")).isEmpty();
    assertThat(again.getBoolean("timeout")).isTrue();
  }

  @Test
  void wildcardAndExactChannelTogether() {
    String root = channel("mix");
    String other = channel("solo");
    publish(root + ".x", "1");
    publish(other, "2");
    api().queryParam("channel", root + ".*").queryParam("channel", other)
        .queryParam("after", "0").queryParam("timeout", "0")
        .get("/poll").then().spec(jsonAnswer(200)).body("events.data", containsInAnyOrder(1, 2));
  }

  @Test
  void gapsAreReportedAsAnArrayOnePerChannel() {
    String a = channel("ga");
    String b = channel("gb");
    publish(a, "1");
    publish(b, "1");
    String cursor = body(getNow("/poll?channel=" + a + "&channel=" + b + "&after=0&timeout=0")).getString("cursor");
    for (int i = 2; i <= 6; i++) {
      publish(a, Integer.toString(i));
    }
    publish(b, "2");

    api().queryParam("channel", a).queryParam("channel", b).queryParam("after", cursor).queryParam("timeout", "0")
        .get("/poll")
        .then().spec(jsonAnswer(200))
        .body("gap", nullValue())
        .body("gaps.size()", equalTo(1))
        .body("gaps[0].channel", equalTo(a))
        .body("gaps[0].requested", equalTo(2))
        .body("gaps[0].oldest", equalTo(4))
        .body("events.findAll { it.channel == '" + a + "' }.seq", contains(4, 5, 6))
        .body("events.findAll { it.channel == '" + b + "' }.seq", contains(2));
  }

  @Test
  void moreChannelsThanTheConfiguredMaximumAreRefused() {
    api().queryParam("channel", "x1").queryParam("channel", "x2").queryParam("channel", "x3").queryParam("timeout", "0")
        .get("/poll").then().spec(error(400, "too_many_channels"));
    api().queryParam("channel", "x1,x2,x3").queryParam("timeout", "0")
        .get("/poll").then().spec(error(400, "too_many_channels"));
    api().queryParam("channel", "x1").queryParam("channel", "x2").queryParam("timeout", "0")
        .get("/poll").then().spec(jsonAnswer(200));
  }

  @Test
  void multiPollRefusesMissingOrInvalidChannelsAndBareSeqs() {
    api().queryParam("timeout", "0").get("/poll").then().spec(error(400, "invalid_channel"));
    api().queryParam("channel", "").queryParam("timeout", "0").get("/poll").then().spec(error(400, "invalid_channel"));
    api().queryParam("channel", "bad name").queryParam("timeout", "0").get("/poll")
        .then().spec(error(400, "invalid_channel"));
    api().queryParam("channel", "news.*.x").queryParam("timeout", "0").get("/poll")
        .then().spec(error(400, "invalid_channel"));
    api().queryParam("channel", "p1").queryParam("channel", "p2").queryParam("after", "3").queryParam("timeout", "0")
        .get("/poll").then().spec(error(400, "invalid_cursor"));
  }

  @Test
  void channelCreatedUnderAWildcardAndTrimmedBeforeTheNextPollReportsAGapFromSeqOne() {
    String root = channel("burst");
    publish(root + ".old", "0");
    String cursor = body(getNow("/poll?channel=" + root + ".*&after=0&timeout=0")).getString("cursor");
    // A new channel under the pattern gets 5 events; retention keeps 3, so seqs 1-2 are gone before the
    // reader polls again. The cursor does not name the channel, so the reader asked for it from seq 1.
    for (int i = 1; i <= 5; i++) {
      publish(root + ".new", Integer.toString(i));
    }
    JsonPath answer = body(getNow("/poll?channel=" + root + ".*&timeout=0&after=" + cursor));
    assertThat(answer.getList("events.seq", Integer.class)).containsExactly(3, 4, 5);
    assertThat(answer.getList("gaps")).hasSize(1);
    assertThat(answer.getMap("gaps[0]")).containsOnly(
        Map.entry("channel", root + ".new"), Map.entry("requested", 1), Map.entry("oldest", 3));
  }
}
