package dev.parkway.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.startsWith;
import static org.hamcrest.Matchers.greaterThan;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.emptyOrNullString;
import static org.hamcrest.Matchers.nullValue;

import io.restassured.path.json.JsonPath;
import jakarta.json.JsonObject;
import java.net.http.HttpResponse;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** A poll parked on a channel is answered by the next publish, and a poll with nothing to say times out. */
class RoundTripTest extends HttpTestSupport {

  @Test
  void parkedPollIsAnsweredByPublishWithTheEvent() {
    String c = channel("round");
    CompletableFuture<HttpResponse<String>> poll = getAsync("/channels/" + c + "?timeout=10");
    awaitParked(1);
    assertThat(server.broker().subscribers(c)).isEqualTo(1);

    String data = "{\"text\":\"hello\",\"n\":[1,2.5,true,null],\"nested\":{\"k\":\"v\"}}";
    JsonPath published =
        api()
            .contentType("application/json")
            .body(data)
            .post("/channels/{c}", c)
            .then()
            .spec(jsonAnswer(201))
            .body("channel", equalTo(c))
            .body("seq", equalTo(1))
            .body("timestamp", greaterThan(0L))
            .body("subscribers", equalTo(1))
            .extract()
            .jsonPath();

    HttpResponse<String> answer = answer(poll);
    assertThat(answer.statusCode()).isEqualTo(200);
    assertPollHeaders(answer);
    JsonPath body = body(answer);
    assertThat(body.getList("events")).hasSize(1);
    assertThat(body.getString("events[0].channel")).isEqualTo(c);
    assertThat(body.getLong("events[0].seq")).isEqualTo(1);
    assertThat(body.getLong("events[0].timestamp")).isEqualTo(published.getLong("timestamp"));
    assertThat(eventData(answer, 0)).isEqualTo(parseJson(data));
    assertThat(body.getString("cursor")).isNotBlank();
    assertThat(body.getBoolean("more")).isFalse();
    assertThat(body.getMap("$")).doesNotContainKeys("timeout", "superseded", "gap", "gaps");
  }

  @Test
  void publishCountsTheParkedPollItWokeEveryTime() {
    // Once a bug: the count was read after the fan-out had started, which usually had already answered
    // and unregistered the poll, so the 201 said 0.
    for (int i = 0; i < 20; i++) {
      String c = channel("woken");
      CompletableFuture<HttpResponse<String>> poll = getAsync("/channels/" + c + "?timeout=10");
      awaitParked(1);
      HttpResponse<String> published = send(post(c, "{}"));
      assertThat(published.statusCode()).isEqualTo(201);
      assertThat(body(published).getInt("subscribers")).as("iteration %d", i).isEqualTo(1);
      assertThat(answer(poll).statusCode()).isEqualTo(200);
      awaitParked(0);
    }
  }

  @Test
  void publishWithNoPollerCountsNoSubscribers() {
    String c = channel("lonely");
    api().contentType("application/json").body("1").post("/channels/{c}", c)
        .then().spec(jsonAnswer(201)).body("seq", equalTo(1)).body("subscribers", equalTo(0));
    api().contentType("application/json").body("2").post("/channels/{c}", c)
        .then().spec(jsonAnswer(201)).body("seq", equalTo(2));
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "42",
        "-0.5e-3",
        "\"a string with \\\"quotes\\\", a \\n line break and \\u0000\"",
        "\"caf\u00e9 \u2028 \ud83d\ude00\"",
        "null",
        "true",
        "[]",
        "{}",
        "[1,{\"a\":[{\"b\":null}]},\"x\"]",
        "123456789012345678901234567890",
        "  {  \"spaced\" :  [ 1 , 2 ]  }  "
      })
  void anyJsonValueRoundTripsAsTheEventData(String data) {
    String c = channel("data");
    publish(c, data);
    HttpResponse<String> answer = getNow("/channels/" + c + "?after=0&timeout=0");
    assertThat(answer.statusCode()).isEqualTo(200);
    assertThat(eventData(answer, 0)).isEqualTo(parseJson(data));
  }

  @Test
  void timeoutAnswersNoEventsWithTheCursorUnchanged() {
    String c = channel("quiet");
    publish(c, "{\"old\":true}");
    String cursor = getNow("/channels/" + c + "?after=0&timeout=0").body();
    String after = JsonPath.from(cursor).getString("cursor");

    String returned =
        api().queryParam("after", after).queryParam("timeout", "0.3")
            .get("/channels/{c}", c)
            .then()
            .spec(jsonAnswer(200))
            .body("events", hasSize(0))
            .body("more", equalTo(false))
            .body("timeout", equalTo(true))
            .body("keySet()", equalTo(java.util.Set.of("events", "cursor", "more", "timeout")))
            .extract().jsonPath().getString("cursor");
    assertSamePosition(returned, after);
  }

  @Test
  void zeroTimeoutAnswersAtOnceWithoutParking() {
    String c = channel("instant");
    long answersBefore = server.broker().counters().answers.sum();
    api().queryParam("timeout", "0")
        .get("/channels/{c}", c)
        .then()
        .spec(jsonAnswer(200))
        .body("events", hasSize(0))
        .body("cursor", not(emptyOrNullString()))
        .body("more", equalTo(false))
        .body("timeout", equalTo(true))
        .body("gap", nullValue());
    assertThat(server.broker().counters().answers.sum()).isEqualTo(answersBefore + 1);
    assertThat(server.broker().parkedCount()).isZero();
  }

  @Test
  void healthReportsUpTheStoreAndParkedPolls() {
    api().get("/health").then().spec(jsonAnswer(200))
        .body("status", equalTo("up"))
        .body("store", equalTo("memory"))
        .body("parked", equalTo(0));

    String c = channel("health");
    CompletableFuture<HttpResponse<String>> a = getAsync("/channels/" + c + "?timeout=10");
    CompletableFuture<HttpResponse<String>> b = getAsync("/poll?channel=" + c + "&timeout=10");
    awaitParked(2);
    api().get("/health").then().spec(jsonAnswer(200))
        .body("status", equalTo("up"))
        .body("parked", equalTo(2));

    publish(c, "\"wake\"");
    assertThat(answer(a).statusCode()).isEqualTo(200);
    assertThat(answer(b).statusCode()).isEqualTo(200);
  }

  @Test
  void headHealthAnswersTheHeadersWithoutABody() {
    api().head("/health").then()
        .statusCode(200)
        .header("Content-Type", startsWith("application/json"))
        .header("Cache-Control", equalTo("no-store"))
        .body(equalTo(""));
  }

  /** The {@code data} of the answer's {@code i}th event, parsed. */
  static jakarta.json.JsonValue eventData(HttpResponse<String> answer, int i) {
    JsonObject root = parseJson(answer.body()).asJsonObject();
    return root.getJsonArray("events").getJsonObject(i).get("data");
  }
}
