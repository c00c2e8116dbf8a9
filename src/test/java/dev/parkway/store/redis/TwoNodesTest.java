package dev.parkway.store.redis;

import static org.assertj.core.api.Assertions.assertThat;

import dev.parkway.testing.EmbeddedParkway;
import dev.parkway.testing.ParkwayHttpSupport;
import io.restassured.path.json.JsonPath;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import redis.clients.jedis.Protocol;
import redis.clients.jedis.RedisClient;

/**
 * Two Parkway nodes (two embedded Tomcats, each with the real {@code webapp/}) on one Redis, as behind a
 * load balancer: a client may publish on one and poll the other, and every node must serve the same
 * channels, in the same order, with cursors valid on both.
 */
class TwoNodesTest extends ParkwayHttpSupport {
  private static final Duration LONG = Duration.ofSeconds(60);
  @RegisterExtension static final LocalRedis REDIS = LocalRedis.perClass();
  /** The second node; {@link #server} is the first. */
  private EmbeddedParkway other;

  @Override
  protected Map<String, String> settings() {
    return REDIS.nodeSettings("parkway.redis.prefix", "two:");
  }

  @BeforeAll
  void startSecondNode() {
    other = EmbeddedParkway.start(settings());
  }

  @AfterAll
  void stopSecondNode() {
    if (other != null) {
      other.close();
    }
  }

  @AfterEach
  void otherNodesPollsDrain() {
    waitUntil("parked polls drain on the second node").until(() -> other.broker().parkedCount() == 0);
  }

  private HttpRequest on(EmbeddedParkway node, String pathAndQuery) {
    return HttpRequest.newBuilder(URI.create(node.baseUri() + pathAndQuery)).timeout(LONG).GET().build();
  }

  private HttpResponse<String> publishOn(EmbeddedParkway node, String channel, String json) {
    HttpResponse<String> response =
        send(
            HttpRequest.newBuilder(URI.create(node.baseUri() + "/channels/" + channel))
                .timeout(LONG)
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(json))
                .build());
    assertThat(response.statusCode()).as(response.body()).isEqualTo(201);
    return response;
  }

  @Test
  void aPollParkedOnOneNodeAnswersAPublishMadeOnTheOther() {
    String channel = unique("cross");
    CompletableFuture<HttpResponse<String>> parked =
        sendAsync(on(other, "/channels/" + channel + "?timeout=30"));
    waitUntil("parked on the second node").until(() -> other.broker().parkedCount() == 1);

    publishOn(server, channel, "{\"from\":\"first\"}");

    HttpResponse<String> answer = answer(parked);
    assertThat(answer.statusCode()).isEqualTo(200);
    JsonPath body = body(answer);
    assertThat(body.getList("events.seq", Long.class)).containsExactly(1L);
    assertThat(body.getString("events[0].data.from")).isEqualTo("first");
  }

  /**
   * The second node's subscription is cut and kept from coming back (an ACL refuses SUBSCRIBE), so the
   * notice of a publish on the first node never reaches it: its parked poll stays parked and its health is
   * 503. Once SUBSCRIBE is allowed again the node resubscribes and wakes every waiter to re-read, which
   * delivers the missed event.
   */
  @Test
  void aPublishWhoseNoticeWasMissedIsDeliveredOnceTheSubscriptionIsBack() {
    String channel = unique("missed");
    CompletableFuture<HttpResponse<String>> parked =
        sendAsync(on(other, "/channels/" + channel + "?timeout=30"));
    waitUntil("parked on the second node").until(() -> other.broker().parkedCount() == 1);
    try (RedisClient admin = REDIS.client()) {
      try {
        admin.sendCommand(Protocol.Command.ACL, "SETUSER", "default", "-subscribe");
        admin.sendCommand(Protocol.Command.CLIENT, "KILL", "TYPE", "pubsub");
        waitUntil("second node reports its lost subscription")
            .until(() -> send(on(other, "/health")).statusCode() == 503);

        publishOn(server, channel, "\"while away\"");
        assertThat(parked).isNotDone();
        assertThat(other.broker().parkedCount()).isEqualTo(1);
      } finally {
        admin.sendCommand(Protocol.Command.ACL, "SETUSER", "default", "+subscribe");
      }
    }
    HttpResponse<String> answer = answer(parked);
    assertThat(answer.statusCode()).isEqualTo(200);
    assertThat(body(answer).getList("events.data", String.class)).containsExactly("while away");
    waitUntil("both nodes healthy").until(() -> send(on(server, "/health")).statusCode() == 200
        && send(on(other, "/health")).statusCode() == 200);
  }

  @Test
  void aCursorFromOneNodeIsValidOnTheOther() {
    String channel = unique("cursor");
    for (int i = 1; i <= 3; i++) {
      publishOn(server, channel, Integer.toString(i));
    }
    JsonPath first = body(send(on(server, "/channels/" + channel + "?after=0&timeout=0")));
    assertThat(first.getList("events.data", Integer.class)).containsExactly(1, 2, 3);
    publishOn(other, channel, "4");

    String cursor = first.getString("cursor");
    JsonPath second = body(send(on(other, "/channels/" + channel + "?after=" + cursor + "&timeout=0")));
    assertThat(second.getList("events.data", Integer.class)).containsExactly(4);
    assertThat(second.getList("events.seq", Long.class)).containsExactly(4L);
    assertThat(second.getMap("gap")).isNull();
  }

  @Test
  void deletingOnOneNodeEndsPollsParkedOnTheOther() {
    String channel = unique("doomed");
    publishOn(server, channel, "1");
    CompletableFuture<HttpResponse<String>> parked =
        sendAsync(on(other, "/channels/" + channel + "?timeout=30"));
    waitUntil("parked on the second node").until(() -> other.broker().parkedCount() == 1);

    HttpResponse<String> deleted =
        send(HttpRequest.newBuilder(URI.create(server.baseUri() + "/channels/" + channel)).DELETE().build());
    assertThat(deleted.statusCode()).isEqualTo(204);

    HttpResponse<String> answer = answer(parked);
    assertThat(answer.statusCode()).isEqualTo(410);
    assertThat(body(answer).getString("error")).isEqualTo("channel_deleted");
  }

  @Test
  void aMessageSentOnOneNodeReachesItsClientPollingTheOther() {
    String client = unique("bob");
    CompletableFuture<HttpResponse<String>> parked =
        sendAsync(on(other, "/clients/" + client + "/messages?timeout=30"));
    waitUntil("parked on the second node").until(() -> other.broker().parkedCount() == 1);

    HttpResponse<String> sent =
        send(
            HttpRequest.newBuilder(URI.create(server.baseUri() + "/clients/" + client + "/messages"))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("\"hello\""))
                .build());
    assertThat(sent.statusCode()).isEqualTo(202);

    HttpResponse<String> answer = answer(parked);
    assertThat(answer.statusCode()).isEqualTo(200);
    assertThat(body(answer).getList("events.data", String.class)).containsExactly("hello");
  }

  /**
   * 2 publishers on each node, 200 events each, spread over 3 channels; a cursor-following subscriber on
   * each node covering the 3 channels. Both subscribers must see, per channel, the very same (seq, data)
   * list: seqs 1..n with no hole and no repeat, every acknowledged event once, each publisher's events in
   * the order it published them.
   */
  @Test
  void concurrentPublishersOnBothNodesAndSubscribersOnBothSeeOneOrder() throws Exception {
    String run = unique("order");
    List<String> channels = List.of(run + ".a", run + ".b", run + ".c");
    int perPublisher = 200;
    int publishers = 4;
    Map<String, Integer> expected = new LinkedHashMap<>();
    channels.forEach(c -> expected.put(c, 0));
    for (int i = 0; i < perPublisher; i++) {
      expected.merge(channels.get(i % 3), publishers, Integer::sum);
    }
    List<Throwable> failures = new CopyOnWriteArrayList<>();
    CountDownLatch go = new CountDownLatch(1);

    List<Subscriber> subscribers =
        List.of(new Subscriber(server, channels, expected), new Subscriber(other, channels, expected));
    List<Thread> threads = new ArrayList<>();
    for (Subscriber s : subscribers) {
      threads.add(new Thread(() -> s.follow(failures), "subscriber"));
    }
    for (int p = 0; p < publishers; p++) {
      EmbeddedParkway node = p % 2 == 0 ? server : other;
      String name = "p" + p;
      threads.add(new Thread(() -> {
        try {
          go.await();
          for (int i = 0; i < perPublisher; i++) {
            publishOn(node, channels.get(i % 3), "\"" + name + ":" + i + "\"");
          }
        } catch (Throwable e) {
          failures.add(e);
        }
      }, "publisher-" + p));
    }
    threads.forEach(Thread::start);
    go.countDown();
    for (Thread t : threads) {
      t.join(LONG.toMillis());
    }
    assertThat(failures).isEmpty();

    for (String channel : channels) {
      List<String> seen = subscribers.get(0).seen.get(channel);
      assertThat(subscribers.get(1).seen.get(channel)).as(channel + " on both nodes").isEqualTo(seen);
      assertThat(seen).hasSize(expected.get(channel));
      Set<String> data = new HashSet<>();
      for (int k = 0; k < seen.size(); k++) {
        String[] seqAndData = seen.get(k).split(" ", 2);
        assertThat(Long.parseLong(seqAndData[0])).isEqualTo(k + 1L);
        assertThat(data.add(seqAndData[1])).as("repeated " + seqAndData[1]).isTrue();
      }
      for (int p = 0; p < publishers; p++) {
        String tag = "\"p" + p + ":";
        List<Integer> order = seen.stream()
            .map(s -> s.split(" ", 2)[1])
            .filter(d -> d.startsWith(tag))
            .map(d -> Integer.parseInt(d.substring(tag.length(), d.length() - 1)))
            .toList();
        assertThat(order).as("publisher p" + p + " on " + channel).isSorted();
      }
    }
  }

  /** Follows a cursor over the channels on one node until it has every expected event. */
  private final class Subscriber {
    private final EmbeddedParkway node;
    private final List<String> channels;
    private final Map<String, Integer> expected;
    final Map<String, List<String>> seen = new LinkedHashMap<>();

    Subscriber(EmbeddedParkway node, List<String> channels, Map<String, Integer> expected) {
      this.node = node;
      this.channels = channels;
      this.expected = expected;
      channels.forEach(c -> seen.put(c, Collections.synchronizedList(new ArrayList<>())));
    }

    void follow(List<Throwable> failures) {
      String query = "/poll?" + String.join("&", channels.stream().map(c -> "channel=" + c).toList());
      String after = "0";
      long deadline = System.nanoTime() + LONG.toNanos();
      try {
        while (!complete() && System.nanoTime() < deadline) {
          HttpResponse<String> response = send(on(node, query + "&after=" + after + "&timeout=5&limit=50"));
          assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
          JsonPath body = body(response);
          assertThat(body.getList("gaps")).as("gaps").isNullOrEmpty();
          // Three list reads, not one GPath expression per event: each expression costs milliseconds.
          List<String> names = body.getList("events.channel", String.class);
          List<Long> seqs = body.getList("events.seq", Long.class);
          List<String> data = body.getList("events.data", String.class);
          for (int i = 0; i < names.size(); i++) {
            seen.get(names.get(i)).add(seqs.get(i) + " \"" + data.get(i) + "\"");
          }
          after = body.getString("cursor");
        }
      } catch (Throwable e) {
        failures.add(e);
      }
    }

    private boolean complete() {
      return channels.stream().allMatch(c -> seen.get(c).size() >= expected.get(c));
    }
  }
}
