package dev.parkway.compat;

import static org.assertj.core.api.Assertions.assertThat;

import dev.parkway.core.Broker;
import jakarta.json.JsonArray;
import jakarta.json.JsonObject;
import jakarta.json.JsonValue;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.OptionalLong;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** golongpoll subscriptions: the answers' exact forms, the selection rule, and categories as channels. */
class GolongpollSubscribeTest extends GolongpollBaseTest {

  /** One event as a golongpoll client sees it. */
  record Seen(long timestamp, String id, JsonValue data) {}

  @Test
  void eventsAnswerIsGolongpollsFormByteForByte() {
    String c = category("shape");
    publish(c, "{\"message\": \"Hello\", \"n\": [1, 2]}");
    publish(c, "\"second\"");

    HttpResponse<String> answer = subscribe("timeout", "5", "category", c, "since_time", "0");
    assertThat(answer.statusCode()).isEqualTo(200);
    assertSubscribeHeaders(answer);
    List<Seen> seen = events(answer);
    Broker broker = server.broker();
    String expected =
        "{\"events\":["
            + "{\"timestamp\":" + seen.get(0).timestamp() + ",\"category\":\"" + c + "\","
            + "\"data\":{\"message\":\"Hello\",\"n\":[1,2]},"
            + "\"id\":\"" + EventIds.of(broker.epoch(), c, 1) + "\"},"
            + "{\"timestamp\":" + seen.get(1).timestamp() + ",\"category\":\"" + c + "\","
            + "\"data\":\"second\","
            + "\"id\":\"" + EventIds.of(broker.epoch(), c, 2) + "\"}"
            + "]}";
    assertThat(answer.body()).isEqualTo(expected);
    assertThat(seen.get(1).timestamp()).isGreaterThanOrEqualTo(seen.get(0).timestamp());
  }

  @Test
  void parkedSubscriptionIsAnsweredByTheNextPublish() {
    String c = category("parked");
    CompletableFuture<HttpResponse<String>> pending = subscribeAsync("timeout", "10", "category", c);
    awaitParked(1);
    publish(c, "{\"k\":\"v\"}");
    HttpResponse<String> answer = answer(pending);
    assertSubscribeHeaders(answer);
    assertThat(events(answer)).extracting(Seen::data).containsExactly(parseJson("{\"k\":\"v\"}"));
  }

  @Test
  void withoutSinceTimeOnlyEventsPublishedAfterTheRequestAreSent() {
    String c = category("only-new");
    publish(c, "\"old\"");
    CompletableFuture<HttpResponse<String>> pending = subscribeAsync("timeout", "10", "category", c);
    awaitParked(1);
    publish(c, "\"new\"");
    assertThat(events(answer(pending))).extracting(Seen::data).containsExactly(parseJson("\"new\""));
  }

  @Test
  void sinceTimeZeroSendsEveryBufferedEventOldestFirst() {
    String c = category("buffered");
    for (int i = 0; i < 5; i++) {
      publish(c, Integer.toString(i));
    }
    assertThat(events(subscribe("timeout", "5", "category", c, "since_time", "0")))
        .extracting(s -> s.data().toString())
        .containsExactly("0", "1", "2", "3", "4");
  }

  @Test
  void timeoutAnswerIsGolongpollsFormWithATimestampFromBeforeTheWait() {
    String c = category("timeout");
    long before = System.currentTimeMillis();
    HttpResponse<String> answer = subscribe("timeout", "1", "category", c);
    long after = System.currentTimeMillis();

    assertThat(answer.statusCode()).isEqualTo(200);
    assertSubscribeHeaders(answer);
    assertThat(answer.body()).matches("\\{\"timeout\":\"no events before timeout\",\"timestamp\":\\d+}");
    long timestamp = json(answer).getJsonNumber("timestamp").longValue();
    // Taken when the poll began reading, not when it gave up: at least the 1 s wait before the answer.
    assertThat(timestamp).isBetween(before, after - 1000);
  }

  @Test
  void afterATimeoutTheGoClientsNextRequestGetsExactlyWhatCameNext() {
    String c = category("after-timeout");
    publish(c, "\"first\"");
    List<Seen> first = events(subscribe("timeout", "5", "category", c, "since_time", "0"));
    long since = first.get(0).timestamp();
    String lastId = first.get(0).id();

    HttpResponse<String> timedOut =
        subscribe("timeout", "1", "category", c, "since_time", Long.toString(since), "last_id", lastId);
    long timestamp = json(timedOut).getJsonNumber("timestamp").longValue();
    since = Math.max(since, timestamp); // the Go client moves since_time forward, keeps last_id

    Broker broker = server.broker();
    long published = broker.publish(c, "\"second\"", null).event().timestamp();
    broker.publish(c, "\"third\"", null);
    assertThat(published).isGreaterThanOrEqualTo(timestamp);
    assertThat(events(subscribe("timeout", "5", "category", c, "since_time", Long.toString(since), "last_id", lastId)))
        .extracting(s -> s.data().toString())
        .containsExactly("\"second\"", "\"third\"");
  }

  @ParameterizedTest
  @ValueSource(strings = {"burst", "burst with spaces/\u00fc"})
  void sinceTimeAndLastIdSelectWhatGolongpollSelects(String hint) {
    String c = category(hint);
    String key = GolongpollCategory.keyOf(c);
    Broker broker = server.broker();
    for (int group = 1; group <= 6; group++) {
      long tick = System.currentTimeMillis();
      for (int i = 0; i < group * group; i++) {
        broker.publish(key, Integer.toString(group * 100 + i), null);
      }
      waitUntil("the clock moves on").until(() -> System.currentTimeMillis() > tick);
    }
    List<Seen> all = events(subscribe("timeout", "5", "category", c, "since_time", "0"));
    assertThat(all).hasSize(91);
    assertThat(all.stream().map(Seen::timestamp).distinct().count())
        .as("some events share a millisecond")
        .isLessThan(all.size());

    String foreign = EventIds.of(broker.epoch(), "another-channel", 1).toString();
    for (Seen e : all) {
      assertSelection(c, all, e.timestamp(), e.id());
      assertSelection(c, all, e.timestamp(), null);
      assertSelection(c, all, e.timestamp(), foreign);
      assertSelection(c, all, e.timestamp(), UUID.randomUUID().toString());
      assertSelection(c, all, e.timestamp() - 1, null);
    }
  }

  /** golongpoll's rule, literally: scan from the newest while newer than since, or equal with another id. */
  static List<Seen> golongpollSelects(List<Seen> all, long since, String lastId) {
    List<Seen> out = new ArrayList<>();
    for (int i = all.size() - 1; i >= 0; i--) {
      Seen e = all.get(i);
      if (e.timestamp() > since || (lastId != null && e.timestamp() == since && !e.id().equals(lastId))) {
        out.add(0, e);
      } else {
        break;
      }
    }
    return out;
  }

  private void assertSelection(String c, List<Seen> all, long since, String lastId) {
    List<Seen> expected = golongpollSelects(all, since, lastId);
    if (expected.isEmpty()) {
      return; // it would park; the timeout tests cover that
    }
    HttpResponse<String> answer =
        lastId == null
            ? subscribe("timeout", "1", "category", c, "since_time", Long.toString(since))
            : subscribe("timeout", "1", "category", c, "since_time", Long.toString(since), "last_id", lastId);
    assertThat(events(answer)).as("since_time=%d last_id=%s", since, lastId).isEqualTo(expected);
  }

  @ParameterizedTest
  @ValueSource(strings = {
      "hello world", "a/b/c", "caf\u00e9 \u2713 \uD83D\uDE00", "q\"b\\s<&>", "tab\tnew\nline\u0001",
      "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx",
      "news.*", "%41"})
  void categoryThatIsNotAChannelNameWorksAndIsEchoedAsGoWritesIt(String category) {
    publish(category, "\"payload\"");
    HttpResponse<String> answer = subscribe("timeout", "5", "category", category, "since_time", "0");
    JsonObject event = json(answer).getJsonArray("events").getJsonObject(0);
    assertThat(event.getString("category")).isEqualTo(category);
    assertThat(answer.body()).contains("\"category\":" + GolongpollWire.string(category) + ",");

    // It lives under an internal key no native client can name.
    String key = "%" + Base64.getUrlEncoder().withoutPadding()
        .encodeToString(category.getBytes(StandardCharsets.UTF_8));
    assertThat(server.broker().stats(key)).isPresent();
    assertThat(server.broker().stats(category)).isEmpty();
  }

  @Test
  void categoryEscapesAreGos() {
    publish("q\"b\\s<&>\t\u2028", "1");
    HttpResponse<String> answer =
        subscribe("timeout", "5", "category", "q\"b\\s<&>\t\u2028", "since_time", "0");
    assertThat(answer.body()).contains("\"category\":\"q\\\"b\\\\s\\u003c\\u0026\\u003e\\t\\u2028\"");
  }

  @Test
  void nonChannelCategoryIsIsolatedFromNativeChannels() {
    String prefix = category("iso");
    // A native pattern poll over prefix.* and an exact poll of prefix.sub.
    CompletableFuture<HttpResponse<String>> pattern =
        http.sendAsync(
            HttpRequest.newBuilder(URI.create(server.baseUri() + "/poll?channel=" + prefix + ".*&timeout=10"))
                .timeout(PATIENCE).build(),
            HttpResponse.BodyHandlers.ofString());
    awaitParked(1);
    publish(prefix + ".sub/x", "\"golongpoll\"");
    publish(prefix + ".sub x", "\"golongpoll\"");
    assertThat(pattern).isNotDone();
    assertThat(server.broker().parkedCount()).isEqualTo(1);

    server.broker().publish(prefix + ".sub", "\"native\"", null);
    JsonObject nativeAnswer = json(answer(pattern));
    assertThat(nativeAnswer.getJsonArray("events")).hasSize(1);
    assertThat(nativeAnswer.getJsonArray("events").getJsonObject(0).getString("data")).isEqualTo("native");
    // and the native event is not in the golongpoll categories
    assertThat(events(subscribe("timeout", "5", "category", prefix + ".sub/x", "since_time", "0"))).hasSize(1);
  }

  @Test
  void categoryThatIsAChannelNameIsThatNativeChannel() {
    String c = category("shared.news");
    // native publish, golongpoll subscriber
    CompletableFuture<HttpResponse<String>> parked = subscribeAsync("timeout", "10", "category", c);
    awaitParked(1);
    HttpResponse<String> nativePublish =
        send(
            HttpRequest.newBuilder(URI.create(server.baseUri() + "/channels/" + c))
                .timeout(PATIENCE)
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"from\":\"native\"}"))
                .build());
    assertThat(nativePublish.statusCode()).isEqualTo(201);
    long nativeTimestamp = json(nativePublish).getJsonNumber("timestamp").longValue();
    List<Seen> got = events(answer(parked));
    assertThat(got).containsExactly(
        new Seen(nativeTimestamp, EventIds.of(server.broker().epoch(), c, 1).toString(), parseJson("{\"from\":\"native\"}")));

    // golongpoll publish, native reader
    publish(c, "{\"from\":\"golongpoll\"}");
    HttpResponse<String> nativeRead = send(get("/channels/" + c + "?after=1&timeout=0"));
    JsonArray nativeEvents = json(nativeRead).getJsonArray("events");
    assertThat(nativeEvents).hasSize(1);
    assertThat(nativeEvents.getJsonObject(0).getJsonNumber("seq").longValue()).isEqualTo(2);
    assertThat(nativeEvents.getJsonObject(0).get("data")).isEqualTo(parseJson("{\"from\":\"golongpoll\"}"));

    // the golongpoll id names the native seq
    List<Seen> both = events(subscribe("timeout", "5", "category", c, "since_time", "0"));
    OptionalLong seq = EventIds.seqOf(server.broker().epoch(), c, UUID.fromString(both.get(1).id()));
    assertThat(seq).hasValue(2);
  }

  @Test
  void idsAreStableAndDistinct() {
    String c = category("ids");
    for (int i = 0; i < 10; i++) {
      publish(c, "1");
    }
    List<Seen> once = events(subscribe("timeout", "5", "category", c, "since_time", "0"));
    List<Seen> again = events(subscribe("timeout", "5", "category", c, "since_time", "0"));
    assertThat(again).isEqualTo(once);
    assertThat(once.stream().map(Seen::id).distinct()).hasSize(10);
  }

  @Test
  void anyMethodSubscribesAsGolongpollDoesNotLookAtIt() {
    String c = category("post-subscribe");
    publish(c, "1");
    HttpResponse<String> answer =
        send(
            HttpRequest.newBuilder(URI.create(server.baseUri() + "/events?" + query(
                    "timeout", "5", "category", c, "since_time", "0")))
                .timeout(PATIENCE)
                .POST(HttpRequest.BodyPublishers.ofString("category=other&timeout=x"))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .build());
    assertSubscribeHeaders(answer);
    assertThat(events(answer)).hasSize(1);
  }

  static List<Seen> events(HttpResponse<String> answer) {
    assertThat(answer.statusCode()).as(answer.body()).isEqualTo(200);
    JsonObject body = json(answer);
    assertThat(body.keySet()).as(answer.body()).containsExactly("events");
    JsonArray array = body.getJsonArray("events");
    assertThat(array).as("never an empty events array").isNotEmpty();
    List<Seen> out = new ArrayList<>();
    for (JsonValue v : array) {
      JsonObject e = v.asJsonObject();
      assertThat(List.copyOf(e.keySet())).containsExactly("timestamp", "category", "data", "id");
      out.add(new Seen(e.getJsonNumber("timestamp").longValue(), e.getString("id"), e.get("data")));
    }
    return out;
  }
}
