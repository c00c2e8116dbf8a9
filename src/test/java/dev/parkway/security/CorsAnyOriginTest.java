package dev.parkway.security;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * {@code parkway.cors.origins=*} together with one listed origin and credentials: any origin may read
 * answers, but credentials go only to the listed one, and never with {@code *}.
 */
class CorsAnyOriginTest extends SecurityTestSupport {
  @Override
  protected Map<String, String> settings() {
    return Map.of("parkway.cors.origins", "*, " + CorsTest.APP, "parkway.cors.credentials", "true");
  }

  private HttpResponse<String> from(String origin, String path) {
    return send(request(path).header("Origin", origin).GET().build());
  }

  @Test
  void anyOriginGetsStarWithoutCredentials() {
    HttpResponse<String> r = from("https://anyone.example", "/channels/" + unique("c") + "?timeout=0");
    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(r.headers().firstValue("Access-Control-Allow-Origin")).hasValue("*");
    assertThat(r.headers().firstValue("Access-Control-Allow-Credentials")).isEmpty();
  }

  @Test
  void theListedOriginGetsItselfAndCredentials() {
    HttpResponse<String> r = from(CorsTest.APP, "/health");
    assertThat(r.headers().firstValue("Access-Control-Allow-Origin")).hasValue(CorsTest.APP);
    assertThat(r.headers().firstValue("Access-Control-Allow-Credentials")).hasValue("true");
    assertThat(r.headers().allValues("Vary")).anySatisfy(v -> assertThat(v).contains("Origin"));
  }

  @Test
  void preflightFromAnyOriginIs204WithStarAndNoCredentials() {
    HttpResponse<String> r = send(request("/channels/news")
        .header("Origin", "https://anyone.example")
        .header("Access-Control-Request-Method", "DELETE")
        .method("OPTIONS", HttpRequest.BodyPublishers.noBody()).build());
    assertThat(r.statusCode()).isEqualTo(204);
    assertThat(r.headers().firstValue("Access-Control-Allow-Origin")).hasValue("*");
    assertThat(r.headers().firstValue("Access-Control-Allow-Credentials")).isEmpty();
  }

  @Test
  void openModeStillWorksBehindTheFilter() {
    String c = unique("open");
    HttpResponse<String> r = send(request("/channels/" + c).header("Origin", "https://x.example")
        .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString("1")).build());
    assertThat(r.statusCode()).isEqualTo(201);
    assertThat(r.headers().firstValue("Access-Control-Allow-Origin")).hasValue("*");
  }
}
