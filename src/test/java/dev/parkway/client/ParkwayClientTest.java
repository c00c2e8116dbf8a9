package dev.parkway.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import dev.parkway.testing.EmbeddedParkway;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The Java client against the real webapp on embedded Tomcat. */
class ParkwayClientTest {
  private static final Duration PATIENCE = Duration.ofSeconds(20);
  private static final SubscribeOptions SHORT_POLLS = SubscribeOptions.defaults().withTimeout(Duration.ofMillis(500));
  private static final Backoff QUICK = Backoff.exponential(Duration.ofMillis(20), Duration.ofMillis(200));

  private EmbeddedParkway server;
  private ParkwayClient client;

  private void start(Map<String, String> settings) {
    server = EmbeddedParkway.start(settings);
    client = ParkwayClient.builder(server.baseUri()).backoff(QUICK).build();
  }

  private static Map<String, String> defaults(String... more) {
    Map<String, String> settings = EmbeddedParkway.settings(
        "parkway.poll.timeout.max", "5", "parkway.shutdown.retry-after", "1");
    settings.putAll(EmbeddedParkway.settings(more));
    return settings;
  }

  @AfterEach
  void stop() {
    if (client != null) {
      client.close();
    }
    if (server != null) {
      server.close();
    }
  }

  @Test
  void subscriberReceivesWhatIsPublishedWithItsDataAsRawJson() {
    start(defaults());
    Recorder recorder = new Recorder();
    Subscription sub = client.subscribe(List.of("news"), recorder, SubscribeOptions.defaults().withTimeout(Duration.ofSeconds(5)));
    await().atMost(PATIENCE).until(() -> server.broker().parkedCount() == 1);

    Published first = client.publish("news", "{ \"title\" : \"hello\\u0021\" }");
    Published second = client.publish("news", "[1, 2.50, \"x\"]");

    await().atMost(PATIENCE).until(() -> recorder.events.size() == 2);
    assertThat(first.seq()).isEqualTo(1);
    assertThat(first.subscribers()).isEqualTo(1);
    assertThat(first.repeated()).isFalse();
    assertThat(recorder.events.get(0)).isEqualTo(new Event("news", null, 1, first.timestamp(), "{\"title\":\"hello!\"}"));
    assertThat(recorder.events.get(0).field("title")).isEqualTo("hello!");
    assertThat(recorder.events.get(1).seq()).isEqualTo(second.seq());
    assertThat(recorder.events.get(1).dataJson()).isEqualTo("[1,2.50,\"x\"]");
    assertThat(recorder.gaps).isEmpty();
    assertThat(recorder.errors).isEmpty();
    await().atMost(PATIENCE).until(() -> sub.cursor() != null);
  }

  @Test
  void patternSubscriptionCoversSeveralChannels() {
    start(defaults());
    Recorder recorder = new Recorder();
    client.subscribe(List.of("weather", "scores.*"), recorder, SHORT_POLLS);
    await().atMost(PATIENCE).until(() -> server.broker().parkedCount() == 1);

    client.publish("scores.football", "1");
    client.publish("weather", "\"rain\"");
    client.publish("scores", "\"not under scores.*\"");
    client.publish("scores.tennis", "2");

    await().atMost(PATIENCE).until(() -> recorder.events.size() == 3);
    assertThat(recorder.events).extracting(Event::channel).containsExactlyInAnyOrder("scores.football", "weather", "scores.tennis");
  }

  @Test
  void publishWithTheSameIdempotencyKeyIsARepeat() {
    start(defaults());
    Published first = client.publish("orders", "{\"id\": 7}", "order-7");
    Published again = client.publish("orders", "{\"id\":7}", "order-7");
    assertThat(again.seq()).isEqualTo(first.seq());
    assertThat(again.timestamp()).isEqualTo(first.timestamp());
    assertThat(again.repeated()).isTrue();
    assertThatThrownBy(() -> client.publish("orders", "{\"id\": 8}", "order-7"))
        .isInstanceOfSatisfying(ParkwayException.class, e -> {
          assertThat(e.status()).isEqualTo(422);
          assertThat(e.error()).isEqualTo("idempotency_key_reused");
          assertThat(e.retryable()).isFalse();
        });
    assertThatThrownBy(() -> client.publish("orders", "{not json"))
        .isInstanceOfSatisfying(ParkwayException.class, e -> assertThat(e.error()).isEqualTo("invalid_json"));
    assertThatThrownBy(() -> client.publish("bad name", "1")).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void resumingFromAStaleCursorReportsTheGapThenDeliversWhatRetentionKept() {
    start(defaults("parkway.channel.retention.count", "3"));
    client.publish("ticks", "1");
    Recorder before = new Recorder();
    Subscription first = client.subscribe(List.of("ticks"), before, SubscribeOptions.fromOldest().withTimeout(Duration.ofMillis(500)));
    await().atMost(PATIENCE).until(() -> before.events.size() == 1 && first.cursor() != null);
    first.close();
    String saved = first.cursor();

    for (int i = 2; i <= 6; i++) {
      client.publish("ticks", Integer.toString(i));
    }
    Recorder after = new Recorder();
    Subscription resumed = client.subscribe(List.of("ticks"), after, SubscribeOptions.after(saved).withTimeout(Duration.ofMillis(500)));

    await().atMost(PATIENCE).until(() -> after.events.size() == 3);
    assertThat(after.gaps).containsExactly(new Gap("ticks", null, 2, 4));
    assertThat(after.seqs()).containsExactly(4L, 5L, 6L);
    assertThat(after.events).extracting(Event::dataJson).containsExactly("4", "5", "6");
    assertThat(resumed.cursor()).isNotEqualTo(saved);
  }

  @Test
  void subscriptionSurvivesAServerRestartReportsTheGapAndGoesOn() {
    start(defaults());
    int port = server.port();
    Recorder recorder = new Recorder();
    client.subscribe(List.of("news"), recorder, SHORT_POLLS);
    await().atMost(PATIENCE).until(() -> server.broker().parkedCount() == 1);
    client.publish("news", "\"one\"");
    client.publish("news", "\"two\"");
    await().atMost(PATIENCE).until(() -> recorder.events.size() == 2);

    server.close();
    server = null;
    await().atMost(PATIENCE).until(() -> !recorder.errors.isEmpty()); // it is retrying meanwhile
    server = EmbeddedParkway.start("127.0.0.1", port, defaults());

    await().atMost(PATIENCE).until(() -> recorder.gaps.size() == 1);
    assertThat(recorder.gaps.get(0)).isEqualTo(new Gap("news", null, 3, 1));
    assertThat(recorder.gaps.get(0).restarted()).isTrue();
    client.publish("news", "\"after the restart\"");
    await().atMost(PATIENCE).until(() -> recorder.events.size() == 3);
    assertThat(recorder.events.get(2).seq()).isEqualTo(1);
    assertThat(recorder.events.get(2).dataString()).isEqualTo("after the restart");
    assertThat(recorder.gaps).hasSize(1);
    assertThat(recorder.closedCalls).hasValue(0);
  }

  @Test
  void closeCancelsTheParkedPollAndEndsTheThread() {
    start(defaults());
    Recorder recorder = new Recorder();
    Subscription sub = client.subscribe(List.of("quiet"), recorder, SubscribeOptions.defaults().withTimeout(Duration.ofSeconds(5)));
    await().atMost(PATIENCE).until(() -> server.broker().parkedCount() == 1);
    client.publish("quiet", "1");
    await().atMost(PATIENCE).until(() -> recorder.events.size() == 1 && server.broker().parkedCount() == 1);
    Thread thread = recorder.thread.get();

    assertTimeoutPreemptively(Duration.ofSeconds(4), sub::close); // well under the 5 s poll

    assertThat(thread.isAlive()).isFalse();
    assertThat(sub.isRunning()).isFalse();
    assertThat(recorder.closedCalls).hasValue(1);
    assertThat(recorder.closedCause.get()).isNull();
    assertThat(recorder.errors).isEmpty();
    client.publish("quiet", "2");
    assertThat(recorder.events).hasSize(1);
  }

  @Test
  void aCursorTheServerRefusesEndsTheSubscription() {
    start(defaults());
    Recorder recorder = new Recorder();
    Subscription sub = client.subscribe(List.of("a", "b"), recorder, SubscribeOptions.after("5").withTimeout(Duration.ofMillis(500)));
    await().atMost(PATIENCE).until(() -> recorder.closedCalls.get() == 1);
    assertThat(recorder.closedCause.get())
        .isInstanceOfSatisfying(ParkwayException.class, e -> {
          assertThat(e.status()).isEqualTo(400);
          assertThat(e.error()).isEqualTo("invalid_cursor");
        });
    await().atMost(PATIENCE).until(() -> !sub.isRunning());
  }

  @Test
  void aNewerPollWithTheSameClientIdSupersedesTheSubscription() {
    start(defaults());
    Recorder older = new Recorder();
    SubscribeOptions options = SubscribeOptions.defaults().withTimeout(Duration.ofSeconds(5)).withClientId("tab-1");
    client.subscribe(List.of("news"), older, options);
    await().atMost(PATIENCE).until(() -> server.broker().parkedCount() == 1);
    Recorder newer = new Recorder();
    client.subscribe(List.of("news"), newer, options);
    await().atMost(PATIENCE).until(() -> older.closedCalls.get() == 1);
    assertThat(older.superseded).hasValue(1);
    assertThat(older.closedCause.get()).isNull();
    client.publish("news", "1");
    await().atMost(PATIENCE).until(() -> newer.events.size() == 1);
    assertThat(older.events).isEmpty();
  }

  @Test
  void mailboxDeliversAgainWhenTheListenerThrows() {
    start(defaults());
    client.send("alice", "\"hi\"");
    client.send("alice", "\"are you there?\"");
    Recorder recorder = new Recorder() {
      private boolean failed;

      @Override
      public void onEvent(Event event) throws Exception {
        super.onEvent(event);
        if (!failed) {
          failed = true;
          throw new IllegalStateException("listener crashed");
        }
      }
    };
    client.mailbox("alice", recorder, SHORT_POLLS);
    await().atMost(PATIENCE).until(() -> recorder.events.size() == 3);
    assertThat(recorder.seqs()).containsExactly(1L, 1L, 2L);
    assertThat(recorder.events.get(0).client()).isEqualTo("alice");
    assertThat(recorder.events.get(0).isMessage()).isTrue();
    assertThat(recorder.errors).singleElement().satisfies(e -> assertThat(e).hasMessage("listener crashed"));
  }

  @Test
  void mailboxAcknowledgesWhatTheListenerHandled() throws Exception {
    start(defaults());
    Sent sent = client.send("bob", "{\"text\": \"hi\"}");
    assertThat(sent.waiting()).isFalse();
    assertThat(unacknowledged("bob")).contains("\"seq\":1");
    Recorder recorder = new Recorder();
    client.mailbox("bob", recorder, SubscribeOptions.defaults().withTimeout(Duration.ofSeconds(5)));
    await().atMost(PATIENCE).until(() -> recorder.events.size() == 1);

    // the next poll carried the cursor back, so the server deleted the message
    await().atMost(PATIENCE).until(() -> unacknowledged("bob").contains("\"events\":[]"));
    Sent later = client.send("bob", "\"later\"");
    assertThat(later.waiting()).isTrue();
    await().atMost(PATIENCE).until(() -> recorder.events.size() == 2);
    assertThat(recorder.events.get(1).dataString()).isEqualTo("later");
    assertThat(recorder.seqs()).containsExactly(1L, 2L);
  }

  /** A poll that answers at once (so it supersedes no one) and acknowledges nothing. */
  private String unacknowledged(String id) throws Exception {
    java.net.http.HttpClient http = java.net.http.HttpClient.newBuilder().version(java.net.http.HttpClient.Version.HTTP_1_1).build();
    return http.send(
            java.net.http.HttpRequest.newBuilder(java.net.URI.create(server.baseUri() + "/clients/" + id + "/messages?timeout=0")).build(),
            java.net.http.HttpResponse.BodyHandlers.ofString())
        .body();
  }

  @Test
  void closingAMailboxAcknowledgesTheLastMessagesHandled() {
    start(defaults());
    client.send("carol", "1");
    Recorder recorder = new Recorder();
    Subscription first = client.mailbox("carol", recorder, SubscribeOptions.defaults().withTimeout(Duration.ofSeconds(5)));
    await().atMost(PATIENCE).until(() -> recorder.events.size() == 1);
    first.close();

    client.send("carol", "2");
    Recorder again = new Recorder();
    client.mailbox("carol", again, SHORT_POLLS);
    await().atMost(PATIENCE).until(() -> again.events.size() == 1);
    assertThat(again.seqs()).containsExactly(2L);
  }
}
