package dev.parkway.limits;

import static org.assertj.core.api.Assertions.assertThat;

import dev.parkway.core.AddressQuota;
import dev.parkway.sse.SseClient;
import dev.parkway.testing.ParkwayHttpSupport;
import dev.parkway.testing.RawHttp;
import io.restassured.path.json.JsonPath;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * {@code parkway.parked.per-address.max}: polls parked and streams open at once per remote address. Every
 * request here comes from 127.0.0.1, so the limit is that address's. After each test the address holds
 * no slot: every way a poll or stream ends gives its slot back.
 */
class PerAddressLimitTest extends ParkwayHttpSupport {
  private static final int MAX = 3;
  private static final String HERE = "127.0.0.1";

  @Override
  protected Map<String, String> settings() {
    return Map.of("parkway.parked.per-address.max", Integer.toString(MAX), "parkway.sse.heartbeat", "0.2");
  }

  @AfterEach
  void slotsDrain() {
    AddressQuota quota = server.broker().quota();
    waitUntil("every slot given back").until(() -> quota.total() == 0);
    waitUntil("streams closed").until(() -> server.broker().watcherCount() == 0);
  }

  @Test
  void aPollPastTheLimitIs429TooManyPollsWithRetryAfter() {
    String c = unique("full");
    List<CompletableFuture<HttpResponse<String>>> parked = parkPolls(c, MAX);

    HttpResponse<String> refused = getNow("/channels/" + c + "?timeout=10");

    assertTooManyPolls(refused);
    assertThat(server.broker().parkedCount()).isEqualTo(MAX);
    assertThat(server.broker().quota().held(HERE)).isEqualTo(MAX);
    publishCreated(c, "\"wake\"");
    for (CompletableFuture<HttpResponse<String>> poll : parked) {
      assertThat(answer(poll).statusCode()).isEqualTo(200);
    }
  }

  @Test
  void aPollAnsweredAtOnceNeedsNoSlot() {
    String c = unique("ready");
    String other = unique("other");
    publishCreated(c, "1");
    List<CompletableFuture<HttpResponse<String>>> parked = parkPolls(other, MAX);

    HttpResponse<String> now = getNow("/channels/" + c + "?after=0&timeout=10");

    assertThat(now.statusCode()).as(now.body()).isEqualTo(200);
    assertThat(JsonPath.from(now.body()).getList("events")).hasSize(1);
    publishCreated(other, "\"done\"");
    parked.forEach(p -> assertThat(answer(p).statusCode()).isEqualTo(200));
  }

  @Test
  void everyWayAPollEndsGivesItsSlotBack() throws Exception {
    String c = unique("exits");
    // answered by a publish
    CompletableFuture<HttpResponse<String>> woken = getAsync("/channels/" + c + "?timeout=10");
    awaitHeld(1);
    publishCreated(c, "\"x\"");
    assertThat(answer(woken).statusCode()).isEqualTo(200);
    awaitHeld(0);
    // its timeout passed
    assertThat(getNow("/channels/" + c + "?timeout=0.2&after=1").statusCode()).isEqualTo(200);
    awaitHeld(0);
    // superseded by a newer poll of the same client id
    CompletableFuture<HttpResponse<String>> older = getAsync("/channels/" + c + "?timeout=10&after=1&client=me");
    awaitHeld(1);
    CompletableFuture<HttpResponse<String>> newer = getAsync("/channels/" + c + "?timeout=0.3&after=1&client=me");
    assertThat(JsonPath.from(answer(older).body()).getBoolean("superseded")).isTrue();
    assertThat(answer(newer).statusCode()).isEqualTo(200);
    awaitHeld(0);
    // its channel deleted
    CompletableFuture<HttpResponse<String>> deleted = getAsync("/channels/" + c + "?timeout=10&after=1");
    awaitHeld(1);
    assertThat(send(request("/channels/" + c).DELETE().build()).statusCode()).isEqualTo(204);
    assertThat(answer(deleted).statusCode()).isEqualTo(410);
    awaitHeld(0);
    // a mailbox poll answered by a message
    String id = unique("mailbox");
    CompletableFuture<HttpResponse<String>> mail = getAsync("/clients/" + id + "/messages?timeout=10");
    awaitHeld(1);
    assertThat(send(postJson("/clients/" + id + "/messages", "1")).statusCode()).isEqualTo(202);
    assertThat(answer(mail).statusCode()).isEqualTo(200);
    awaitHeld(0);
    // the client hung up (found by the deadline: the container does not report an idle closed socket)
    try (RawHttp gone = new RawHttp(server.port())) {
      gone.send("GET /channels/" + c + "?timeout=0.3 HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n");
      awaitHeld(1);
    }
    awaitHeld(0);
  }

  @Test
  void aClientPollingAgainIsNeverRefusedForItsOwnOlderPoll() {
    String c = unique("again");
    List<CompletableFuture<HttpResponse<String>>> others = parkPolls(c, MAX - 1);
    CompletableFuture<HttpResponse<String>> older = getAsync("/channels/" + c + "?timeout=10&client=phone");
    awaitParked(MAX);

    CompletableFuture<HttpResponse<String>> newer = getAsync("/channels/" + c + "?timeout=10&client=phone");

    HttpResponse<String> superseded = answer(older);
    assertThat(superseded.statusCode()).as(superseded.body()).isEqualTo(200);
    assertThat(JsonPath.from(superseded.body()).getBoolean("superseded")).isTrue();
    awaitParked(MAX);
    assertTooManyPolls(getNow("/channels/" + c + "?timeout=10&client=laptop"));
    publishCreated(c, "\"all\"");
    assertThat(answer(newer).statusCode()).isEqualTo(200);
    others.forEach(p -> assertThat(answer(p).statusCode()).isEqualTo(200));
  }

  @Test
  void streamsCountAgainstTheSameLimitAndGiveTheirSlotBackWhenTheyEnd() throws Exception {
    String c = unique("streams");
    List<SseClient> streams = new ArrayList<>();
    try {
      for (int i = 0; i < MAX; i++) {
        SseClient stream = SseClient.open(server.port(), "/channels/" + c + "/stream");
        streams.add(stream);
        assertThat(stream.status()).as(stream.errorBody()).isEqualTo(200);
      }
      awaitHeld(MAX);

      assertTooManyPolls(getNow("/channels/" + c + "?timeout=10"));
      try (SseClient refused = SseClient.open(server.port(), "/stream?channel=" + c)) {
        assertThat(refused.status()).isEqualTo(429);
        assertThat(refused.header("retry-after")).isNotNull();
        JsonPath body = JsonPath.from(refused.errorBody());
        assertThat(body.getString("error")).isEqualTo("too_many_polls");
        assertThat(body.getString("message")).isNotBlank();
      }
    } finally {
      for (SseClient stream : streams) {
        stream.close(); // found by the next heartbeat's failed write
      }
    }
    awaitHeld(0);
    CompletableFuture<HttpResponse<String>> poll = getAsync("/channels/" + c + "?timeout=0.2");
    assertThat(answer(poll).statusCode()).isEqualTo(200);
  }

  @Test
  void deleteEndsAStreamAndGivesItsSlotBack() throws Exception {
    String c = unique("gone");
    publishCreated(c, "1");
    try (SseClient stream = SseClient.open(server.port(), "/channels/" + c + "/stream")) {
      assertThat(stream.status()).isEqualTo(200);
      awaitHeld(1);
      assertThat(send(request("/channels/" + c).DELETE().build()).statusCode()).isEqualTo(204);
      waitUntil("stream ended").until(stream::ended);
    }
    awaitHeld(0);
  }

  private List<CompletableFuture<HttpResponse<String>>> parkPolls(String channel, int n) {
    List<CompletableFuture<HttpResponse<String>>> polls = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      polls.add(getAsync("/channels/" + channel + "?timeout=10"));
      awaitParked(i + 1);
    }
    return polls;
  }

  private void awaitHeld(int n) {
    AddressQuota quota = server.broker().quota();
    waitUntil("slots held = " + n).until(() -> quota.held(HERE) == n);
  }

  static void assertTooManyPolls(HttpResponse<String> refused) {
    assertThat(refused.statusCode()).as(refused.body()).isEqualTo(429);
    assertThat(refused.headers().firstValue("Content-Type")).hasValueSatisfying(v -> assertThat(v).startsWith("application/json"));
    assertThat(refused.headers().firstValue("Cache-Control")).hasValue("no-store");
    assertThat(refused.headers().firstValue("Retry-After"))
        .hasValueSatisfying(v -> assertThat(Integer.parseInt(v)).isBetween(1, 5));
    JsonPath body = JsonPath.from(refused.body());
    assertThat(body.getMap("$")).containsOnlyKeys("error", "message");
    assertThat(body.getString("error")).isEqualTo("too_many_polls");
    assertThat(body.getString("message")).contains("parkway.parked.per-address.max");
  }
}
