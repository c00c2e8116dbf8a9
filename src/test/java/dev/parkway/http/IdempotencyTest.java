package dev.parkway.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;

import io.restassured.path.json.JsonPath;
import org.junit.jupiter.api.Test;

/** {@code Idempotency-Key}: a repeated publish stores nothing new and answers with the original seq. */
class IdempotencyTest extends HttpTestSupport {

  private JsonPath post(String c, String key, String json, int status) {
    return api().contentType("application/json").header("Idempotency-Key", key).body(json)
        .post("/channels/{c}", c)
        .then().spec(jsonAnswer(status)).body("channel", equalTo(c))
        .extract().jsonPath();
  }

  @Test
  void repeatWithTheSameKeyAnswers200WithTheOriginalSeqAndStoresNothing() {
    String c = channel("idem");
    publish(c, "\"before\"");
    JsonPath first = post(c, "order-42", "{\"order\":42}", 201);
    assertThat(first.getLong("seq")).isEqualTo(2);

    JsonPath repeat = post(c, "order-42", "{\"order\":42}", 200);
    assertThat(repeat.getLong("seq")).isEqualTo(2);
    assertThat(repeat.getLong("timestamp")).isEqualTo(first.getLong("timestamp"));
    assertThat(head(c)).isEqualTo(2);

    JsonPath events = body(getNow("/channels/" + c + "?after=0&timeout=0"));
    assertThat(events.getList("events.seq", Integer.class)).containsExactly(1, 2);
  }

  @Test
  void aDifferentKeyIsANewEvent() {
    String c = channel("idem-other");
    assertThat(post(c, "k1", "1", 201).getLong("seq")).isEqualTo(1);
    assertThat(post(c, "k2", "1", 201).getLong("seq")).isEqualTo(2);
    assertThat(post(c, "k1", "1", 200).getLong("seq")).isEqualTo(1);
    assertThat(head(c)).isEqualTo(2);
  }

  @Test
  void keyOf128CharactersIsAcceptedAndLongerIsRefused() {
    String c = channel("idem-long");
    post(c, "k".repeat(128), "1", 201);
    api().contentType("application/json").header("Idempotency-Key", "k".repeat(129)).body("2")
        .post("/channels/{c}", c)
        .then().spec(error(400, "invalid_idempotency_key"));
    assertThat(head(c)).isEqualTo(1);
  }

  @Test
  void keyWithSpacesIsRefused() {
    String c = channel("idem-space");
    publish(c, "0");
    api().contentType("application/json").header("Idempotency-Key", "two words").body("1")
        .post("/channels/{c}", c)
        .then().spec(error(400, "invalid_idempotency_key"));
    assertThat(head(c)).isEqualTo(1);
  }

  @Test
  void aRepeatWokeNobodyAndSaysSo() {
    String c = channel("idem-subs");
    post(c, "once", "1", 201);
    java.util.concurrent.CompletableFuture<java.net.http.HttpResponse<String>> poll =
        getAsync("/channels/" + c + "?timeout=0.3");
    awaitParked(1);
    assertThat(post(c, "once", "1", 200).getInt("subscribers")).isZero();
    JsonPath answer = body(answer(poll));
    assertThat(answer.getList("events")).as("a repeat is not delivered again").isEmpty();
    assertThat(answer.getBoolean("timeout")).isTrue();
  }

  @Test
  void sameKeyWithDifferentDataIsAConflictAndStoresNothing() {
    String c = channel("idem-conflict");
    post(c, "k", "{\"amount\":10}", 201);
    api().contentType("application/json").header("Idempotency-Key", "k").body("{\"amount\":99}")
        .post("/channels/{c}", c)
        .then().spec(error(422, "idempotency_key_reused"));
    assertThat(head(c)).isEqualTo(1);
    assertThat(body(getNow("/channels/" + c + "?after=0&timeout=0")).getInt("events[0].data.amount")).isEqualTo(10);
  }

  @Test
  void keysArePerChannel() {
    String a = channel("idem-a");
    String b = channel("idem-b");
    assertThat(post(a, "shared", "1", 201).getLong("seq")).isEqualTo(1);
    assertThat(post(b, "shared", "1", 201).getLong("seq")).isEqualTo(1);
    assertThat(head(b)).isEqualTo(1);
  }
}
