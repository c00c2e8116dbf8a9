package dev.parkway.compat;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.parkway.core.Broker;
import dev.parkway.testing.EmbeddedParkway;
import jakarta.json.Json;
import jakarta.json.JsonObject;
import jakarta.json.JsonReader;
import jakarta.json.JsonValue;
import java.io.IOException;
import java.io.StringReader;
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
import java.util.StringJoiner;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.awaitility.core.ConditionFactory;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.TestInstance;

/**
 * Base of the golongpoll route's HTTP tests: one embedded Parkway per class, a {@link HttpClient} for
 * golongpoll's two requests, and the rule that every test leaves no poll parked. Abstract, so JUnit runs
 * only its subclasses. Tests in one class share the server, so each uses its own categories ({@link
 * #category}).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class GolongpollBaseTest {
  static final Duration PATIENCE = Duration.ofSeconds(15);
  private static final AtomicInteger NAMES = new AtomicInteger();

  protected EmbeddedParkway server;
  protected HttpClient http;

  /** The context init-params the class's server starts with. */
  protected Map<String, String> settings() {
    return Map.of();
  }

  /** The golongpoll route's path prefix in {@link #settings()}. */
  protected String prefix() {
    return "";
  }

  @BeforeAll
  void startServer() {
    server = EmbeddedParkway.start(settings());
    http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(PATIENCE).build();
  }

  @AfterAll
  void stopServer() {
    if (server != null) {
      server.close();
    }
  }

  @AfterEach
  void parkedPollsDrain() {
    if (server != null && server.available()) {
      Broker broker = server.broker();
      waitUntil("parked polls drain").until(() -> broker.parkedCount() == 0);
    }
  }

  static ConditionFactory waitUntil(String alias) {
    return await(alias).pollDelay(Duration.ZERO).pollInterval(Duration.ofMillis(2)).atMost(PATIENCE);
  }

  /** A category (also a valid channel name) no other test of this JVM uses. */
  static String category(String hint) {
    return hint + "-" + NAMES.incrementAndGet();
  }

  // ---- requests ----

  /** {@code GET /events?<query>} with the pairs given, each value %-encoded as the Go client does. */
  HttpResponse<String> subscribe(String... pairs) {
    return send(subscribeRequest(pairs));
  }

  CompletableFuture<HttpResponse<String>> subscribeAsync(String... pairs) {
    return http.sendAsync(subscribeRequest(pairs), HttpResponse.BodyHandlers.ofString());
  }

  HttpRequest subscribeRequest(String... pairs) {
    return get("/events?" + query(pairs));
  }

  HttpRequest get(String pathAndQuery) {
    return HttpRequest.newBuilder(URI.create(server.baseUri() + prefix() + pathAndQuery))
        .timeout(PATIENCE)
        .GET()
        .build();
  }

  static String query(String... pairs) {
    StringJoiner q = new StringJoiner("&");
    for (int i = 0; i < pairs.length; i += 2) {
      q.add(URLEncoder.encode(pairs[i], StandardCharsets.UTF_8) + "="
          + URLEncoder.encode(pairs[i + 1], StandardCharsets.UTF_8));
    }
    return q.toString();
  }

  /** {@code POST /publish} of {@code {"category": category, "data": dataJson}}, asserting success. */
  void publish(String category, String dataJson) {
    HttpResponse<String> response =
        publishBody("{\"category\":" + GolongpollWire.string(category) + ",\"data\":" + dataJson + "}");
    assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
    assertThat(response.body()).isEqualTo("{\"success\": true}");
  }

  /** {@code POST /publish} of a raw body with {@code Content-Type: application/json}. */
  HttpResponse<String> publishBody(String body) {
    return send(
        HttpRequest.newBuilder(URI.create(server.baseUri() + prefix() + "/publish"))
            .timeout(PATIENCE)
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(body))
            .build());
  }

  HttpResponse<String> send(HttpRequest request) {
    try {
      return http.send(request, HttpResponse.BodyHandlers.ofString());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  static HttpResponse<String> answer(CompletableFuture<HttpResponse<String>> pending) {
    return pending.orTimeout(PATIENCE.toSeconds(), TimeUnit.SECONDS).join();
  }

  void awaitParked(int n) {
    Broker broker = server.broker();
    waitUntil("parked polls = " + n).until(() -> broker.parkedCount() == n);
  }

  /** An answer read off a raw socket: status, headers (lower-case names), body. */
  record Raw(int status, Map<String, String> headers, String body) {}

  /**
   * {@code GET} sent over a plain socket exactly as written, for request targets java.net.http refuses to
   * send (a malformed %-escape). One request, then the connection closes.
   */
  Raw rawGet(String pathAndQuery) {
    try (Socket socket = new Socket()) {
      socket.connect(new InetSocketAddress("127.0.0.1", server.port()), (int) PATIENCE.toMillis());
      socket.setSoTimeout((int) PATIENCE.toMillis());
      String request = "GET " + prefix() + pathAndQuery + " HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n";
      socket.getOutputStream().write(request.getBytes(StandardCharsets.ISO_8859_1));
      socket.getOutputStream().flush();
      String text = new String(socket.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      int end = text.indexOf("\r\n\r\n");
      String[] lines = text.substring(0, end).split("\r\n");
      Map<String, String> headers = new java.util.LinkedHashMap<>();
      for (int i = 1; i < lines.length; i++) {
        int colon = lines[i].indexOf(':');
        headers.put(lines[i].substring(0, colon).trim().toLowerCase(java.util.Locale.ROOT), lines[i].substring(colon + 1).trim());
      }
      return new Raw(Integer.parseInt(lines[0].split(" ")[1]), headers, text.substring(end + 4));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  // ---- answers ----

  /** The headers golongpoll's subscription handler puts on every answer, exactly. */
  static void assertSubscribeHeaders(HttpResponse<?> response) {
    assertThat(response.headers().firstValue("Content-Type")).hasValue("application/json");
    assertThat(response.headers().firstValue("X-Content-Type-Options")).hasValue("nosniff");
    assertThat(response.headers().firstValue("Cache-Control")).hasValue("no-cache, no-store, must-revalidate");
    assertThat(response.headers().firstValue("Pragma")).hasValue("no-cache");
    assertThat(response.headers().firstValue("Expires")).hasValue("0");
  }

  /** The headers golongpoll's publish handler puts on every answer, exactly. */
  static void assertPublishHeaders(HttpResponse<?> response) {
    assertThat(response.headers().firstValue("Content-Type")).hasValue("application/json");
    assertThat(response.headers().firstValue("X-Content-Type-Options")).hasValue("nosniff");
  }

  /** Asserts a subscription refusal: 200, the subscribe headers, and exactly {@code {"error": "<message>"}}. */
  static void assertSubscribeError(HttpResponse<String> response, String message) {
    assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
    assertSubscribeHeaders(response);
    assertThat(response.body()).isEqualTo("{\"error\": \"" + message + "\"}");
  }

  static JsonObject json(HttpResponse<String> response) {
    return json(response.body());
  }

  static JsonObject json(String body) {
    return parse(body).asJsonObject();
  }

  static JsonValue parse(String text) {
    try (JsonReader reader = Json.createReader(new StringReader(text))) {
      return reader.readValue();
    }
  }
}
