package dev.parkway.sse;

import static org.assertj.core.api.Assertions.assertThat;

import dev.parkway.core.Cursor;
import dev.parkway.sse.SseClient.Frame;
import io.restassured.path.json.JsonPath;
import java.net.http.HttpResponse;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * {@code GET /channels/{c}/stream} and {@code GET /stream?channel=...} on embedded Tomcat: frames,
 * resume, gaps, heartbeats, CR/LF safety, wildcards, disconnects, deletion and refusals.
 */
class SseStreamTest extends SseTestSupport {

  @Override
  protected Map<String, String> settings() {
    return Map.of(
        "parkway.sse.heartbeat", "0.2",
        "parkway.channel.retention.count", "3");
  }

  @Test
  void streamAnswersWithEventStreamHeadersAndOpensAtOnce() {
    SseClient stream = openStream("/channels/" + channel("headers") + "/stream");
    assertThat(stream.header("Content-Type")).isEqualTo("text/event-stream;charset=UTF-8");
    assertThat(stream.header("Cache-Control")).isEqualTo("no-store");
    assertThat(stream.header("X-Content-Type-Options")).isEqualTo("nosniff");
    assertThat(stream.header("X-Accel-Buffering")).isEqualTo("no");
    assertThat(stream.next().comments()).containsExactly("open");
    assertThat(stream.raw()).startsWith(": open\n\n");
  }

  @Test
  void eachPublishedEventArrivesAsAMessageFrameWhoseIdIsTheCursorAfterIt() {
    String c = channel("frames");
    SseClient stream = openStream("/channels/" + c + "/stream");
    long s1 = publish(c, "{\"n\":1}");
    long s2 = publish(c, "[true,null]");

    Frame first = stream.nextEvent();
    assertThat(first.event()).isEqualTo("message");
    assertThat(Cursor.decode(first.id()).positions()).isEqualTo(Map.of(c, s1));
    JsonPath data = JsonPath.from(first.data());
    assertThat(data.getString("channel")).isEqualTo(c);
    assertThat(data.getLong("seq")).isEqualTo(s1);
    assertThat(data.getLong("timestamp")).isPositive();
    assertThat(data.getInt("data.n")).isEqualTo(1);
    assertThat(stream.raw())
        .contains("id: " + first.id() + "\nevent: message\ndata: " + first.data() + "\n\n");

    Frame second = stream.nextEvent();
    assertThat(Cursor.decode(second.id()).positions()).isEqualTo(Map.of(c, s2));
    assertThat(JsonPath.from(second.data()).getList("data")).containsExactly(true, null);
    assertThat(server.broker().counters().delivered.sum()).isGreaterThanOrEqualTo(2);
  }

  @Test
  void withoutAfterAStreamStartsAtTheHead() {
    String c = channel("head");
    publish(c, "\"old\"");
    SseClient stream = openStream("/channels/" + c + "/stream");
    long fresh = publish(c, "\"new\"");
    Frame frame = stream.nextEvent();
    assertThat(JsonPath.from(frame.data()).getLong("seq")).isEqualTo(fresh);
    assertThat(JsonPath.from(frame.data()).getString("data")).isEqualTo("new");
  }

  @Test
  void lastEventIdResumesWithExactlyTheMissedEvents() throws Exception {
    String c = channel("resume");
    SseClient first = openStream("/channels/" + c + "/stream");
    publish(c, "1");
    String id = first.nextEvent().id();
    first.close();
    waitUntil("first stream gone").until(() -> server.broker().watcherCount() == 0);
    long s2 = publish(c, "2");
    long s3 = publish(c, "3");

    SseClient again = openStream("/channels/" + c + "/stream", "Last-Event-ID: " + id);
    assertThat(seqOf(again.nextEvent())).isEqualTo(s2);
    assertThat(seqOf(again.nextEvent())).isEqualTo(s3);
    long s4 = publish(c, "4");
    assertThat(seqOf(again.nextEvent())).as("nothing replayed twice").isEqualTo(s4);
  }

  @Test
  void afterParameterResumesLikeLastEventId() {
    String c = channel("after");
    SseClient first = openStream("/channels/" + c + "/stream");
    publish(c, "1");
    String id = first.nextEvent().id();
    long s2 = publish(c, "2");
    assertThat(seqOf(first.nextEvent())).isEqualTo(s2);

    SseClient again = openStream("/channels/" + c + "/stream?after=" + id);
    assertThat(seqOf(again.nextEvent())).isEqualTo(s2);
    long s3 = publish(c, "3");
    assertThat(seqOf(again.nextEvent())).isEqualTo(s3);
  }

  @Test
  void lastEventIdWinsOverAfterBecauseEventSourceReconnectsToTheSameUrl() {
    String c = channel("wins");
    SseClient first = openStream("/channels/" + c + "/stream?after=0");
    publish(c, "1");
    publish(c, "2");
    first.nextEvent();
    String second = first.nextEvent().id();
    long s3 = publish(c, "3");

    SseClient again = openStream("/channels/" + c + "/stream?after=0", "Last-Event-ID: " + second);
    assertThat(seqOf(again.nextEvent())).isEqualTo(s3);
  }

  @Test
  void aBareSeqAfterResumesOnASingleChannelAndZeroReplaysTheRetainedEvents() {
    String c = channel("bare");
    long s1 = publish(c, "1");
    long s2 = publish(c, "2");
    SseClient afterOne = openStream("/channels/" + c + "/stream?after=" + s1);
    assertThat(seqOf(afterOne.nextEvent())).isEqualTo(s2);
    SseClient fromOldest = openStream("/stream?channel=" + c + "&after=0");
    assertThat(seqOf(fromOldest.nextEvent())).isEqualTo(s1);
    assertThat(seqOf(fromOldest.nextEvent())).isEqualTo(s2);
  }

  @Test
  void resumingBeforeTheOldestRetainedEventSendsAGapFrameThenTheRetainedEvents() {
    String c = channel("gap");
    for (int i = 1; i <= 5; i++) {
      publish(c, Integer.toString(i)); // retention keeps 3: seq 3, 4, 5
    }
    SseClient stream = openStream("/channels/" + c + "/stream?after=1");
    Frame gap = stream.nextEvent();
    assertThat(gap.event()).isEqualTo("gap");
    JsonPath data = JsonPath.from(gap.data());
    assertThat(data.getString("channel")).isEqualTo(c);
    assertThat(data.getLong("requested")).isEqualTo(2);
    assertThat(data.getLong("oldest")).isEqualTo(3);
    assertThat(Cursor.decode(gap.id()).positions()).as("the cursor after the gap").isEqualTo(Map.of(c, 2L));
    assertThat(seqOf(stream.nextEvent())).isEqualTo(3);
    assertThat(seqOf(stream.nextEvent())).isEqualTo(4);
    assertThat(seqOf(stream.nextEvent())).isEqualTo(5);
  }

  @Test
  void resumingFromAGapFrameIdDoesNotReportTheGapAgain() {
    String c = channel("gap-resume");
    for (int i = 1; i <= 5; i++) {
      publish(c, Integer.toString(i));
    }
    SseClient stream = openStream("/channels/" + c + "/stream?after=1");
    String gapId = stream.nextEvent().id();
    SseClient again = openStream("/channels/" + c + "/stream", "Last-Event-ID: " + gapId);
    assertThat(seqOf(again.nextEvent())).isEqualTo(3);
  }

  @Test
  void heartbeatCommentsArriveWhileNothingIsPublished() {
    SseClient stream = openStream("/channels/" + channel("beat") + "/stream");
    waitUntil("two heartbeats").until(() -> stream.comments().stream().filter("ping"::equals).count() >= 2);
    assertThat(stream.raw()).contains(": ping\n\n");
    assertThat(stream.pendingEvents()).isEmpty();
  }

  @Test
  void crAndLfInsidePublishedDataCannotForgeAFrame() {
    String c = channel("crlf");
    SseClient stream = openStream("/channels/" + c + "/stream");
    String evil = "x\r\n\r\nid: forged\r\nevent: evil\r\ndata: {}\r\n\r\n";
    publish(c, "\"x\\r\\n\\r\\nid: forged\\r\\nevent: evil\\r\\ndata: {}\\r\\n\\r\\n\"");
    long after = publish(c, "\"next\"");

    Frame frame = stream.nextEvent();
    assertThat(frame.event()).isEqualTo("message");
    assertThat(JsonPath.from(frame.data()).getString("data")).isEqualTo(evil);
    assertThat(seqOf(stream.nextEvent())).isEqualTo(after);
    assertThat(stream.raw()).doesNotContain("\nevent: evil").doesNotContain("\nid: forged").doesNotContain("\r");
  }

  @Test
  void aMultiChannelStreamMergesChannelsAndEveryIdResumesRightAfterItsEvent() {
    String a = channel("multi-a");
    String b = channel("multi-b");
    long a1 = publish(a, "\"a1\"");
    long b1 = publish(b, "\"b1\"");
    long a2 = publish(a, "\"a2\"");
    SseClient stream = openStream("/stream?channel=" + a + "&channel=" + b + "&after=0");
    Frame f1 = stream.nextEvent();
    Frame f2 = stream.nextEvent();
    Frame f3 = stream.nextEvent();
    assertThat(f1.data()).contains("\"a1\"");
    assertThat(f2.data()).contains("\"b1\"");
    assertThat(f3.data()).contains("\"a2\"");
    assertThat(Cursor.decode(f1.id()).positions()).isEqualTo(Map.of(a, a1, b, 0L));
    assertThat(Cursor.decode(f2.id()).positions()).isEqualTo(Map.of(a, a1, b, b1));
    assertThat(Cursor.decode(f3.id()).positions()).isEqualTo(Map.of(a, a2, b, b1));

    SseClient resumed = openStream("/stream?channel=" + a + "&channel=" + b, "Last-Event-ID: " + f1.id());
    assertThat(resumed.nextEvent().data()).contains("\"b1\"");
    assertThat(resumed.nextEvent().data()).contains("\"a2\"");
  }

  @Test
  void aWildcardStreamCoversChannelsCreatedAfterItOpened() {
    String root = channel("wild");
    String other = channel("plain");
    SseClient stream = openStream("/stream?channel=" + root + ".*&channel=" + other);
    publish(root, "\"not under the pattern\"");
    publish(root + ".a", "\"a\"");
    publish(root + ".b.c", "\"bc\"");
    publish(other, "\"other\"");

    JsonPath first = JsonPath.from(stream.nextEvent().data());
    JsonPath second = JsonPath.from(stream.nextEvent().data());
    JsonPath third = JsonPath.from(stream.nextEvent().data());
    assertThat(first.getString("channel")).isEqualTo(root + ".a");
    assertThat(second.getString("channel")).isEqualTo(root + ".b.c");
    assertThat(third.getString("channel")).isEqualTo(other);
  }

  @Test
  void aClientThatDisconnectsIsUnregistered() throws Exception {
    SseClient stream = openStream("/channels/" + channel("gone") + "/stream");
    assertThat(server.broker().watcherCount()).isEqualTo(1);
    stream.close();
    // Nothing is published: the heartbeat's failed write is what finds the client gone.
    waitUntil("stream unregistered").until(() -> server.broker().watcherCount() == 0);
  }

  @Test
  void deletingTheChannelSendsADeletedFrameAndEndsTheStream() {
    String c = channel("deleted");
    publish(c, "1");
    SseClient stream = openStream("/channels/" + c + "/stream");
    HttpResponse<String> deleted = send(request("/channels/" + c).DELETE().build());
    assertThat(deleted.statusCode()).isEqualTo(204);

    Frame frame = stream.nextEvent();
    assertThat(frame.event()).isEqualTo("deleted");
    assertThat(JsonPath.from(frame.data()).getString("channel")).isEqualTo(c);
    assertThat(frame.id()).isNull();
    waitUntil("stream ended").until(stream::ended);
    assertThat(server.broker().watcherCount()).isZero();
  }

  @Test
  void aStreamCountsAsASubscriberOfItsChannel() {
    String c = channel("subs");
    openStream("/channels/" + c + "/stream");
    HttpResponse<String> published =
        send(request("/channels/" + c)
            .header("Content-Type", "application/json")
            .POST(java.net.http.HttpRequest.BodyPublishers.ofString("1"))
            .build());
    assertThat(JsonPath.from(published.body()).getInt("subscribers")).isEqualTo(1);
  }

  @Test
  void invalidRequestsAreRefusedWithJsonErrorsBeforeTheStreamOpens() {
    assertError(stream("/stream"), 400, "invalid_channel");
    assertError(stream("/stream?channel=bad%20name"), 400, "invalid_channel");
    assertError(stream("/stream?channel=a&channel=b&after=5"), 400, "invalid_cursor");
    assertError(stream("/channels/x/stream", "Last-Event-ID: not-a-cursor"), 400, "invalid_cursor");
    assertError(stream("/stream?channel=x&after=%ZZ"), 400, "invalid_parameter");
    String c = channel("ahead");
    publish(c, "1");
    String ahead = new Cursor(server.broker().epoch(), Map.of(c, 9L)).encode();
    assertError(stream("/channels/" + c + "/stream?after=" + ahead), 400, "invalid_cursor");
    assertThat(server.broker().watcherCount()).isZero();

    HttpResponse<String> post = send(request("/stream?channel=x").POST(java.net.http.HttpRequest.BodyPublishers.noBody()).build());
    assertThat(post.statusCode()).isEqualTo(405);
    assertThat(post.headers().firstValue("Allow")).hasValue("GET");
    assertThat(JsonPath.from(post.body()).getString("error")).isEqualTo("method_not_allowed");
    HttpResponse<String> postChannel =
        send(request("/channels/x/stream").POST(java.net.http.HttpRequest.BodyPublishers.noBody()).build());
    assertThat(postChannel.statusCode()).isEqualTo(405);
  }

  @Test
  void streamParametersOnlyAPollUsesAreIgnored() {
    String c = channel("ignored");
    SseClient stream = openStream("/channels/" + c + "/stream?timeout=100000&limit=0&client=bad%20id");
    long s = publish(c, "1");
    assertThat(seqOf(stream.nextEvent())).isEqualTo(s);
  }

  private static void assertError(SseClient client, int status, String code) {
    assertThat(client.status()).as(client.errorBody()).isEqualTo(status);
    assertThat(client.header("Content-Type")).startsWith("application/json");
    assertThat(client.header("Cache-Control")).isEqualTo("no-store");
    JsonPath body = JsonPath.from(client.errorBody());
    assertThat(body.getString("error")).isEqualTo(code);
    assertThat(body.getString("message")).isNotBlank();
  }

  private static long seqOf(Frame frame) {
    assertThat(frame.event()).as(frame.toString()).isEqualTo("message");
    return JsonPath.from(frame.data()).getLong("seq");
  }
}
