package dev.parkway.compat;

import static org.assertj.core.api.Assertions.assertThat;

import dev.parkway.compat.GolongpollSubscribeTest.Seen;
import dev.parkway.core.Broker;
import jakarta.json.JsonObject;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * golongpoll's Go client loop, emulated line by line (client/client.go): it starts with {@code since_time}
 * at its start time in whole seconds, sends {@code last_id} once it has one, takes both from every event,
 * and after a timeout moves {@code since_time} to the answer's timestamp when that is greater, keeping
 * {@code last_id}. Against a publisher that sends bursts (most in one millisecond) while the client is
 * parked, between its requests, and after it has timed out, it must receive every event exactly once, in
 * order.
 */
class GolongpollClientLoopTest extends GolongpollBaseTest {
  private static final int EVENTS = 400;

  @Override
  protected Map<String, String> settings() {
    return Map.of("parkway.poll.limit.max", "5");
  }

  @ParameterizedTest
  @ValueSource(longs = {20251122L, 7L})
  void goClientLoopReceivesEveryEventOnceInOrderWhilePublishingGoesOn(long seed) throws Exception {
    Random random = new Random(seed);
    String c = category("go loop " + seed); // not a channel name: the internal key path
    String key = GolongpollCategory.keyOf(c);
    Broker broker = server.broker();

    List<Seen> received = new CopyOnWriteArrayList<>();
    AtomicInteger timeouts = new AtomicInteger();
    AtomicBoolean stop = new AtomicBoolean();
    ExecutorService clientThread = Executors.newSingleThreadExecutor();
    CompletableFuture<Void> client =
        CompletableFuture.runAsync(() -> goClient(c, received, timeouts, stop), clientThread);
    try {
      waitUntil("the client parks").until(() -> broker.parkedCount() == 1);
      int sent = 0;
      int timeoutWaits = 0;
      while (sent < EVENTS) {
        int burst = Math.min(EVENTS - sent, 1 + random.nextInt(25));
        boolean overHttp = random.nextInt(4) == 0;
        for (int i = 0; i < burst; i++, sent++) {
          if (overHttp) {
            publish(c, Integer.toString(sent));
          } else {
            broker.publish(key, Integer.toString(sent), null);
          }
        }
        int pause = random.nextInt(10);
        if (pause < 4) {
          waitUntil("the client parks again").until(() -> broker.parkedCount() == 1 || client.isDone());
        } else if (pause == 4 && timeoutWaits < 2) {
          timeoutWaits++;
          int seen = timeouts.get();
          waitUntil("the client times out").until(() -> timeouts.get() > seen || client.isDone());
        }
      }
      int total = sent;
      waitUntil("the client has everything").until(() -> received.size() >= total || client.isDone());
      // One more round trip: a repeat would show up now.
      int seen = timeouts.get();
      waitUntil("the client times out once more").until(() -> timeouts.get() > seen || client.isDone());
    } finally {
      stop.set(true);
      clientThread.shutdown();
    }
    client.get(PATIENCE.toSeconds(), TimeUnit.SECONDS);
    assertThat(clientThread.awaitTermination(PATIENCE.toSeconds(), TimeUnit.SECONDS)).isTrue();

    assertThat(received).extracting(s -> s.data().toString())
        .containsExactlyElementsOf(IntStream.range(0, EVENTS).mapToObj(Integer::toString).toList());
    assertThat(timeouts.get()).as("the timeout path was taken").isGreaterThanOrEqualTo(2);
  }

  /** client/client.go's polling loop, with a 1 s poll timeout; bounded, and stops when told to. */
  private void goClient(String c, List<Seen> received, AtomicInteger timeouts, AtomicBoolean stop) {
    long since = System.currentTimeMillis() / 1000 * 1000; // pollSince.Unix() * 1000
    String lastId = "";
    for (int round = 0; round < 10 * EVENTS && !stop.get(); round++) {
      HttpResponse<String> answer =
          lastId.isEmpty()
              ? subscribe("category", c, "since_time", Long.toString(since), "timeout", "1")
              : subscribe("category", c, "since_time", Long.toString(since), "last_id", lastId, "timeout", "1");
      assertThat(answer.statusCode()).as(answer.body()).isEqualTo(200);
      JsonObject body = json(answer);
      if (body.containsKey("events")) {
        for (Seen event : GolongpollSubscribeTest.events(answer)) {
          since = event.timestamp();
          lastId = event.id();
          received.add(event);
        }
      } else {
        assertThat(body.keySet()).as(answer.body()).containsExactly("timeout", "timestamp");
        long timestamp = body.getJsonNumber("timestamp").longValue();
        if (timestamp > since) {
          since = timestamp;
        }
        timeouts.incrementAndGet();
      }
    }
  }
}
