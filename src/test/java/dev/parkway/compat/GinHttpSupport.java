package dev.parkway.compat;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.parkway.core.Broker;
import dev.parkway.testing.EmbeddedParkway;
import io.restassured.path.json.JsonPath;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
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
import org.junit.jupiter.api.TestInstance;

/**
 * Base of the HTTP tests of the gin, node, chat and mailbox routes (in the style of the native API's
 * {@code HttpTestSupport}): one embedded Parkway per test class, started from the real {@code webapp/}
 * with the class's settings; a {@link HttpClient} for requests that stay parked while the test goes on;
 * and the rule that every test leaves no poll parked behind.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class GinHttpSupport {
  /** Upper bound for anything awaited; generous so a slow machine does not flake. */
  static final Duration PATIENCE = Duration.ofSeconds(10);

  private static final AtomicInteger NAMES = new AtomicInteger();

  protected EmbeddedParkway server;
  protected HttpClient http;

  /** The context init-params the class's server starts with. */
  protected Map<String, String> settings() {
    return Map.of();
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

  /** A client id (or channel name) no other test of this JVM uses. */
  static String unique(String hint) {
    return hint + "-" + NAMES.incrementAndGet();
  }

  /** Waits until exactly {@code n} polls are parked. */
  void awaitParked(int n) {
    Broker broker = server.broker();
    waitUntil("parked polls = " + n).until(() -> broker.parkedCount() == n);
  }

  HttpRequest get(String pathAndQuery) {
    return HttpRequest.newBuilder(URI.create(server.baseUri() + pathAndQuery)).timeout(PATIENCE).GET().build();
  }

  HttpRequest postJson(String path, String json) {
    return HttpRequest.newBuilder(URI.create(server.baseUri() + path))
        .timeout(PATIENCE)
        .header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString(json))
        .build();
  }

  CompletableFuture<HttpResponse<String>> getAsync(String pathAndQuery) {
    return http.sendAsync(get(pathAndQuery), HttpResponse.BodyHandlers.ofString());
  }

  HttpResponse<String> getNow(String pathAndQuery) {
    return send(get(pathAndQuery));
  }

  HttpResponse<String> post(String path, String json) {
    return send(postJson(path, json));
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

  /** A response read off a raw socket: status line's code, the head as text, and the body. */
  record Raw(int status, String head, String body) {}

  /**
   * A {@code GET} sent over a plain socket, for targets the JDK client refuses to send ({@code %ZZ});
   * the server closes the connection after answering.
   */
  Raw rawGet(String target) {
    try (Socket socket = new Socket()) {
      socket.connect(new InetSocketAddress("127.0.0.1", server.port()), (int) PATIENCE.toMillis());
      socket.setSoTimeout((int) PATIENCE.toMillis());
      socket.getOutputStream().write(("GET " + target + " HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n")
          .getBytes(StandardCharsets.US_ASCII));
      String text = new String(socket.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      int split = text.indexOf("\r\n\r\n");
      return new Raw(Integer.parseInt(text.substring(9, 12)), text.substring(0, split), text.substring(split + 4));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The answer to a request sent with {@link #getAsync}, within {@link #PATIENCE}. */
  static HttpResponse<String> answer(CompletableFuture<HttpResponse<String>> pending) {
    return pending.orTimeout(PATIENCE.toSeconds(), TimeUnit.SECONDS).join();
  }

  static JsonPath body(HttpResponse<String> response) {
    return JsonPath.from(response.body());
  }

  static JsonPath body(String json) {
    return JsonPath.from(json);
  }

  /** Asserts the status and the headers every Parkway JSON answer carries, then returns the response. */
  static HttpResponse<String> assertJson(HttpResponse<String> response, int status) {
    assertThat(response.statusCode()).as(response.body()).isEqualTo(status);
    assertThat(response.headers().firstValue("Cache-Control")).hasValue("no-store");
    assertThat(response.headers().firstValue("X-Content-Type-Options")).hasValue("nosniff");
    assertThat(response.headers().firstValue("Content-Type")).hasValue("application/json;charset=UTF-8");
    return response;
  }

  /** Asserts a native-style error: status, headers, and a body of exactly {"error": code, "message": ..}. */
  static void assertError(HttpResponse<String> response, int status, String code) {
    assertJson(response, status);
    JsonPath body = body(response);
    assertThat(body.getMap("$")).containsOnlyKeys("error", "message");
    assertThat(body.getString("error")).isEqualTo(code);
    assertThat(body.getString("message")).isNotBlank();
  }
}
