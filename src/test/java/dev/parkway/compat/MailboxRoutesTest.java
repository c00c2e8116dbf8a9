package dev.parkway.compat;

import static org.assertj.core.api.Assertions.assertThat;

import dev.parkway.core.Mailboxes;
import io.restassured.path.json.JsonPath;
import java.net.http.HttpResponse;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

/**
 * The native mailboxes, {@code /clients/{id}/messages}, that the Gin and Node routes are built on: queued
 * while nobody waits, redelivered until acknowledged by {@code after=<cursor>}, one parked poll per id.
 */
class MailboxRoutesTest extends GinHttpSupport {

  private String messages(String client) {
    return "/clients/" + client + "/messages";
  }

  private int queued(String client) {
    return server.broker().stats(Mailboxes.key(client)).map(s -> s.buffered()).orElse(0);
  }

  @Test
  void aMessageSentWhileNobodyWaitsIsQueuedAndPolledLater() {
    String id = unique("bob");
    HttpResponse<String> sent = assertJson(post(messages(id), "{\"text\":\"hi\"}"), 202);
    JsonPath queued = body(sent);
    assertThat(queued.getMap("$").keySet()).containsExactly("client", "seq", "timestamp", "waiting");
    assertThat(queued.getString("client")).isEqualTo(id);
    assertThat(queued.getLong("seq")).isEqualTo(1);
    assertThat(queued.getBoolean("waiting")).isFalse();

    HttpResponse<String> polled = assertJson(getNow(messages(id) + "?timeout=5"), 200);
    JsonPath got = body(polled);
    assertThat(got.getMap("$")).containsOnlyKeys("events", "cursor", "more");
    assertThat(got.getList("events")).hasSize(1);
    assertThat(got.getMap("events[0]").keySet()).containsExactly("client", "seq", "timestamp", "data");
    assertThat(got.getString("events[0].client")).isEqualTo(id);
    assertThat(got.getLong("events[0].timestamp")).isEqualTo(queued.getLong("timestamp"));
    assertThat(got.getString("events[0].data.text")).isEqualTo("hi");
    assertThat(polled.body()).contains("\"data\":{\"text\":\"hi\"}");
  }

  @Test
  void waitingSaysWhetherAPollWasParked() {
    String id = unique("carol");
    CompletableFuture<HttpResponse<String>> poll = getAsync(messages(id) + "?timeout=10");
    awaitParked(1);
    assertThat(body(post(messages(id), "1")).getBoolean("waiting")).isTrue();
    assertThat(body(answer(poll)).getList("events.data", Integer.class)).containsExactly(1);
    assertThat(body(post(messages(id), "2")).getBoolean("waiting")).isFalse();
  }

  @Test
  void aClientThatCrashedAfterReceivingGetsTheSameMessagesAgain() {
    String id = unique("dave");
    post(messages(id), "\"a\"");
    post(messages(id), "\"b\"");
    JsonPath first = body(getNow(messages(id) + "?timeout=0"));
    // No cursor sent back: nothing was acknowledged.
    JsonPath again = body(getNow(messages(id) + "?timeout=0"));
    assertThat(first.getList("events.seq", Integer.class)).containsExactly(1, 2);
    assertThat(again.getList("events")).isEqualTo(first.getList("events"));
    assertThat(queued(id)).isEqualTo(2);
  }

  @Test
  void pollingWithTheCursorAcknowledgesAndDeletes() {
    String id = unique("erin");
    post(messages(id), "\"a\"");
    post(messages(id), "\"b\"");
    String cursor = body(getNow(messages(id) + "?timeout=0")).getString("cursor");

    JsonPath acked = body(assertJson(getNow(messages(id) + "?timeout=0&after=" + cursor), 200));
    assertThat(acked.getList("events")).isEmpty();
    assertThat(acked.getBoolean("timeout")).isTrue();
    assertThat(queued(id)).as("acknowledged means deleted").isZero();

    JsonPath fresh = body(getNow(messages(id) + "?timeout=0"));
    assertThat(fresh.getList("events")).as("not redelivered").isEmpty();
    assertThat(fresh.getMap("$")).as("and no gap").doesNotContainKey("gap");

    assertThat(body(post(messages(id), "\"c\"")).getLong("seq")).as("seq is never reused").isEqualTo(3);
    assertThat(body(getNow(messages(id) + "?timeout=0&after=" + cursor)).getList("events.data", String.class))
        .containsExactly("c");
  }

  @Test
  void aNewerPollForTheSameClientSupersedesTheOlder() {
    String id = unique("frank");
    CompletableFuture<HttpResponse<String>> older = getAsync(messages(id) + "?timeout=10");
    awaitParked(1);
    CompletableFuture<HttpResponse<String>> newer = getAsync(messages(id) + "?timeout=10");

    HttpResponse<String> superseded = assertJson(answer(older), 200);
    JsonPath body = body(superseded);
    assertThat(body.getMap("$")).containsOnlyKeys("events", "cursor", "more", "superseded");
    assertThat(body.getList("events")).isEmpty();
    assertThat(body.getBoolean("more")).isFalse();
    assertThat(body.getBoolean("superseded")).isTrue();
    assertThat(body.getString("cursor")).isNotBlank();

    awaitParked(1);
    assertThat(newer).isNotDone();
    post(messages(id), "\"for the newer\"");
    assertThat(body(answer(newer)).getList("events.data", String.class)).containsExactly("for the newer");
  }

  @Test
  void mailboxesOfDifferentClientsAreSeparate() {
    String a = unique("gina");
    String b = unique("hank");
    post(messages(a), "\"for a\"");
    assertThat(body(getNow(messages(b) + "?timeout=0")).getList("events")).isEmpty();
    assertThat(body(getNow(messages(a) + "?timeout=0")).getList("events.data", String.class))
        .containsExactly("for a");
  }

  @Test
  void anInvalidClientIdIs400() {
    assertError(post("/clients/a*b/messages", "1"), 400, "invalid_client");
    assertError(getNow("/clients/" + "c".repeat(129) + "/messages"), 400, "invalid_client");
  }
}
