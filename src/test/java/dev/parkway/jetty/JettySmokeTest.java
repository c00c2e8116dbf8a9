package dev.parkway.jetty;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.parkway.core.Broker;
import io.restassured.path.json.JsonPath;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.awaitility.core.ConditionFactory;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * The WAR's core HTTP behaviours on Jetty 12 (ee10), deployed unchanged from {@code webapp/}: publish,
 * parked polls woken by publish, timeout, delete and shutdown; multi-channel polls with a wildcard; a
 * mailbox; an SSE stream; the golongpoll routes; error JSON. One server for the class (shutdown tests
 * start their own); every test leaves no poll parked.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class JettySmokeTest {
  private static final Duration PATIENCE = Duration.ofSeconds(10);
  private static final int BODY_MAX = 1024;
  private static final AtomicInteger NAMES = new AtomicInteger();

  private JettyParkway server;
  private HttpClient http;

  @BeforeAll
  void startServer() {
    server = JettyParkway.start(Map.of("parkway.body.max", Integer.toString(BODY_MAX), "parkway.sse.heartbeat", "0.2"));
    http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(PATIENCE).build();
  }

  @AfterAll
  void stopServer() {
    if (server != null) {
      server.close();
    }
  }

  @AfterEach
  void parkedPollsAndStreamsDrain() {
    Broker broker = server.broker();
    waitUntil("parked polls drain").until(() -> broker.parkedCount() == 0);
    waitUntil("streams close").until(() -> broker.watcherCount() == 0);
  }

  @Test
  void publishAnswers201WithSeqAndTimestamp() {
    String c = unique("publish");
    HttpResponse<String> first = send(server, postJson("/channels/" + c, "{\"n\":1}"));
    HttpResponse<String> second = send(server, postJson("/channels/" + c, "\"two\""));

    assertThat(first.statusCode()).as(first.body()).isEqualTo(201);
    assertThat(first.headers().firstValue("Content-Type")).hasValueSatisfying(v -> assertThat(v).startsWith("application/json"));
    JsonPath body = JsonPath.from(first.body());
    assertThat(body.getString("channel")).isEqualTo(c);
    assertThat(body.getLong("seq")).isEqualTo(1);
    assertThat(body.getLong("timestamp")).isPositive();
    assertThat(body.getInt("subscribers")).isZero();
    assertThat(JsonPath.from(second.body()).getLong("seq")).isEqualTo(2);
  }

  @Test
  void parkedPollIsAnsweredByAPublish() {
    String c = unique("parked");
    CompletableFuture<HttpResponse<String>> poll = getAsync("/channels/" + c + "?timeout=10");
    awaitParked(1);

    HttpResponse<String> published = send(server, postJson("/channels/" + c, "{\"hello\":\"jetty\"}"));
    assertThat(JsonPath.from(published.body()).getInt("subscribers")).isEqualTo(1);

    HttpResponse<String> answer = answer(poll);
    assertThat(answer.statusCode()).as(answer.body()).isEqualTo(200);
    assertPollHeaders(answer);
    JsonPath body = JsonPath.from(answer.body());
    assertThat(body.getList("events")).hasSize(1);
    assertThat(body.getString("events[0].channel")).isEqualTo(c);
    assertThat(body.getLong("events[0].seq")).isEqualTo(1);
    assertThat(body.getString("events[0].data.hello")).isEqualTo("jetty");
    assertThat(body.getString("cursor")).isNotBlank();
  }

  @Test
  void pollTimeoutAnswersNoEventsWithTheCursorUnchanged() {
    String c = unique("timeout");
    String cursor = JsonPath.from(getNow("/channels/" + c + "?timeout=0").body()).getString("cursor");

    HttpResponse<String> answer = getNow("/channels/" + c + "?timeout=0.3&after=" + encode(cursor));

    assertThat(answer.statusCode()).as(answer.body()).isEqualTo(200);
    assertPollHeaders(answer);
    JsonPath body = JsonPath.from(answer.body());
    assertThat(body.getList("events")).isEmpty();
    assertThat(body.getString("cursor")).isEqualTo(cursor);
    assertThat(body.getBoolean("timeout")).isTrue();
  }

  @Test
  void multiChannelPollWithAWildcardWakesForAChannelCreatedLater() {
    String prefix = unique("multi");
    String other = unique("other");
    CompletableFuture<HttpResponse<String>> poll =
        getAsync("/poll?channel=" + other + "&channel=" + prefix + ".*&timeout=10");
    awaitParked(1);

    publishCreated(prefix + ".room.7", "{\"m\":7}");

    HttpResponse<String> answer = answer(poll);
    assertThat(answer.statusCode()).as(answer.body()).isEqualTo(200);
    assertPollHeaders(answer);
    JsonPath body = JsonPath.from(answer.body());
    assertThat(body.getList("events")).hasSize(1);
    assertThat(body.getString("events[0].channel")).isEqualTo(prefix + ".room.7");
    assertThat(body.getInt("events[0].data.m")).isEqualTo(7);
    assertThat(body.getString("cursor")).isNotBlank();
  }

  @Test
  void deletingAChannelAnswersItsParkedPoll410() {
    String c = unique("delete");
    publishCreated(c, "1");
    CompletableFuture<HttpResponse<String>> poll = getAsync("/channels/" + c + "?timeout=10");
    awaitParked(1);

    HttpResponse<String> deleted = send(server, request("/channels/" + c).DELETE().build());
    assertThat(deleted.statusCode()).as(deleted.body()).isEqualTo(204);

    HttpResponse<String> answer = answer(poll);
    assertThat(answer.statusCode()).as(answer.body()).isEqualTo(410);
    assertThat(JsonPath.from(answer.body()).getString("error")).isEqualTo("channel_deleted");
    assertThat(JsonPath.from(answer.body()).getString("message")).isNotBlank();
  }

  @Test
  void mailboxMessageQueuedForAnAbsentClientIsDeliveredAndAcknowledged() {
    String id = unique("client");
    HttpResponse<String> sent = send(server, postJson("/clients/" + id + "/messages", "{\"to\":\"you\"}"));
    assertThat(sent.statusCode()).as(sent.body()).isEqualTo(202);
    assertThat(JsonPath.from(sent.body()).getBoolean("waiting")).isFalse();

    HttpResponse<String> first = getNow("/clients/" + id + "/messages?timeout=5");
    assertThat(first.statusCode()).as(first.body()).isEqualTo(200);
    JsonPath body = JsonPath.from(first.body());
    assertThat(body.getList("events")).hasSize(1);
    assertThat(body.getString("events[0].data.to")).isEqualTo("you");

    // Polling after the cursor acknowledges the message; the next parked poll is woken by a new one.
    CompletableFuture<HttpResponse<String>> next =
        getAsync("/clients/" + id + "/messages?timeout=10&after=" + encode(body.getString("cursor")));
    awaitParked(1);
    HttpResponse<String> waiting = send(server, postJson("/clients/" + id + "/messages", "2"));
    assertThat(JsonPath.from(waiting.body()).getBoolean("waiting")).isTrue();
    JsonPath second = JsonPath.from(answer(next).body());
    assertThat(second.getList("events")).hasSize(1);
    assertThat(second.getInt("events[0].data")).isEqualTo(2);
  }

  @Test
  void sseStreamReceivesAMessageFrame() throws IOException {
    String c = unique("sse");
    try (Socket socket = new Socket()) {
      socket.connect(new InetSocketAddress("127.0.0.1", server.port()), (int) PATIENCE.toMillis());
      socket.setSoTimeout((int) PATIENCE.toMillis());
      socket
          .getOutputStream()
          .write(("GET /channels/" + c + "/stream HTTP/1.1\r\nHost: 127.0.0.1\r\nAccept: text/event-stream\r\n\r\n")
              .getBytes(StandardCharsets.ISO_8859_1));
      socket.getOutputStream().flush();
      InputStream in = socket.getInputStream();
      String head = readUntil(in, "\r\n\r\n");
      assertThat(head).startsWith("HTTP/1.1 200");
      assertThat(head.toLowerCase()).contains("content-type: text/event-stream").contains("x-accel-buffering: no");
      readUntil(in, ": open");
      waitUntil("stream registered").until(() -> server.broker().watcherCount() == 1);

      publishCreated(c, "{\"sse\":true}");

      String frames = readUntil(in, "\"sse\":true}");
      assertThat(frames).contains("event: message");
      assertThat(frames).contains("data: {\"channel\":\"" + c + "\",\"seq\":1,");
    }
  }

  @Test
  void golongpollSubscribeIsAnsweredByAPublish() {
    String category = unique("golongpoll");
    CompletableFuture<HttpResponse<String>> poll = getAsync("/events?timeout=10&category=" + category);
    awaitParked(1);

    HttpResponse<String> published =
        send(server, postJson("/publish", "{\"category\":\"" + category + "\",\"data\":{\"go\":1}}"));
    assertThat(published.statusCode()).as(published.body()).isEqualTo(200);
    // golongpoll's own bytes, space included.
    assertThat(published.body()).isEqualTo("{\"success\": true}");

    HttpResponse<String> answer = answer(poll);
    assertThat(answer.statusCode()).as(answer.body()).isEqualTo(200);
    JsonPath body = JsonPath.from(answer.body());
    assertThat(body.getList("events")).hasSize(1);
    assertThat(body.getString("events[0].category")).isEqualTo(category);
    assertThat(body.getInt("events[0].data.go")).isEqualTo(1);
    assertThat(body.getString("events[0].id")).isNotBlank();
    assertThat(body.getLong("events[0].timestamp")).isPositive();
  }

  @Test
  void aBadChannelNameIs400InvalidChannelJson() {
    HttpResponse<String> answer = getNow("/channels/bad!name?timeout=0");

    assertError(answer, 400, "invalid_channel");
  }

  @Test
  void aBodyOverTheLimitIs413() {
    String c = unique("big");
    HttpResponse<String> answer = send(server, postJson("/channels/" + c, "\"" + "x".repeat(BODY_MAX + 10) + "\""));

    assertError(answer, 413, "body_too_large");
    assertThat(getNow("/channels/" + c + "?after=0&timeout=0").body()).contains("\"events\":[]");
  }

  @Test
  void aPathOutsideTheApiIs404Json() {
    assertError(getNow("/no-such-route"), 404, "not_found");
  }

  @Test
  void undeployingTheWebappAnswersAParkedPoll503ShuttingDown() {
    try (JettyParkway own = JettyParkway.start(Map.of())) {
      Broker broker = own.broker();
      CompletableFuture<HttpResponse<String>> poll = getAsync(own, "/channels/stop?timeout=30");
      waitUntil("poll parked").until(() -> broker.parkedCount() == 1);

      own.undeploy();

      assertShuttingDown(answer(poll));
      assertThat(broker.parkedCount()).isZero();
    }
  }

  @Test
  // Server.stop() closes Jetty's connections before it stops the web app; the parked poll is told in
  // its AsyncListener.onError, where PollListener answers 503 shutting_down while the connection still
  // carries an answer (it was an empty 200 before).
  void stoppingJettyAnswersAParkedPoll503ShuttingDown() {
    JettyParkway own = JettyParkway.start(Map.of());
    Broker broker = own.broker();
    CompletableFuture<HttpResponse<String>> poll;
    try {
      poll = getAsync(own, "/channels/stop?timeout=30");
      waitUntil("poll parked").until(() -> broker.parkedCount() == 1);
    } finally {
      own.close();
    }

    assertThat(broker.parkedCount()).isZero();
    assertShuttingDown(answer(poll));
  }

  // ---- helpers ----

  private static void assertShuttingDown(HttpResponse<String> answer) {
    assertThat(answer.statusCode()).as(answer.headers().map() + " " + answer.body()).isEqualTo(503);
    assertPollHeaders(answer);
    JsonPath body = JsonPath.from(answer.body());
    assertThat(body.getString("error")).isEqualTo("shutting_down");
    assertThat(body.getString("message")).isNotBlank();
    assertThat(answer.headers().firstValue("Retry-After")).isPresent();
  }

  private static void assertError(HttpResponse<String> answer, int status, String code) {
    assertThat(answer.statusCode()).as(answer.body()).isEqualTo(status);
    assertThat(answer.headers().firstValue("Content-Type")).hasValueSatisfying(v -> assertThat(v).startsWith("application/json"));
    JsonPath body = JsonPath.from(answer.body());
    assertThat(body.getString("error")).isEqualTo(code);
    assertThat(body.getString("message")).isNotBlank();
  }

  private static void assertPollHeaders(HttpResponse<String> answer) {
    assertThat(answer.headers().firstValue("Cache-Control")).hasValue("no-store");
    assertThat(answer.headers().firstValue("X-Content-Type-Options")).hasValue("nosniff");
  }

  private void awaitParked(int n) {
    Broker broker = server.broker();
    waitUntil("parked polls = " + n).until(() -> broker.parkedCount() == n);
  }

  private static ConditionFactory waitUntil(String alias) {
    return await(alias).pollDelay(Duration.ZERO).pollInterval(Duration.ofMillis(2)).atMost(PATIENCE);
  }

  private static String unique(String hint) {
    return hint + "-" + NAMES.incrementAndGet();
  }

  private static String encode(String value) {
    return URLEncoder.encode(value, StandardCharsets.UTF_8);
  }

  private HttpRequest.Builder request(String pathAndQuery) {
    return request(server, pathAndQuery);
  }

  private static HttpRequest.Builder request(JettyParkway target, String pathAndQuery) {
    return HttpRequest.newBuilder(URI.create(target.baseUri() + pathAndQuery)).timeout(PATIENCE);
  }

  private HttpRequest postJson(String path, String json) {
    return request(path).header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(json)).build();
  }

  private void publishCreated(String channel, String json) {
    HttpResponse<String> response = send(server, postJson("/channels/" + channel, json));
    assertThat(response.statusCode()).as(response.body()).isEqualTo(201);
  }

  private HttpResponse<String> getNow(String pathAndQuery) {
    return send(server, request(pathAndQuery).GET().build());
  }

  private CompletableFuture<HttpResponse<String>> getAsync(String pathAndQuery) {
    return getAsync(server, pathAndQuery);
  }

  private CompletableFuture<HttpResponse<String>> getAsync(JettyParkway target, String pathAndQuery) {
    return http.sendAsync(request(target, pathAndQuery).GET().build(), HttpResponse.BodyHandlers.ofString());
  }

  private HttpResponse<String> send(JettyParkway target, HttpRequest request) {
    try {
      return http.send(request, HttpResponse.BodyHandlers.ofString());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  private static HttpResponse<String> answer(CompletableFuture<HttpResponse<String>> pending) {
    return pending.orTimeout(PATIENCE.toSeconds(), TimeUnit.SECONDS).join();
  }

  /** Reads bytes until {@code marker} has arrived (bounded by the socket's read timeout); returns them. */
  private static String readUntil(InputStream in, String marker) throws IOException {
    ByteArrayOutputStream seen = new ByteArrayOutputStream();
    while (!seen.toString(StandardCharsets.UTF_8).contains(marker)) {
      int b = in.read();
      if (b < 0) {
        throw new IOException("stream ended before " + marker + ": " + seen.toString(StandardCharsets.UTF_8));
      }
      seen.write(b);
    }
    return seen.toString(StandardCharsets.UTF_8);
  }
}
