package dev.parkway.security;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

/**
 * CORS with an allowlist and credentials, in front of token auth: listed origins get their own origin
 * back (never a copy of what was sent), others get no CORS headers, preflights are answered before any
 * credential check, and refusals and parked polls carry the headers too.
 */
class CorsTest extends SecurityTestSupport {
  static final String APP = "https://app.example";
  static final String LOCAL = "http://localhost:3000";
  static final String EVIL = "https://evil.example";

  @Override
  protected Map<String, String> settings() {
    return tokensMode(
        "parkway.cors.origins", APP + "," + LOCAL,
        "parkway.cors.credentials", "true",
        "parkway.cors.max-age", "120");
  }

  HttpResponse<String> from(String origin, String token, String path) {
    return send(as(token, path).header("Origin", origin).GET().build());
  }

  HttpResponse<String> preflight(String origin, String path, String method, String headers) {
    HttpRequest.Builder b = request(path).header("Origin", origin).header("Access-Control-Request-Method", method);
    if (headers != null) {
      b.header("Access-Control-Request-Headers", headers);
    }
    return send(b.method("OPTIONS", HttpRequest.BodyPublishers.noBody()).build());
  }

  static String header(HttpResponse<?> response, String name) {
    return response.headers().firstValue(name).orElse(null);
  }

  static void assertVaryOrigin(HttpResponse<?> response) {
    assertThat(response.headers().allValues("Vary")).anySatisfy(v -> assertThat(v).contains("Origin"));
  }

  @Test
  void allowedOriginGetsItsOriginBackWithVaryAndCredentials() {
    HttpResponse<String> r = from(APP, SUBSCRIBE, "/channels/" + unique("c") + "?timeout=0");
    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(header(r, "Access-Control-Allow-Origin")).isEqualTo(APP);
    assertThat(header(r, "Access-Control-Allow-Credentials")).isEqualTo("true");
    assertThat(header(r, "Access-Control-Expose-Headers")).contains("Retry-After").contains("WWW-Authenticate");
    assertVaryOrigin(r);
    assertThat(header(from(LOCAL, null, "/health"), "Access-Control-Allow-Origin")).isEqualTo(LOCAL);
  }

  @Test
  void disallowedOriginGetsNoCorsHeaders() {
    for (String origin : new String[] {EVIL, "https://app.example.evil.example", "null", APP + ":8443", "http://app.example"}) {
      HttpResponse<String> r = from(origin, SUBSCRIBE, "/channels/" + unique("c") + "?timeout=0");
      assertThat(r.statusCode()).isEqualTo(200); // the server answers; the browser keeps it from the page
      assertThat(header(r, "Access-Control-Allow-Origin")).as(origin).isNull();
      assertThat(header(r, "Access-Control-Allow-Credentials")).as(origin).isNull();
      assertVaryOrigin(r);
    }
  }

  @Test
  void theAllowedOriginIsTheConfiguredOneNeverTheRequestsBytes() {
    HttpResponse<String> r = from("HTTPS://APP.EXAMPLE", null, "/health");
    assertThat(header(r, "Access-Control-Allow-Origin")).isEqualTo(APP);
  }

  @Test
  void preflightIs204WithMethodsHeadersAndMaxAgeWithoutAToken() {
    HttpResponse<String> r = preflight(APP, "/channels/news", "POST", "authorization, content-type, idempotency-key");
    assertThat(r.statusCode()).as(r.body()).isEqualTo(204);
    assertThat(header(r, "Access-Control-Allow-Origin")).isEqualTo(APP);
    assertThat(header(r, "Access-Control-Allow-Credentials")).isEqualTo("true");
    assertThat(header(r, "Access-Control-Allow-Methods")).contains("GET").contains("POST").contains("DELETE");
    assertThat(header(r, "Access-Control-Allow-Headers"))
        .contains("Authorization").contains("Content-Type").contains("Last-Event-ID").contains("Idempotency-Key");
    assertThat(header(r, "Access-Control-Max-Age")).isEqualTo("120");
    assertVaryOrigin(r);
    assertThat(r.body()).isEmpty();
  }

  @Test
  void preflightFromADisallowedOriginIs403WithoutCorsHeaders() {
    HttpResponse<String> r = preflight(EVIL, "/channels/news", "POST", "authorization");
    assertError(r, 403, "origin_not_allowed");
    assertThat(header(r, "Access-Control-Allow-Origin")).isNull();
    assertThat(header(r, "Access-Control-Allow-Methods")).isNull();
  }

  @Test
  void refusalsCarryTheCorsHeadersSoThePageCanReadThem() {
    HttpResponse<String> unauthorized = from(APP, null, "/channels/news?timeout=0");
    assertUnauthorized(unauthorized, false);
    assertThat(header(unauthorized, "Access-Control-Allow-Origin")).isEqualTo(APP);
    // A route's error path resets the response; the CORS headers are set again.
    HttpResponse<String> invalid = from(APP, SUBSCRIBE, "/channels/news?limit=0");
    assertError(invalid, 400, "invalid_limit");
    assertThat(header(invalid, "Access-Control-Allow-Origin")).isEqualTo(APP);
    assertVaryOrigin(invalid);
    HttpResponse<String> forbidden = send(as(SUBSCRIBE, "/channels/news").header("Origin", APP)
        .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString("1")).build());
    assertForbidden(forbidden);
    assertThat(header(forbidden, "Access-Control-Allow-Origin")).isEqualTo(APP);
  }

  @Test
  void parkedPollIsAnsweredThroughTheFilter() {
    String c = unique("parked");
    CompletableFuture<HttpResponse<String>> poll =
        sendAsync(as(SUBSCRIBE, "/channels/" + c + "?timeout=10").header("Origin", APP).GET().build());
    awaitParked(1);
    assertThat(post(PUBLISH, "/channels/" + c, "{\"m\":1}").statusCode()).isEqualTo(201);

    HttpResponse<String> answer = answer(poll);
    assertThat(answer.statusCode()).as(answer.body()).isEqualTo(200);
    assertThat(body(answer).getInt("events[0].data.m")).isEqualTo(1);
    assertThat(header(answer, "Access-Control-Allow-Origin")).isEqualTo(APP);
    assertVaryOrigin(answer);
  }

  @Test
  void staticFilesGetNoCorsHeaders() {
    HttpResponse<String> r = from(APP, null, "/parkway.js");
    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(header(r, "Access-Control-Allow-Origin")).isNull();
  }
}
