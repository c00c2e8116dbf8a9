package dev.parkway.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.restassured.path.json.JsonPath;
import java.net.http.HttpResponse;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

/** One parked poll per {@code ?client=} id: a newer poll answers the older one at once, superseded. */
class SupersedeTest extends HttpTestSupport {

  @Test
  void newerPollWithTheSameClientIdSupersedesTheOlder() {
    String c = channel("super");
    publish(c, "\"before\"");
    String headCursor = body(getNow("/channels/" + c + "?timeout=0")).getString("cursor");

    CompletableFuture<HttpResponse<String>> first = getAsync("/channels/" + c + "?client=phone-1&timeout=10");
    awaitParked(1);
    CompletableFuture<HttpResponse<String>> second = getAsync("/channels/" + c + "?client=phone-1&timeout=10");

    HttpResponse<String> superseded = answer(first);
    assertThat(superseded.statusCode()).isEqualTo(200);
    assertPollHeaders(superseded);
    JsonPath body = body(superseded);
    assertThat(body.getMap("$")).containsOnlyKeys("events", "cursor", "more", "superseded");
    assertThat(body.getList("events")).isEmpty();
    assertSamePosition(body.getString("cursor"), headCursor);
    assertThat(body.getBoolean("more")).isFalse();
    assertThat(body.getBoolean("superseded")).isTrue();

    awaitParked(1);
    assertThat(second).as("the newer poll stays parked").isNotDone();
    assertThat(server.broker().subscribers(c)).isEqualTo(1);

    publish(c, "\"after\"");
    HttpResponse<String> delivered = answer(second);
    assertThat(delivered.statusCode()).isEqualTo(200);
    assertThat(body(delivered).getList("events.data", String.class)).containsExactly("after");
    assertThat(body(delivered).getMap("$")).doesNotContainKey("superseded");
  }

  @Test
  void clientIdSupersedesAcrossChannelsAndRoutes() {
    String a = channel("sa");
    String b = channel("sb");
    CompletableFuture<HttpResponse<String>> first = getAsync("/channels/" + a + "?client=tab-7&timeout=10");
    awaitParked(1);
    CompletableFuture<HttpResponse<String>> second = getAsync("/poll?channel=" + b + "&client=tab-7&timeout=10");
    assertThat(body(answer(first)).getBoolean("superseded")).isTrue();
    awaitParked(1);
    assertThat(server.broker().subscribers(a)).isZero();
    publish(b, "1");
    assertThat(body(answer(second)).getList("events.seq", Integer.class)).containsExactly(1);
  }

  @Test
  void differentClientIdsAndAnonymousPollsDoNotSupersedeEachOther() {
    String c = channel("crowd");
    CompletableFuture<HttpResponse<String>> x = getAsync("/channels/" + c + "?client=x&timeout=10");
    CompletableFuture<HttpResponse<String>> y = getAsync("/channels/" + c + "?client=y&timeout=10");
    CompletableFuture<HttpResponse<String>> anon1 = getAsync("/channels/" + c + "?timeout=10");
    CompletableFuture<HttpResponse<String>> anon2 = getAsync("/channels/" + c + "?timeout=10");
    awaitParked(4);
    publish(c, "\"all\"");
    for (CompletableFuture<HttpResponse<String>> poll : java.util.List.of(x, y, anon1, anon2)) {
      JsonPath body = body(answer(poll));
      assertThat(body.getList("events.data", String.class)).containsExactly("all");
      assertThat(body.getMap("$")).doesNotContainKey("superseded");
    }
  }

  @Test
  void aPollAnsweredAtOnceDoesNotSupersedeTheParkedOne() {
    String c = channel("instant");
    publish(c, "1");
    CompletableFuture<HttpResponse<String>> parked = getAsync("/channels/" + c + "?client=z&timeout=10");
    awaitParked(1);
    // Events are waiting after 0: this poll is answered without parking, so the parked one stays.
    JsonPath instant = body(getNow("/channels/" + c + "?client=z&after=0&timeout=10"));
    assertThat(instant.getList("events.seq", Integer.class)).containsExactly(1);
    assertThat(server.broker().parkedCount()).isEqualTo(1);
    assertThat(parked).isNotDone();
    publish(c, "2");
    assertThat(body(answer(parked)).getList("events.seq", Integer.class)).containsExactly(2);
  }
}
