package dev.parkway.compat;

import static org.assertj.core.api.Assertions.assertThat;

import dev.parkway.sse.SseClient;
import dev.parkway.sse.SseTestSupport;
import io.restassured.path.json.JsonPath;
import java.net.URLEncoder;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

/**
 * The broadcast example (seed 001) replayed against Parkway: {@code GET /getmessage} parked until {@code
 * GET|POST /updatemessage?message=...}, and its SSE demo on {@code GET /events}.
 */
class BroadcastRoutesTest extends SseTestSupport {
  private static final String CHANNEL = "broadcast";

  @Override
  protected Map<String, String> settings() {
    return Map.of("parkway.sse.heartbeat", "0.2"); // closed demo streams are found within the test
  }

  @Test
  void aParkedGetMessageAnswersTheNextBroadcastAsPlainText() {
    CompletableFuture<HttpResponse<String>> waiting = getAsync("/getmessage");
    awaitParked(1);

    HttpResponse<String> update = getNow("/updatemessage?message=hello");
    assertThat(update.statusCode()).isEqualTo(200);
    assertThat(update.body()).isEmpty();

    HttpResponse<String> answer = answer(waiting);
    assertThat(answer.statusCode()).isEqualTo(200);
    assertThat(answer.body()).isEqualTo("hello");
    assertThat(answer.headers().firstValue("Content-Type")).hasValueSatisfying(t -> assertThat(t).startsWith("text/plain"));
    assertThat(answer.headers().firstValue("Cache-Control")).hasValueSatisfying(
        v -> assertThat(v).contains("no-cache").contains("no-store"));
    assertThat(answer.headers().firstValue("X-Content-Type-Options")).hasValue("nosniff");
  }

  @Test
  void everyParkedClientGetsTheSameBroadcast() {
    CompletableFuture<HttpResponse<String>> one = getAsync("/getmessage");
    CompletableFuture<HttpResponse<String>> two = getAsync("/getmessage");
    awaitParked(2);
    getNow("/updatemessage?message=to-everyone");
    assertThat(answer(one).body()).isEqualTo("to-everyone");
    assertThat(answer(two).body()).isEqualTo("to-everyone");
  }

  @Test
  void getMessageStartsAtTheHeadAndWaitsForTheNextBroadcast() {
    getNow("/updatemessage?message=before");
    CompletableFuture<HttpResponse<String>> waiting = getAsync("/getmessage");
    awaitParked(1); // it did not answer "before": only broadcasts made while it waits count
    getNow("/updatemessage?message=after");
    assertThat(answer(waiting).body()).isEqualTo("after");
  }

  @Test
  void updateMessageByPostWithAQueryOrAFormBroadcastsToo() {
    CompletableFuture<HttpResponse<String>> first = getAsync("/getmessage");
    awaitParked(1);
    HttpResponse<String> byQuery =
        send(request("/updatemessage?message=posted").POST(HttpRequest.BodyPublishers.noBody()).build());
    assertThat(byQuery.statusCode()).isEqualTo(200);
    assertThat(answer(first).body()).isEqualTo("posted");

    CompletableFuture<HttpResponse<String>> second = getAsync("/getmessage");
    awaitParked(1);
    HttpResponse<String> byForm =
        send(request("/updatemessage")
            .header("Content-Type", "application/x-www-form-urlencoded")
            .POST(HttpRequest.BodyPublishers.ofString("message=from+a+form"))
            .build());
    assertThat(byForm.statusCode()).isEqualTo(200);
    assertThat(answer(second).body()).isEqualTo("from a form");
  }

  @Test
  void anEmptyOrMissingMessageDoesNothing() {
    getNow("/updatemessage?message=mark");
    long head = head();
    assertThat(getNow("/updatemessage").statusCode()).isEqualTo(200);
    assertThat(getNow("/updatemessage?message=").statusCode()).isEqualTo(200);
    assertThat(getNow("/updatemessage?other=x").statusCode()).isEqualTo(200);
    assertThat(head()).isEqualTo(head);
  }

  @Test
  void messagesKeepEveryCharacterQuotesBackslashesAndUnicode() {
    String message = "héllo \"quoted\" \\ back <b>&amp; → ✓ {\"not\":\"json\"}";
    CompletableFuture<HttpResponse<String>> waiting = getAsync("/getmessage");
    awaitParked(1);
    getNow("/updatemessage?message=" + URLEncoder.encode(message, StandardCharsets.UTF_8));
    HttpResponse<String> answer = answer(waiting);
    assertThat(answer.body()).isEqualTo(message);
  }

  @Test
  void aBroadcastIsAJsonStringEventThatNativePollersSee() {
    CompletableFuture<HttpResponse<String>> nativePoll = getAsync("/channels/" + CHANNEL + "?timeout=10");
    awaitParked(1);
    getNow("/updatemessage?message=" + URLEncoder.encode("for \"natives\"", StandardCharsets.UTF_8));
    JsonPath body = JsonPath.from(answer(nativePoll).body());
    assertThat(body.getString("events[0].channel")).isEqualTo(CHANNEL);
    assertThat(body.getList("events")).hasSize(1);
    assertThat(body.getString("events[0].data")).isEqualTo("for \"natives\"");
  }

  @Test
  void aNativePublishOfOtherJsonIsAnsweredAsItsJsonText() {
    CompletableFuture<HttpResponse<String>> waiting = getAsync("/getmessage");
    awaitParked(1);
    publish(CHANNEL, "{\"n\": 1}");
    assertThat(answer(waiting).body()).isEqualTo("{\"n\":1}");
  }

  @Test
  void deletingTheChannelAnswersAParkedGetMessageNoNewMessages() {
    getNow("/updatemessage?message=exists");
    CompletableFuture<HttpResponse<String>> waiting = getAsync("/getmessage");
    awaitParked(1);
    assertThat(send(request("/channels/" + CHANNEL).DELETE().build()).statusCode()).isEqualTo(204);
    HttpResponse<String> answer = answer(waiting);
    assertThat(answer.statusCode()).isEqualTo(200);
    assertThat(answer.body()).isEqualTo("No new messages");
  }

  @Test
  void theSseDemoStreamsEachBroadcastAsABareDataFrame() {
    SseClient events = openStream("/events");
    assertThat(events.header("Content-Type")).startsWith("text/event-stream");
    assertThat(events.header("X-Accel-Buffering")).isEqualTo("no");
    getNow("/updatemessage?message=hello");
    getNow("/updatemessage?message=world");

    SseClient.Frame first = events.nextEvent();
    assertThat(first.data()).isEqualTo("hello");
    assertThat(first.id()).isNull();
    assertThat(first.event()).isNull();
    assertThat(events.nextEvent().data()).isEqualTo("world");
    assertThat(events.raw()).contains("\ndata: hello\n\ndata: world\n\n");
  }

  @Test
  void aMultiLineBroadcastIsOneFrameOfDataLinesAndCannotForgeAnother() {
    SseClient events = openStream("/events");
    String message = "a\r\nevent: evil\r\n\r\ndata: forged\nid: 9";
    getNow("/updatemessage?message=" + URLEncoder.encode(message, StandardCharsets.UTF_8));
    getNow("/updatemessage?message=next");

    SseClient.Frame frame = events.nextEvent();
    assertThat(frame.data()).isEqualTo("a\nevent: evil\n\ndata: forged\nid: 9");
    assertThat(frame.event()).isNull();
    assertThat(frame.id()).isNull();
    assertThat(events.nextEvent().data()).isEqualTo("next");
  }

  @Test
  void theSseDemoAndGetMessageSeeTheSameBroadcast() {
    SseClient events = openStream("/events");
    CompletableFuture<HttpResponse<String>> waiting = getAsync("/getmessage");
    awaitParked(1);
    getNow("/updatemessage?message=both");
    assertThat(answer(waiting).body()).isEqualTo("both");
    assertThat(events.nextEvent().data()).isEqualTo("both");
  }

  @Test
  void otherMethodsAreRefusedWithJsonErrors() {
    HttpResponse<String> put =
        send(request("/updatemessage?message=x").PUT(HttpRequest.BodyPublishers.noBody()).build());
    assertThat(put.statusCode()).isEqualTo(405);
    assertThat(put.headers().firstValue("Allow")).hasValue("GET, POST");
    assertThat(JsonPath.from(put.body()).getString("error")).isEqualTo("method_not_allowed");
    HttpResponse<String> post =
        send(request("/getmessage").POST(HttpRequest.BodyPublishers.noBody()).build());
    assertThat(post.statusCode()).isEqualTo(405);
    assertThat(post.headers().firstValue("Allow")).hasValue("GET");
  }

  @Test
  void aMalformedQueryIsA400NotABroadcast() throws Exception {
    getNow("/updatemessage?message=mark");
    long head = head();
    try (SseClient bad = SseClient.open(server.port(), "/updatemessage?message=%ZZ")) { // raw: no client sends it
      assertThat(bad.status()).isEqualTo(400);
      assertThat(JsonPath.from(bad.errorBody()).getString("error")).isEqualTo("invalid_parameter");
    }
    assertThat(head()).isEqualTo(head);
  }

  /** The broadcast channel's head (0 before the first broadcast). */
  private long head() {
    HttpResponse<String> info = getNow("/channels/" + CHANNEL + "/info");
    return info.statusCode() == 404 ? 0 : JsonPath.from(info.body()).getLong("head");
  }
}
