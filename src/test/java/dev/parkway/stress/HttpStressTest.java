package dev.parkway.stress;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.parkway.testing.EmbeddedParkway;
import jakarta.json.Json;
import jakarta.json.JsonObject;
import jakarta.json.JsonValue;
import java.io.IOException;
import java.io.OutputStream;
import java.io.StringReader;
import java.net.Socket;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Many publishers and cursor-following pollers over real HTTP, with random timeouts and clients that
 * drop their sockets while parked. Every poller must end with every event of its channels exactly once
 * and in order, and nothing may stay parked. Seeded: the seed is printed, and {@code
 * -Dparkway.stress.seed=N} replays a run. Bounded in events and in time; stops by itself.
 */
class HttpStressTest {
  private static final int CHANNELS = 3;
  private static final int PUBLISHERS = 3;
  private static final int EVENTS_PER_PUBLISHER = 200;
  private static final int POLLERS = 8;
  private static final Duration DEADLINE = Duration.ofSeconds(90);

  private static EmbeddedParkway server;
  private static HttpClient http;

  @BeforeAll
  static void start() {
    server =
        EmbeddedParkway.start(EmbeddedParkway.settings("parkway.channel.retention.count", "100000"));
    http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  @Test
  void everyPollerSeesEveryEventOfItsChannelsOnceAndInOrder() throws Exception {
    long seed = Long.getLong("parkway.stress.seed", System.nanoTime());
    System.out.println("HttpStressTest seed: " + seed + " (replay with -Dparkway.stress.seed=" + seed + ")");
    Random seeds = new Random(seed);
    long stopAt = System.nanoTime() + DEADLINE.toNanos();

    ExecutorService pool = Executors.newFixedThreadPool(PUBLISHERS + POLLERS);
    try {
      // Each poller parks first (no `after`: only new events), so it must see everything published later.
      List<Poller> pollers = new ArrayList<>();
      for (int i = 0; i < POLLERS; i++) {
        pollers.add(new Poller(i, new Random(seeds.nextLong()), stopAt));
      }
      for (Poller poller : pollers) {
        poller.cursor = poller.initialCursor();
      }
      Map<String, Long> heads = new ConcurrentHashMap<>();
      List<Future<?>> publishing = new ArrayList<>();
      for (int p = 0; p < PUBLISHERS; p++) {
        Random random = new Random(seeds.nextLong());
        int id = p;
        publishing.add(pool.submit(() -> publish(id, random, heads)));
      }
      List<Future<Map<String, List<Long>>>> polling = new ArrayList<>();
      for (Poller poller : pollers) {
        polling.add(pool.submit(() -> poller.run(heads, publishing)));
      }
      for (Future<?> f : publishing) {
        f.get(DEADLINE.toSeconds(), TimeUnit.SECONDS);
      }
      for (int i = 0; i < POLLERS; i++) {
        Map<String, List<Long>> seen = polling.get(i).get(DEADLINE.toSeconds(), TimeUnit.SECONDS);
        for (String channel : pollers.get(i).channels) {
          long head = heads.getOrDefault(channel, 0L);
          List<Long> expected = new ArrayList<>();
          for (long s = 1; s <= head; s++) {
            expected.add(s);
          }
          assertThat(seen.getOrDefault(channel, List.of()))
              .as("poller %d on %s (seed %d)", i, channel, seed)
              .containsExactlyElementsOf(expected);
        }
      }
      await().atMost(Duration.ofSeconds(10)).until(() -> server.broker().parkedCount() == 0);
    } finally {
      pool.shutdownNow();
    }
  }

  private static void publish(int id, Random random, Map<String, Long> heads) {
    for (int i = 0; i < EVENTS_PER_PUBLISHER; i++) {
      String channel = "stress." + random.nextInt(CHANNELS);
      JsonObject answer = send("POST", "/channels/" + channel, "{\"p\":" + id + ",\"i\":" + i + "}");
      long seq = answer.getJsonNumber("seq").longValue();
      heads.merge(channel, seq, Math::max);
    }
  }

  /** One cursor-following client on a random set of channels, using the wildcard half the time. */
  private final class Poller {
    final int id;
    final Random random;
    final long stopAt;
    final List<String> channels = new ArrayList<>();
    final String query;
    String cursor;

    Poller(int id, Random random, long stopAt) {
      this.id = id;
      this.random = random;
      this.stopAt = stopAt;
      if (random.nextBoolean()) {
        for (int c = 0; c < CHANNELS; c++) {
          channels.add("stress." + c);
        }
        query = "channel=stress.*";
      } else {
        StringBuilder q = new StringBuilder();
        for (int c = 0; c < CHANNELS; c++) {
          if (channels.isEmpty() || random.nextBoolean()) {
            channels.add("stress." + c);
            q.append(q.length() == 0 ? "" : "&").append("channel=stress.").append(c);
          }
        }
        query = q.toString();
      }
    }

    String initialCursor() {
      return send("GET", "/poll?" + query + "&timeout=0", null).getString("cursor");
    }

    Map<String, List<Long>> run(Map<String, Long> heads, List<Future<?>> publishing) throws Exception {
      Map<String, List<Long>> seen = new ConcurrentHashMap<>();
      while (!caughtUp(seen, heads, publishing)) {
        if (System.nanoTime() > stopAt) {
          throw new AssertionError("poller " + id + " did not catch up before the deadline");
        }
        String timeout = random.nextInt(4) == 0 ? "0" : "0." + (5 + random.nextInt(45));
        String path = "/poll?" + query + "&timeout=" + timeout + "&limit=" + (1 + random.nextInt(50))
            + "&after=" + URLEncoder.encode(cursor, StandardCharsets.UTF_8);
        if (random.nextInt(10) == 0) {
          abandon(path); // a client that goes away while parked; it re-polls with the same cursor
          continue;
        }
        JsonObject answer = send("GET", path, null);
        assertThat(answer.containsKey("gaps")).as("no gap expected with ample retention").isFalse();
        for (JsonValue v : answer.getJsonArray("events")) {
          JsonObject event = v.asJsonObject();
          seen.computeIfAbsent(event.getString("channel"), k -> new ArrayList<>())
              .add(event.getJsonNumber("seq").longValue());
        }
        cursor = answer.getString("cursor");
      }
      return seen;
    }

    private boolean caughtUp(Map<String, List<Long>> seen, Map<String, Long> heads, List<Future<?>> pubs) {
      if (!pubs.stream().allMatch(Future::isDone)) {
        return false;
      }
      for (String channel : channels) {
        List<Long> got = seen.getOrDefault(channel, List.of());
        long last = got.isEmpty() ? 0 : got.get(got.size() - 1);
        if (last < heads.getOrDefault(channel, 0L)) {
          return false;
        }
      }
      return true;
    }

    private void abandon(String path) throws IOException {
      try (Socket socket = new Socket("127.0.0.1", server.port())) {
        OutputStream out = socket.getOutputStream();
        out.write(("GET " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
        out.flush();
      }
    }
  }

  private static JsonObject send(String method, String path, String body) {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(URI.create(server.baseUri() + path)).timeout(Duration.ofSeconds(30));
    if (body != null) {
      request.header("Content-Type", "application/json");
      request.method(method, HttpRequest.BodyPublishers.ofString(body));
    } else {
      request.method(method, HttpRequest.BodyPublishers.noBody());
    }
    try {
      HttpResponse<String> response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
      assertThat(response.statusCode()).as("%s %s: %s", method, path, response.body()).isBetween(200, 201);
      return Json.createReader(new StringReader(response.body())).readObject();
    } catch (IOException e) {
      throw new AssertionError(method + " " + path + " failed", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError("interrupted", e);
    }
  }
}
