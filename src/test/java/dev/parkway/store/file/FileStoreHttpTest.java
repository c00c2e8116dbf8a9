package dev.parkway.store.file;

import static org.assertj.core.api.Assertions.assertThat;

import dev.parkway.testing.EmbeddedParkway;
import jakarta.json.Json;
import jakarta.json.JsonObject;
import jakarta.json.JsonReader;
import java.io.StringReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code parkway.store=file} through the real web application: Parkway stopped and started again on the
 * same directory answers an old cursor with the events after it and no gap, remembers idempotency keys,
 * and keeps unacknowledged mailbox messages.
 */
class FileStoreHttpTest {
  private static final Duration PATIENCE = Duration.ofSeconds(10);
  private final HttpClient http =
      HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(PATIENCE).build();
  @TempDir Path data;
  private EmbeddedParkway server;

  private EmbeddedParkway start() {
    server = EmbeddedParkway.start(EmbeddedParkway.settings(
        "parkway.store", "file", "parkway.file.dir", data.toString(), "parkway.compat", "none"));
    return server;
  }

  @AfterEach
  void stop() {
    if (server != null) {
      assertThat(server.broker().parkedCount()).isZero();
      server.close();
    }
  }

  @Test
  void aCursorFromBeforeARestartReadsOnWithNoGap() {
    start();
    assertThat(send(get("/health")).statusCode()).isEqualTo(200);
    publish("news", "{\"n\":1}", null, 201);
    publish("news", "{\"n\":2}", null, 201);
    JsonObject first = json(send(get("/channels/news?after=0&timeout=0")));
    String cursor = first.getString("cursor");
    JsonObject third = publish("news", "{\"n\":3}", "once", 201);
    String epoch = server.broker().epoch();
    server.close();

    start();
    assertThat(server.broker().epoch()).isEqualTo(epoch);
    JsonObject after = json(send(get("/channels/news?timeout=0&after=" + cursor)));
    assertThat(after).doesNotContainKey("gap");
    assertThat(after.getJsonArray("events")).hasSize(1);
    assertThat(after.getJsonArray("events").getJsonObject(0).toString())
        .isEqualTo("{\"channel\":\"news\",\"seq\":3,\"timestamp\":" + third.getJsonNumber("timestamp")
            + ",\"data\":{\"n\":3}}");
    JsonObject repeat = publish("news", "{\"n\":3}", "once", 200); // the key outlived the restart
    assertThat(repeat.getInt("seq")).isEqualTo(3);
    assertThat(publish("news", "{\"n\":4}", null, 201).getInt("seq")).isEqualTo(4);
    JsonObject next = json(send(get("/channels/news?timeout=0&after=" + after.getString("cursor"))));
    assertThat(next.getJsonArray("events").getJsonObject(0).getInt("seq")).isEqualTo(4);
  }

  @Test
  void aMailboxKeepsUnacknowledgedMessagesAndForgetsAcknowledgedOnesAcrossARestart() {
    start();
    for (int i = 1; i <= 3; i++) {
      assertThat(send(post("/clients/c1/messages", "{\"m\":" + i + "}", Map.of())).statusCode()).isEqualTo(202);
    }
    JsonObject firstTwo = json(send(get("/clients/c1/messages?timeout=0&limit=2")));
    // Acknowledge the first two by polling with the cursor after them.
    json(send(get("/clients/c1/messages?timeout=0&after=" + firstTwo.getString("cursor"))));
    server.close();

    start();
    JsonObject left = json(send(get("/clients/c1/messages?timeout=0")));
    assertThat(left.getJsonArray("events")).hasSize(1);
    assertThat(left.getJsonArray("events").getJsonObject(0).getInt("seq")).isEqualTo(3);
    assertThat(left).doesNotContainKey("gap");
  }

  private JsonObject publish(String channel, String body, String key, int status) {
    HttpResponse<String> response =
        send(post("/channels/" + channel, body, key == null ? Map.of() : Map.of("Idempotency-Key", key)));
    assertThat(response.statusCode()).as(response.body()).isEqualTo(status);
    return json(response);
  }

  private HttpRequest get(String pathAndQuery) {
    return HttpRequest.newBuilder(URI.create(server.baseUri() + pathAndQuery)).timeout(PATIENCE).build();
  }

  private HttpRequest post(String path, String body, Map<String, String> headers) {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(server.baseUri() + path))
        .timeout(PATIENCE)
        .header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString(body));
    headers.forEach(b::header);
    return b.build();
  }

  private HttpResponse<String> send(HttpRequest request) {
    try {
      return http.send(request, HttpResponse.BodyHandlers.ofString());
    } catch (Exception e) {
      throw new AssertionError(request + " failed", e);
    }
  }

  private static JsonObject json(HttpResponse<String> response) {
    try (JsonReader reader = Json.createReader(new StringReader(response.body()))) {
      return reader.readObject();
    }
  }
}
