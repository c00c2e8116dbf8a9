package dev.parkway.direct;

import static java.net.http.HttpRequest.BodyPublishers.ofString;
import static org.assertj.core.api.Assertions.assertThat;

import dev.parkway.core.Cursor;
import dev.parkway.testing.RawHttp;
import io.restassured.path.json.JsonPath;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.Socket;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;

/**
 * The direct port keeps the servlet port's wire contract (docs/protocol.md) on its routes: polls with
 * cursors, replay, gaps, timeouts and supersede; many-channel polls with patterns; info, delete and
 * health; and, for the same request, the same JSON body as the servlet port, byte for byte but for the
 * parts that name a moment (timestamps, the issue time inside a cursor).
 */
class DirectParityTest extends DirectTestSupport {
  private static final int RETAINED = 8;

  @Override
  protected Map<String, String> moreSettings() {
    return Map.of(
        "parkway.channel.retention.count", Integer.toString(RETAINED),
        "parkway.poll.timeout.max", "30",
        "parkway.poll.channels.max", "4");
  }

  @Test
  void pollsWithCursorsReadEveryEventOnceAndAParkedPollGetsTheNextPublish() {
    String c = unique("round");
    for (int i = 1; i <= 5; i++) {
      assertThat(directPublish(c, "{\"n\":" + i + "}")).isEqualTo(i);
    }
    JsonPath first = body(directGet("/channels/" + c + "?after=0&limit=2&timeout=0"));
    assertThat(first.getList("events.seq", Integer.class)).containsExactly(1, 2);
    assertThat(first.getBoolean("more")).isTrue();
    JsonPath second = body(directGet("/channels/" + c + "?limit=2&timeout=0&after=" + first.getString("cursor")));
    assertThat(second.getList("events.seq", Integer.class)).containsExactly(3, 4);
    JsonPath third = body(directGet("/channels/" + c + "?limit=2&timeout=0&after=" + second.getString("cursor")));
    assertThat(third.getList("events.data.n", Integer.class)).containsExactly(5);
    assertThat(third.getBoolean("more")).isFalse();
    assertThat(third.getMap("events[0]").keySet()).containsExactlyInAnyOrder("channel", "seq", "timestamp", "data");

    CompletableFuture<HttpResponse<String>> parked =
        directGetAsync("/channels/" + c + "?timeout=30&after=" + third.getString("cursor"));
    awaitParked(1);
    assertThat(directPublish(c, "\"six\"")).isEqualTo(6);
    HttpResponse<String> woken = answer(parked);
    assertThat(woken.statusCode()).as(woken.body()).isEqualTo(200);
    assertCommonHeaders(woken.headers());
    assertThat(body(woken).getList("events.data", String.class)).containsExactly("six");
    assertThat(body(woken).getMap("$")).doesNotContainKeys("gap", "timeout");
  }

  @Test
  void withoutAfterAPollStartsAtTheHeadAndAfterZeroAtTheOldest() {
    String c = unique("start");
    directPublish(c, "1");
    directPublish(c, "2");
    JsonPath head = body(directGet("/channels/" + c + "?timeout=0"));
    assertThat(head.getList("events")).isEmpty();
    assertThat(head.getBoolean("timeout")).isTrue();
    assertThat(Cursor.decode(head.getString("cursor")).positions()).containsEntry(c, 2L);
    assertThat(body(directGet("/channels/" + c + "?after=0&timeout=0")).getList("events.data", Integer.class))
        .containsExactly(1, 2);
    assertThat(body(directGet("/channels/" + c + "?after=1&timeout=0")).getList("events.data", Integer.class))
        .as("a bare seq on one channel").containsExactly(2);
  }

  @Test
  void aCursorBehindTheRetainedEventsReportsTheGapAndReadsFromTheOldest() {
    String c = unique("gap");
    for (int i = 1; i <= RETAINED + 4; i++) {
      directPublish(c, Integer.toString(i));
    }
    JsonPath answer = body(directGet("/channels/" + c + "?after=1&timeout=0"));
    assertThat(answer.getMap("gap")).containsOnly(
        Map.entry("channel", c), Map.entry("requested", 2), Map.entry("oldest", 5));
    assertThat(answer.getList("events.seq", Integer.class)).containsExactly(5, 6, 7, 8, 9, 10, 11, 12);
    JsonPath next = body(directGet("/channels/" + c + "?timeout=0&after=" + answer.getString("cursor")));
    assertThat(next.getMap("$")).doesNotContainKey("gap");
  }

  @Test
  void aPollWithNothingNewAnswersTimeoutWithItsCursorUnchanged() {
    String c = unique("timeout");
    directPublish(c, "1");
    String cursor = body(directGet("/channels/" + c + "?after=0&timeout=0")).getString("cursor");
    HttpResponse<String> response = directGet("/channels/" + c + "?timeout=0.2&after=" + cursor);
    assertThat(response.statusCode()).isEqualTo(200);
    assertCommonHeaders(response.headers());
    JsonPath answer = body(response);
    assertThat(answer.getMap("$")).containsOnlyKeys("events", "cursor", "more", "timeout");
    assertThat(answer.getBoolean("timeout")).isTrue();
    assertThat(answer.getList("events")).isEmpty();
    // The same position (a cursor's text also carries when it was issued).
    assertThat(Cursor.decode(answer.getString("cursor")).epoch()).isEqualTo(Cursor.decode(cursor).epoch());
    assertThat(Cursor.decode(answer.getString("cursor")).positions()).isEqualTo(Cursor.decode(cursor).positions());
  }

  @Test
  void aNewerPollWithTheSameClientIdSupersedesTheParkedOneOnEitherPort() {
    String c = unique("supersede");
    String client = unique("client");
    CompletableFuture<HttpResponse<String>> first = directGetAsync("/channels/" + c + "?timeout=30&client=" + client);
    awaitParked(1);
    CompletableFuture<HttpResponse<String>> second = directGetAsync("/channels/" + c + "?timeout=30&client=" + client);
    JsonPath superseded = body(answer(first));
    assertThat(superseded.getMap("$")).containsOnlyKeys("events", "cursor", "more", "superseded");
    assertThat(superseded.getBoolean("superseded")).isTrue();
    awaitParked(1);

    // A poll on the servlet port acting as the same client takes the slot from the direct one.
    CompletableFuture<HttpResponse<String>> third = getAsync("/channels/" + c + "?timeout=30&client=" + client);
    assertThat(body(answer(second)).getBoolean("superseded")).isTrue();
    awaitParked(1);
    directPublish(c, "\"last\"");
    JsonPath delivered = body(answer(third));
    assertThat(delivered.getList("events.data", String.class)).containsExactly("last");
    assertThat(delivered.getMap("$")).doesNotContainKey("superseded");
  }

  @Test
  void aManyChannelPollCoversPatternsIncludingChannelsCreatedWhileParked() {
    String a = unique("multi");
    String prefix = unique("tree");
    directPublish(a, "\"a1\"");
    JsonPath caughtUp = body(directGet("/poll?channel=" + a + "&channel=" + prefix + ".*&after=0&timeout=0"));
    assertThat(caughtUp.getList("events.data", String.class)).containsExactly("a1");

    CompletableFuture<HttpResponse<String>> parked = directGetAsync(
        "/poll?channel=" + a + "&channel=" + prefix + ".*&timeout=30&after=" + caughtUp.getString("cursor"));
    awaitParked(1);
    directPublish(prefix + ".new", "\"created\"");
    HttpResponse<String> woken = answer(parked);
    assertThat(woken.statusCode()).as(woken.body()).isEqualTo(200);
    JsonPath answer = body(woken);
    assertThat(answer.getList("events.channel", String.class)).containsExactly(prefix + ".new");

    directPublish(a, "\"a2\"");
    directPublish(prefix + ".new", "\"n2\"");
    JsonPath rest = body(directGet(
        "/poll?channel=" + a + "," + prefix + ".*&timeout=0&after=" + answer.getString("cursor")));
    assertThat(rest.getList("events.data", String.class)).containsExactlyInAnyOrder("a2", "n2");
  }

  @Test
  void infoTellsHeadAndSubscribersAndAnUnknownChannelIs404() {
    String c = unique("info");
    directPublish(c, "1");
    directPublish(c, "2");
    CompletableFuture<HttpResponse<String>> parked = directGetAsync("/channels/" + c + "?timeout=30");
    awaitParked(1);
    HttpResponse<String> info = directGet("/channels/" + c + "/info");
    assertThat(info.statusCode()).isEqualTo(200);
    assertCommonHeaders(info.headers());
    assertThat(body(info).getMap("$")).containsOnly(
        Map.entry("channel", c), Map.entry("head", 2), Map.entry("oldest", 1), Map.entry("buffered", 2),
        Map.entry("subscribers", 1));
    assertError(directGet("/channels/" + unique("nobody") + "/info"), 404, "channel_not_found");
    directPublish(c, "3");
    assertThat(answer(parked).statusCode()).isEqualTo(200);
  }

  @Test
  void deletingAChannelAnswersItsParkedPolls410() {
    String c = unique("delete");
    directPublish(c, "1");
    CompletableFuture<HttpResponse<String>> onDirect = directGetAsync("/channels/" + c + "?timeout=30");
    CompletableFuture<HttpResponse<String>> onServlet = getAsync("/channels/" + c + "?timeout=30");
    awaitParked(2);
    HttpResponse<String> deleted = send(direct("/channels/" + c).DELETE().build());
    assertThat(deleted.statusCode()).isEqualTo(204);
    assertThat(deleted.body()).isEmpty();
    assertThat(deleted.headers().firstValue("Cache-Control")).hasValue("no-store");
    assertError(answer(onDirect), 410, "channel_deleted");
    assertError(answer(onServlet), 410, "channel_deleted");
    assertError(send(direct("/channels/" + c).DELETE().build()), 404, "channel_not_found");
  }

  @Test
  void healthIsUpOnGetAndHeadWithoutABodyForHead() {
    HttpResponse<String> health = directGet("/health");
    assertThat(health.statusCode()).isEqualTo(200);
    assertCommonHeaders(health.headers());
    assertThat(body(health).getMap("$")).containsOnly(
        Map.entry("status", "up"), Map.entry("store", "memory"), Map.entry("parked", 0));

    // HEAD then GET on one connection: HEAD's answer has a length and no body, or the GET's answer would
    // be read as the rest of it.
    try (Socket socket = new Socket("127.0.0.1", directPort())) {
      socket.setSoTimeout((int) patience().toMillis());
      socket.getOutputStream().write(("HEAD /health HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n"
          + "GET /health HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
      InputStream in = socket.getInputStream();
      RawHttp.Head head = RawHttp.readHead(in);
      assertThat(head.status()).isEqualTo(200);
      assertThat(head.headers()).containsEntry("content-length", Integer.toString(health.body().length()));
      RawHttp.Head get = RawHttp.readHead(in);
      assertThat(get.status()).isEqualTo(200);
      String getBody = new String(in.readNBytes(health.body().length()), StandardCharsets.UTF_8);
      assertThat(body(getBody).getString("status")).isEqualTo("up");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Test
  void anIdempotencyKeyDedupesAcrossBothPorts() {
    String c = unique("idem");
    HttpRequest.Builder first = direct("/channels/" + c).header("Content-Type", "application/json")
        .header("Idempotency-Key", "k-1").POST(ofString("{\"once\":true}"));
    HttpResponse<String> stored = send(first.build());
    assertThat(stored.statusCode()).isEqualTo(201);
    HttpResponse<String> again = send(first.build());
    assertThat(again.statusCode()).isEqualTo(200);
    assertThat(body(again).getLong("seq")).isEqualTo(body(stored).getLong("seq"));
    HttpResponse<String> viaServlet = send(request("/channels/" + c).header("Content-Type", "application/json")
        .header("Idempotency-Key", "k-1").POST(ofString("{\"once\":true}")).build());
    assertThat(viaServlet.statusCode()).isEqualTo(200);
    assertThat(body(directGet("/channels/" + c + "?after=0&timeout=0")).getList("events")).hasSize(1);
  }

  /** Pairs of requests whose answers both ports must give in the same bytes (moments masked). */
  @Test
  void theSameRequestGetsTheSameBodyOnBothPorts() {
    String c = unique("same");
    String gone = unique("gone");
    for (int i = 1; i <= RETAINED + 2; i++) {
      publishCreated(c, "{\"i\":" + i + ",\"s\":\"\\u00e9\\n\\\"q\\\"\",\"a\":[1.5,null,true]}");
    }
    List<String> targets = List.of(
        "/channels/" + c + "?after=0&timeout=0",
        "/channels/" + c + "?after=0&limit=3&timeout=0",
        "/channels/" + c + "?after=1&timeout=0",
        "/channels/" + c + "?timeout=0",
        "/channels/" + c + "/info",
        "/channels/" + gone + "/info",
        "/poll?channel=" + c + "&channel=" + c + ".*&after=0&timeout=0",
        "/poll?channel=" + c + "&timeout=0",
        "/channels/bad!name?timeout=0",
        "/channels/" + c + "?timeout=99",
        "/channels/" + c + "?limit=0&timeout=0",
        "/channels/" + c + "?after=zzz&timeout=0",
        "/channels/" + c + "?after=0&since=0&timeout=0",
        "/channels/" + c + "?client=bad!&timeout=0",
        "/poll?timeout=0",
        "/poll?channel=a,b,c,d,e&timeout=0",
        "/health");
    for (String target : targets) {
      assertSameAnswer(target, HttpRequest.Builder::GET);
    }
    String channel = "/channels/" + c;
    assertSameAnswer(channel, b -> b.header("Content-Type", "application/json").POST(ofString("{\"x\":[1, 2]}")));
    assertSameAnswer(channel, b -> b.header("Content-Type", "text/plain").POST(ofString("1")));
    assertSameAnswer(channel, b -> b.header("Content-Type", "application/json").POST(ofString("{\"a\":")));
    assertSameAnswer(channel, b -> b.header("Content-Type", "application/json")
        .header("Idempotency-Key", "k".repeat(129)).POST(ofString("1")));
    assertSameAnswer(channel, b -> b.PUT(ofString("1")));
    assertSameAnswer("/channels/" + gone, HttpRequest.Builder::DELETE);
  }

  /** Sends the same request, shaped by {@code how}, to both ports, and compares status, body and Allow. */
  private void assertSameAnswer(String pathAndQuery, UnaryOperator<HttpRequest.Builder> how) {
    HttpResponse<String> servlet = send(how.apply(request(pathAndQuery)).build());
    HttpResponse<String> direct = send(how.apply(direct(pathAndQuery)).build());
    String what = servlet.request().method() + " " + pathAndQuery;
    assertThat(direct.statusCode()).as(what).isEqualTo(servlet.statusCode());
    assertThat(masked(direct.body())).as(what).isEqualTo(masked(servlet.body()));
    assertThat(direct.headers().firstValue("Allow")).as(what).isEqualTo(servlet.headers().firstValue("Allow"));
  }

  /** The body with what names a moment or a position masked: timestamps, cursors, a publish's seq. */
  private static String masked(String json) {
    return json.replaceAll("\"timestamp\":\\d+", "\"timestamp\":T")
        .replaceAll("\"cursor\":\"[^\"]*\"", "\"cursor\":C")
        .replaceAll("^\\{\"channel\":\"([^\"]*)\",\"seq\":\\d+", "{\"channel\":\"$1\",\"seq\":S");
  }
}
