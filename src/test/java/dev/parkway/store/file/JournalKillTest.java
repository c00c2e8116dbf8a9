package dev.parkway.store.file;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.parkway.testing.EmbeddedParkway;
import jakarta.json.Json;
import jakarta.json.JsonArray;
import jakarta.json.JsonObject;
import jakarta.json.JsonReader;
import jakarta.json.JsonValue;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.StringReader;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code kill -9} in the middle of a stream of publishes: every publish that was answered 201 before the
 * kill is there after a restart on the same directory, in order, with its seq and data; the epoch is the
 * same; and a cursor taken before the kill reads on with no gap.
 */
class JournalKillTest {
  private static final int ACKS_BEFORE_KILL = 2_000;
  private static final Duration PATIENCE = Duration.ofSeconds(60);

  @TempDir Path tmp;
  private Process child;
  private Path childErr;

  record Ack(String channel, long seq, String data) {}

  @AfterEach
  void stopChild() {
    if (child != null && child.isAlive()) {
      child.destroyForcibly();
    }
  }

  @Test
  void everyAcknowledgedPublishSurvivesAKillNineWithItsSeqAndTheEpoch() throws Exception {
    Path data = tmp.resolve("data");
    childErr = tmp.resolve("child-stderr.txt");
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    child = new ProcessBuilder(
            java, "-Xmx256m", "-cp", System.getProperty("java.class.path"),
            "-Djava.util.logging.config.file=src/test/resources/logging.properties",
            CrashingPublisher.class.getName(), data.toString())
        .redirectError(childErr.toFile())
        .start();
    AtomicReference<String> epoch = new AtomicReference<>();
    AtomicReference<String> cursor = new AtomicReference<>();
    List<Ack> acks = new CopyOnWriteArrayList<>();
    Thread reader = new Thread(() -> readLines(epoch, cursor, acks), "kill-test-stdout");
    reader.start();

    await("2,000 acknowledged publishes (child stderr in " + childErr + ")")
        .atMost(PATIENCE)
        .until(() -> acks.size() >= ACKS_BEFORE_KILL || !child.isAlive());
    assertThat(child.isAlive()).as("the publisher is still running; its stderr: %s", stderr()).isTrue();
    child.destroyForcibly(); // SIGKILL: no shutdown hook, no final fsync, no close
    assertThat(child.waitFor(30, TimeUnit.SECONDS)).isTrue();
    reader.join(TimeUnit.SECONDS.toMillis(30));
    assertThat(acks.size()).isGreaterThanOrEqualTo(ACKS_BEFORE_KILL);

    try (EmbeddedParkway server = EmbeddedParkway.start(CrashingPublisher.settings(data.toString()))) {
      assertThat(server.broker().epoch()).isEqualTo(epoch.get());
      HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
      Map<String, Map<Long, String>> stored = new HashMap<>();
      for (int t = 0; t < CrashingPublisher.CHANNELS; t++) {
        String channel = CrashingPublisher.channel(t);
        JsonArray events = get(http, server, "/channels/" + channel + "?after=0&timeout=0&limit=100000")
            .getJsonArray("events");
        assertThat(events).as("%s has events", channel).isNotEmpty();
        Map<Long, String> bySeq = new HashMap<>();
        for (int k = 0; k < events.size(); k++) {
          JsonObject e = events.getJsonObject(k);
          assertThat(e.getJsonNumber("seq").longValue()).as("%s holds a run from 1", channel).isEqualTo(k + 1L);
          bySeq.put(k + 1L, e.get("data").toString());
        }
        stored.put(channel, bySeq);
      }
      for (Ack ack : acks) {
        assertThat(stored.get(ack.channel()).get(ack.seq()))
            .as("acknowledged %s %d", ack.channel(), ack.seq())
            .isEqualTo(ack.data());
      }
      // The cursor from before the kill: no gap, and every channel goes on right after its first event.
      StringBuilder poll = new StringBuilder("/poll?timeout=0&limit=100000&after=" + cursor.get());
      for (int t = 0; t < CrashingPublisher.CHANNELS; t++) {
        poll.append("&channel=").append(CrashingPublisher.channel(t));
      }
      JsonObject after = get(http, server, poll.toString());
      assertThat(after).doesNotContainKeys("gap", "gaps");
      Map<String, List<Long>> seqs = new HashMap<>();
      for (JsonValue v : after.getJsonArray("events")) {
        JsonObject e = v.asJsonObject();
        seqs.computeIfAbsent(e.getString("channel"), c -> new ArrayList<>()).add(e.getJsonNumber("seq").longValue());
      }
      for (int t = 0; t < CrashingPublisher.CHANNELS; t++) {
        String channel = CrashingPublisher.channel(t);
        assertThat(seqs.get(channel)).first().isEqualTo(2L);
        assertThat(seqs.get(channel)).hasSize(stored.get(channel).size() - 1);
      }
      assertThat(server.broker().parkedCount()).isZero();
    }
  }

  private static JsonObject get(HttpClient http, EmbeddedParkway server, String pathAndQuery) throws Exception {
    HttpResponse<String> response = http.send(
        HttpRequest.newBuilder(URI.create(server.baseUri() + pathAndQuery)).timeout(PATIENCE).build(),
        HttpResponse.BodyHandlers.ofString());
    assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
    try (JsonReader reader = Json.createReader(new StringReader(response.body()))) {
      return reader.readObject();
    }
  }

  private void readLines(AtomicReference<String> epoch, AtomicReference<String> cursor, List<Ack> acks) {
    try (BufferedReader in = new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8))) {
      String line;
      while ((line = in.readLine()) != null) {
        String[] parts = line.split(" ", 4);
        switch (parts[0]) {
          case "EPOCH" -> epoch.set(parts[1]);
          case "CURSOR" -> cursor.set(parts[1]);
          case "ACK" -> {
            if (parts.length == 4) { // a line cut by the kill is not an acknowledgement we can check
              acks.add(new Ack(parts[1], Long.parseLong(parts[2]), parts[3]));
            }
          }
          default -> { }
        }
      }
    } catch (IOException e) {
      // the child was killed mid-line: what was read stands
    }
  }

  private String stderr() {
    try {
      return Files.exists(childErr) ? Files.readString(childErr) : "";
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
