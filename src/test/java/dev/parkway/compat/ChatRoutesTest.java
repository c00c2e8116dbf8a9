package dev.parkway.compat;

import static org.assertj.core.api.Assertions.assertThat;

import dev.parkway.testing.EmbeddedParkway;
import dev.parkway.testing.RawHttp;
import io.restassured.path.json.JsonPath;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

/**
 * The chat routes beyond the tutorial's session: ids in publish order, a client following the last id
 * gets every message exactly once (here across answers capped at 5 messages), and where a poll starts
 * for every kind of {@code after}.
 */
class ChatRoutesTest extends GinHttpSupport {

  @Override
  protected Map<String, String> settings() {
    return EmbeddedParkway.settings("parkway.poll.limit.max", "5", "parkway.poll.limit.default", "5");
  }

  /** Posts a message and returns its answer's JSON. */
  private JsonPath say(String text) {
    HttpResponse<String> created = assertJson(
        post("/messages", jakarta.json.Json.createObjectBuilder().add("body", text).build().toString()), 200);
    return body(created);
  }

  /** The messages after {@code id}, followed to the end (each answer's last id is the next after). */
  private List<Map<String, Object>> followFrom(String id, int expected) {
    List<Map<String, Object>> got = new ArrayList<>();
    String after = id;
    while (got.size() < expected) {
      HttpResponse<String> answer = assertJson(getNow("/messages?after=" + after), 200);
      List<Map<String, Object>> page = body(answer).getList("$");
      assertThat(page).as("answers are capped by parkway.poll.limit.max").isNotEmpty().hasSizeLessThanOrEqualTo(5);
      got.addAll(page);
      after = (String) page.get(page.size() - 1).get("id");
    }
    return got;
  }

  @Test
  void idsAreInPublishOrderAsStrings() {
    List<String> ids = new ArrayList<>();
    for (int i = 0; i < 30; i++) {
      ids.add(say("n" + i).getString("id"));
    }
    assertThat(ids).isSorted().doesNotHaveDuplicates();
    for (String id : ids) {
      assertThat(UUID.fromString(id).version()).isEqualTo(8);
    }
  }

  @Test
  void followingTheLastIdGetsEveryMessageExactlyOnceInOrder() {
    String start = say("start").getString("id");
    List<String> sent = new ArrayList<>();
    for (int i = 0; i < 12; i++) {
      sent.add(say("m" + i).getString("id"));
    }
    List<Map<String, Object>> got = followFrom(start, 12);
    assertThat(got).extracting(m -> m.get("id")).containsExactlyElementsOf(sent);
    assertThat(got).extracting(m -> m.get("body")).containsExactly(
        "m0", "m1", "m2", "m3", "m4", "m5", "m6", "m7", "m8", "m9", "m10", "m11");

    // Caught up: the next poll parks and gets exactly the next message.
    String last = sent.get(sent.size() - 1);
    CompletableFuture<HttpResponse<String>> next = getAsync("/messages?after=" + last);
    awaitParked(1);
    JsonPath posted = say("live");
    List<Map<String, Object>> live = body(answer(next)).getList("$");
    assertThat(live).containsExactly(posted.getMap("$"));
  }

  @Test
  void aRandomOrForeignUuidStartsFromTheOldestRetained() {
    say("something");
    List<Object> fromOldest = body(getNow("/messages")).getList("id");
    assertThat(body(getNow("/messages?after=00000000-0000-0000-0000-000000000000")).getList("id"))
        .isEqualTo(fromOldest);
    assertThat(body(getNow("/messages?after=" + UUID.randomUUID())).getList("id")).isEqualTo(fromOldest);
    String otherEpoch = EventIds.of("an-earlier-epoch", "chat", 1).toString();
    assertThat(body(getNow("/messages?after=" + otherEpoch)).getList("id")).isEqualTo(fromOldest);
    String otherChannel = EventIds.of(server.broker().epoch(), "news", 1).toString();
    assertThat(body(getNow("/messages?after=" + otherChannel)).getList("id")).isEqualTo(fromOldest);
    assertThat(body(getNow("/messages?after=")).getList("id")).isEqualTo(fromOldest);
    assertThat(fromOldest).hasSizeBetween(1, 5);
  }

  @Test
  void anAfterThatIsNotAUuidIs400() {
    assertError(getNow("/messages?after=garbage"), 400, "invalid_cursor");
    assertError(getNow("/messages?after=12"), 400, "invalid_cursor");
    RawHttp.Response malformed = rawGet("/messages?after=%ZZ");
    assertThat(malformed.status()).isEqualTo(400);
    assertThat(body(malformed.body()).getString("error")).isEqualTo("invalid_parameter");
  }

  @Test
  void bodiesRoundTripExactly() {
    String text = "line 1\nline 2 \"quoted\" \\ é ✓ \u2028 <b>";
    JsonPath created = say(text);
    assertThat(created.getString("body")).isEqualTo(text);
    String before = say("marker").getString("id");
    String id = say(text).getString("id");
    List<Map<String, Object>> got = body(getNow("/messages?after=" + before)).getList("$");
    assertThat(got).hasSize(1);
    assertThat(got.get(0)).containsEntry("id", id).containsEntry("body", text);
  }

  @Test
  void aMissingBodyIsAnEmptyMessageAndAWrongOneIs400() {
    assertThat(body(assertJson(post("/messages", "{}"), 200)).getString("body")).isEmpty();
    assertThat(body(assertJson(post("/messages", "{\"body\":null}"), 200)).getString("body")).isEmpty();
    assertError(post("/messages", "{\"body\":42}"), 400, "invalid_body");
    assertError(post("/messages", "\"Hello\""), 400, "invalid_body");
    assertError(post("/messages", "{\"body\":"), 400, "invalid_json");
    HttpResponse<String> form = send(HttpRequest.newBuilder(URI.create(server.baseUri() + "/messages"))
        .header("Content-Type", "application/x-www-form-urlencoded")
        .POST(HttpRequest.BodyPublishers.ofString("body=x"))
        .build());
    assertError(form, 415, "unsupported_media_type");
    HttpResponse<String> put = send(HttpRequest.newBuilder(URI.create(server.baseUri() + "/messages"))
        .PUT(HttpRequest.BodyPublishers.ofString("{}"))
        .build());
    assertError(put, 405, "method_not_allowed");
    assertThat(put.headers().firstValue("Allow")).hasValue("GET, POST");
  }

  @Test
  void eventsPublishedNativelyOnTheChatChannelAreMessagesToo() {
    String before = say("marker").getString("id");
    HttpResponse<String> published = post("/channels/chat", "\"from the native API\"");
    assertThat(published.statusCode()).isEqualTo(201);
    post("/channels/chat", "{\"body\":\"shaped\"}");
    post("/channels/chat", "[1,2]");
    List<Object> bodies = body(getNow("/messages?after=" + before)).getList("body");
    assertThat(bodies).containsExactly("from the native API", "shaped", "[1,2]");
  }
}
