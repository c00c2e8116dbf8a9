package dev.parkway.direct;

import static org.assertj.core.api.Assertions.assertThat;

import dev.parkway.testing.ParkwayHttpSupport;
import dev.parkway.testing.RawHttp;
import io.restassured.path.json.JsonPath;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpHeaders;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;

/**
 * Base of the direct port's tests: {@link ParkwayHttpSupport}'s server (the real webapp on embedded
 * Tomcat) started with {@code parkway.direct.port=-1} on 127.0.0.1, so every test can talk to both ports
 * of one Parkway; requests to the direct port, by {@code java.net.http} or over a raw socket; and the
 * assertions every answer of the API must pass there too.
 *
 * <p>The servlet port's helpers ({@link #request}, {@link #getNow}, {@link #publishCreated}) stay aimed at
 * the servlet port; the ones named {@code direct...} at the direct port. Not thread-safe beyond what the
 * HTTP client is.
 */
abstract class DirectTestSupport extends ParkwayHttpSupport {

  /** The settings of this class's server besides the direct port's own. */
  protected Map<String, String> moreSettings() {
    return Map.of();
  }

  @Override
  protected final Map<String, String> settings() {
    Map<String, String> all = new LinkedHashMap<>();
    all.put("parkway.direct.port", "-1");
    all.put("parkway.direct.address", "127.0.0.1");
    all.putAll(moreSettings());
    return all;
  }

  int directPort() {
    return server.directPort();
  }

  /** A request to the direct port, bounded by {@link #patience()}; {@code pathAndQuery} starts with '/'. */
  HttpRequest.Builder direct(String pathAndQuery) {
    return HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + directPort() + pathAndQuery))
        .timeout(patience());
  }

  HttpResponse<String> directGet(String pathAndQuery) {
    return send(direct(pathAndQuery).GET().build());
  }

  CompletableFuture<HttpResponse<String>> directGetAsync(String pathAndQuery) {
    return sendAsync(direct(pathAndQuery).GET().build());
  }

  /** {@code POST path} of {@code json} as {@code application/json}, to the direct port. */
  HttpResponse<String> directPost(String path, String json) {
    return send(direct(path)
        .header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString(json))
        .build());
  }

  /** Publishes through the direct port and returns the new seq, asserting a 201. */
  long directPublish(String channel, String json) {
    HttpResponse<String> response = directPost("/channels/" + channel, json);
    assertThat(response.statusCode()).as(response.body()).isEqualTo(201);
    assertCommonHeaders(response.headers());
    return body(response).getLong("seq");
  }

  /** A raw connection to the direct port; reads give up after {@link #patience()}. */
  RawHttp raw() {
    try {
      return new RawHttp(directPort(), patience());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Sends {@code request} exactly as written on a connection of its own, and reads one answer. */
  RawHttp.Response rawOnce(String request) {
    try (RawHttp raw = raw()) {
      return raw.send(request).read();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** A {@code GET} of {@code target} exactly as written (java.net.http refuses some targets). */
  RawHttp.Response directRawGet(String target, String... headerLines) {
    StringBuilder request = new StringBuilder("GET " + target + " HTTP/1.1\r\nHost: 127.0.0.1\r\n");
    for (String line : headerLines) {
      request.append(line).append("\r\n");
    }
    return rawOnce(request.append("\r\n").toString());
  }

  /**
   * The head of {@code POST /channels/{channel}} of JSON over a raw socket, with {@code headerLines} (its
   * framing: {@code Content-Length: n}, {@code Transfer-Encoding: chunked}, ...); the body follows.
   */
  static String postHead(String channel, String... headerLines) {
    StringBuilder head = new StringBuilder(
        "POST /channels/" + channel + " HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n");
    for (String line : headerLines) {
      head.append(line).append("\r\n");
    }
    return head.append("\r\n").toString();
  }

  /** The headers every answer of the API carries, on either port. */
  static void assertCommonHeaders(HttpHeaders headers) {
    assertThat(headers.firstValue("Cache-Control")).hasValue("no-store");
    assertThat(headers.firstValue("X-Content-Type-Options")).hasValue("nosniff");
    assertThat(headers.firstValue("Content-Type"))
        .hasValueSatisfying(type -> assertThat(type).startsWith("application/json"));
  }

  /** The API's JSON error: status, code, a message, nothing else, and the common headers. */
  static JsonPath assertError(HttpResponse<String> response, int status, String code) {
    assertThat(response.statusCode()).as(response.body()).isEqualTo(status);
    assertCommonHeaders(response.headers());
    return assertErrorBody(response.body(), code);
  }

  /** {@link #assertError(HttpResponse, int, String)} for an answer read over a raw socket. */
  static JsonPath assertError(RawHttp.Response response, int status, String code) {
    assertThat(response.status()).as(response.body()).isEqualTo(status);
    assertThat(response.headers()).containsEntry("cache-control", "no-store");
    assertThat(response.headers().get("content-type")).startsWith("application/json");
    assertThat(response.headers().get("content-length"))
        .isEqualTo(Integer.toString(response.body().getBytes(java.nio.charset.StandardCharsets.UTF_8).length));
    return assertErrorBody(response.body(), code);
  }

  private static JsonPath assertErrorBody(String text, String code) {
    JsonPath body = body(text);
    assertThat(body.getString("error")).as(text).isEqualTo(code);
    assertThat(body.getString("message")).as(text).isNotBlank();
    assertThat(body.getMap("").keySet()).as(text).isEqualTo(Set.of("error", "message"));
    return body;
  }
}
