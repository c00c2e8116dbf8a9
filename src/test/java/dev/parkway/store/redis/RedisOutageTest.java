package dev.parkway.store.redis;

import static org.assertj.core.api.Assertions.assertThat;

import dev.parkway.testing.ParkwayHttpSupport;
import io.restassured.path.json.JsonPath;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Redis stops while publishers are running, then comes back on the same port: the outage is visible
 * (503 {@code store_unavailable} with {@code Retry-After} on publishes and reads, {@code /health} 503),
 * nothing acknowledged with 201 is lost, a poll parked before the outage stays parked through it and is
 * answered by a publish after it, and everything recovers without restarting Parkway.
 */
class RedisOutageTest extends ParkwayHttpSupport {
  private static final Duration RECOVERY = Duration.ofSeconds(30);
  @RegisterExtension static final LocalRedis REDIS = LocalRedis.perClass();

  @Override
  protected Map<String, String> settings() {
    return REDIS.nodeSettings(
        "parkway.redis.timeout", "1", "parkway.channel.retention.count", "1000000");
  }

  @Override
  protected Duration patience() {
    return RECOVERY;
  }

  /** Publishes numbered events to one channel until told to stop, recording every answer. */
  private final class Publisher implements Runnable {
    final String channel;
    final String name;
    final AtomicBoolean stop = new AtomicBoolean();
    final AtomicInteger created = new AtomicInteger();
    final AtomicInteger refused = new AtomicInteger();
    /** data -> seq of every event answered 201. */
    final Map<String, Long> acknowledged = new ConcurrentHashMap<>();
    final List<String> wrong = new CopyOnWriteArrayList<>();

    Publisher(String channel, String name) {
      this.channel = channel;
      this.name = name;
    }

    @Override
    public void run() {
      for (int i = 0; i < 20_000 && !stop.get(); i++) {
        String data = "\"" + name + ":" + i + "\"";
        HttpResponse<String> response;
        try {
          response = send(postJson("/channels/" + channel, data));
        } catch (RuntimeException e) {
          wrong.add("no answer: " + e);
          continue;
        }
        if (response.statusCode() == 201) {
          acknowledged.put(data, body(response).getLong("seq"));
          created.incrementAndGet();
        } else if (response.statusCode() == 503
            && body(response).getString("error").equals("store_unavailable")
            && response.headers().firstValue("Retry-After").isPresent()) {
          refused.incrementAndGet();
        } else {
          wrong.add(response.statusCode() + " " + response.body());
        }
      }
    }
  }

  @Test
  void anOutageIsVisibleLosesNothingAcknowledgedAndHealsItself() throws Exception {
    String channel = unique("load");
    String quiet = unique("quiet");
    CompletableFuture<HttpResponse<String>> parked = getAsync("/channels/" + quiet + "?timeout=100");
    awaitParked(1);

    List<Publisher> publishers = List.of(new Publisher(channel, "p0"), new Publisher(channel, "p1"));
    List<Thread> threads = new ArrayList<>();
    for (Publisher p : publishers) {
      Thread t = new Thread(p, "publisher-" + p.name);
      t.start();
      threads.add(t);
    }
    waitUntil("publishing").until(() -> publishers.stream().allMatch(p -> p.created.get() >= 20));

    REDIS.stop();
    waitUntil("publishes refused").until(() -> publishers.stream().allMatch(p -> p.refused.get() >= 5));
    waitUntil("health reports the store", RECOVERY)
        .until(() -> getNow("/health").statusCode() == 503);
    JsonPath health = body(getNow("/health"));
    assertThat(health.getString("error")).isEqualTo("store_unavailable");
    HttpResponse<String> read = getNow("/channels/" + channel + "?after=0&timeout=0");
    assertThat(read.statusCode()).isEqualTo(503);
    assertThat(body(read).getString("error")).isEqualTo("store_unavailable");
    assertThat(server.broker().parkedCount()).as("the poll parked before the outage").isEqualTo(1);

    REDIS.restart();
    waitUntil("health recovers", RECOVERY).until(() -> getNow("/health").statusCode() == 200);
    int before = publishers.stream().mapToInt(p -> p.created.get()).sum();
    waitUntil("publishing again", RECOVERY)
        .until(() -> publishers.stream().mapToInt(p -> p.created.get()).sum() >= before + 40);
    publishers.forEach(p -> p.stop.set(true));
    for (Thread t : threads) {
      t.join(RECOVERY.toMillis());
    }
    assertThat(server.broker().parkedCount()).as("still parked after the outage").isEqualTo(1);

    publishCreated(quiet, "\"after the outage\"");
    HttpResponse<String> answer = answer(parked, RECOVERY);
    assertThat(answer.statusCode()).isEqualTo(200);
    assertThat(body(answer).getList("events.data", String.class)).containsExactly("after the outage");

    for (Publisher p : publishers) {
      assertThat(p.wrong).as(p.name + ": answers other than 201 or 503 store_unavailable").isEmpty();
    }
    // Everything acknowledged is there, at the seq its 201 named, and the seqs have no hole.
    Map<Long, String> stored = readAll(channel);
    assertThat(stored.keySet()).containsExactlyElementsOf(
        java.util.stream.LongStream.rangeClosed(1, stored.size()).boxed().toList());
    for (Publisher p : publishers) {
      p.acknowledged.forEach((data, seq) -> assertThat(stored.get(seq)).as("seq " + seq).isEqualTo(data));
    }
  }

  /** Every retained event of the channel, seq to data (as JSON text), following {@code more}. */
  private Map<Long, String> readAll(String channel) {
    Map<Long, String> stored = new java.util.LinkedHashMap<>();
    String after = "0";
    boolean more = true;
    while (more) {
      JsonPath page = body(getNow("/channels/" + channel + "?after=" + after + "&timeout=0&limit=1000"));
      List<Long> seqs = page.getList("events.seq", Long.class);
      List<String> data = page.getList("events.data", String.class);
      for (int i = 0; i < seqs.size(); i++) {
        stored.put(seqs.get(i), "\"" + data.get(i) + "\"");
      }
      after = page.getString("cursor");
      more = Boolean.TRUE.equals(page.get("more"));
    }
    return stored;
  }
}
