package dev.parkway.direct;

import static org.assertj.core.api.Assertions.assertThat;

import io.restassured.path.json.JsonPath;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

/**
 * The direct port asks the same authorizer ({@code parkway.auth=tokens} here) and applies the same CORS
 * policy as the servlet port: 401 with the challenge without a valid token, 403 {@code insufficient_scope}
 * for a token that does not allow the action, nothing stored by a refused publish, {@code /health} open;
 * preflights answered before any credential check, and every answer (refusals and parked polls
 * included) carrying {@code Vary: Origin} and, for a listed origin, that origin.
 */
class DirectAccessTest extends DirectTestSupport {
  private static final String REALM = "Bearer realm=\"parkway\"";
  private static final String PUBLISH = "publish-token-0123456789";
  private static final String SUBSCRIBE = "subscribe-token-0123456789";
  private static final String ADMIN = "admin-token-0123456789";
  private static final String APP = "https://app.example";
  private static final String EVIL = "https://evil.example";

  @Override
  protected Map<String, String> moreSettings() {
    return Map.of(
        "parkway.auth", "tokens",
        "parkway.auth.publish-token", PUBLISH,
        "parkway.auth.subscribe-token", SUBSCRIBE,
        "parkway.auth.admin-token", ADMIN,
        "parkway.cors.origins", APP,
        "parkway.cors.credentials", "true",
        "parkway.cors.max-age", "120",
        "parkway.poll.timeout.max", "30");
  }

  /** A request to the direct port with {@code Authorization: Bearer <token>} unless token is null. */
  private HttpRequest.Builder as(String token, String pathAndQuery) {
    HttpRequest.Builder builder = direct(pathAndQuery);
    return token == null ? builder : builder.header("Authorization", "Bearer " + token);
  }

  private HttpResponse<String> get(String token, String pathAndQuery) {
    return send(as(token, pathAndQuery).GET().build());
  }

  private HttpResponse<String> post(String token, String channel, String json) {
    return send(as(token, "/channels/" + channel).header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString(json)).build());
  }

  private static void assertUnauthorized(HttpResponse<String> response, boolean tokenGiven) {
    assertError(response, 401, tokenGiven ? "invalid_token" : "unauthorized");
    assertThat(response.headers().firstValue("WWW-Authenticate"))
        .hasValue(tokenGiven ? REALM + ", error=\"invalid_token\"" : REALM);
  }

  private static void assertForbidden(HttpResponse<String> response) {
    assertError(response, 403, "forbidden");
    assertThat(response.headers().firstValue("WWW-Authenticate"))
        .hasValue(REALM + ", error=\"insufficient_scope\"");
  }

  private static String header(HttpResponse<?> response, String name) {
    return response.headers().firstValue(name).orElse(null);
  }

  private static void assertVaryOrigin(HttpResponse<?> response) {
    assertThat(response.headers().allValues("Vary")).anySatisfy(v -> assertThat(v).contains("Origin"));
  }

  // ---- tokens ----

  @Test
  void everyRouteButHealthNeedsAToken() {
    String c = unique("none");
    assertUnauthorized(get(null, "/channels/" + c + "?timeout=0"), false);
    assertUnauthorized(post(null, c, "1"), false);
    assertUnauthorized(get(null, "/poll?channel=" + c + "&timeout=0"), false);
    assertUnauthorized(get(null, "/channels/" + c + "/info"), false);
    assertUnauthorized(send(as(null, "/channels/" + c).DELETE().build()), false);
    assertThat(get(null, "/health").statusCode()).isEqualTo(200);
  }

  @Test
  void aWrongTokenIs401InvalidTokenInTheHeaderOrTheQuery() {
    String c = unique("wrong");
    assertUnauthorized(get(PUBLISH + "x", "/channels/" + c + "?timeout=0"), true);
    assertUnauthorized(get(null, "/channels/" + c + "?timeout=0&access_token=nope"), true);
    assertUnauthorized(send(direct("/channels/" + c + "?timeout=0").header("Authorization", "Basic dXNlcjpwYXNz")
        .GET().build()), false);
  }

  @Test
  void aRequestWithoutCredentialsIsRefusedBeforeItIsValidated() {
    assertUnauthorized(get(null, "/channels/bad%20name?timeout=0"), false);
    assertUnauthorized(get(null, "/channels/ok?limit=0"), false);
    assertUnauthorized(send(as(null, "/channels/ok").header("Content-Type", "text/plain")
        .POST(HttpRequest.BodyPublishers.ofString("not json")).build()), false);
    // As on the servlet port: a malformed query is not looked at before the credentials.
    var malformed = directRawGet("/poll?channel=%ZZ");
    assertThat(malformed.status()).as(malformed.body()).isEqualTo(401);
    assertThat(body(malformed.body()).getString("error")).isEqualTo("unauthorized");
    // With credentials, it is refused as malformed.
    assertError(directRawGet("/poll?channel=%ZZ", "Authorization: Bearer " + SUBSCRIBE), 400, "invalid_parameter");
  }

  @Test
  void aSubscribeTokenCannotPublishDeleteOrReadInfoAndNothingIsStored() {
    String c = unique("readonly");
    assertForbidden(post(SUBSCRIBE, c, "{\"x\":1}"));
    assertForbidden(send(as(SUBSCRIBE, "/channels/" + c).DELETE().build()));
    assertForbidden(get(SUBSCRIBE, "/channels/" + c + "/info"));
    assertError(get(ADMIN, "/channels/" + c + "/info"), 404, "channel_not_found");
  }

  @Test
  void tokensOfEachRoleDoWhatTheyAllow() {
    String c = unique("roles");
    CompletableFuture<HttpResponse<String>> poll =
        sendAsync(as(null, "/channels/" + c + "?timeout=30&access_token=" + SUBSCRIBE).GET().build());
    awaitParked(1);
    assertThat(post(PUBLISH, c, "{\"hello\":1}").statusCode()).isEqualTo(201);
    HttpResponse<String> answer = answer(poll);
    assertThat(answer.statusCode()).as(answer.body()).isEqualTo(200);
    assertThat(body(answer).getInt("events[0].data.hello")).isEqualTo(1);
    assertThat(body(get(ADMIN, "/channels/" + c + "/info")).getInt("head")).isEqualTo(1);
    assertThat(send(as(ADMIN, "/channels/" + c).DELETE().build()).statusCode()).isEqualTo(204);
  }

  // ---- CORS ----

  private HttpResponse<String> preflight(String origin, String path) {
    return send(direct(path).header("Origin", origin).header("Access-Control-Request-Method", "POST")
        .header("Access-Control-Request-Headers", "authorization, content-type")
        .method("OPTIONS", HttpRequest.BodyPublishers.noBody()).build());
  }

  @Test
  void aPreflightFromAListedOriginIs204WithoutAToken() {
    HttpResponse<String> r = preflight(APP, "/channels/news");
    assertThat(r.statusCode()).as(r.body()).isEqualTo(204);
    assertThat(r.body()).isEmpty();
    assertThat(header(r, "Access-Control-Allow-Origin")).isEqualTo(APP);
    assertThat(header(r, "Access-Control-Allow-Credentials")).isEqualTo("true");
    assertThat(header(r, "Access-Control-Allow-Methods")).contains("GET").contains("POST").contains("DELETE");
    assertThat(header(r, "Access-Control-Allow-Headers")).contains("Authorization").contains("Content-Type");
    assertThat(header(r, "Access-Control-Max-Age")).isEqualTo("120");
    assertVaryOrigin(r);
  }

  @Test
  void aPreflightFromAnotherOriginIs403WithoutCorsHeaders() {
    HttpResponse<String> r = preflight(EVIL, "/channels/news");
    assertError(r, 403, "origin_not_allowed");
    assertThat(header(r, "Access-Control-Allow-Origin")).isNull();
    assertThat(header(r, "Access-Control-Allow-Methods")).isNull();
    assertVaryOrigin(r);
  }

  @Test
  void answersCarryTheOriginOfAListedOriginOnlyAndAlwaysVary() {
    String c = unique("cors");
    HttpResponse<String> allowed = send(as(SUBSCRIBE, "/channels/" + c + "?timeout=0").header("Origin", APP).GET().build());
    assertThat(allowed.statusCode()).isEqualTo(200);
    assertThat(header(allowed, "Access-Control-Allow-Origin")).isEqualTo(APP);
    assertThat(header(allowed, "Access-Control-Allow-Credentials")).isEqualTo("true");
    assertThat(header(allowed, "Access-Control-Expose-Headers")).contains("Retry-After").contains("WWW-Authenticate");
    assertVaryOrigin(allowed);
    HttpResponse<String> other = send(as(SUBSCRIBE, "/channels/" + c + "?timeout=0").header("Origin", EVIL).GET().build());
    assertThat(other.statusCode()).isEqualTo(200);
    assertThat(header(other, "Access-Control-Allow-Origin")).isNull();
    assertThat(header(other, "Access-Control-Allow-Credentials")).isNull();
    assertVaryOrigin(other);
    HttpResponse<String> health = send(direct("/health").header("Origin", "HTTPS://APP.EXAMPLE").GET().build());
    assertThat(header(health, "Access-Control-Allow-Origin")).as("the configured origin, not the request's bytes")
        .isEqualTo(APP);
  }

  @Test
  void refusalsAndParkedPollsCarryTheCorsHeadersToo() {
    String c = unique("cors-parked");
    HttpResponse<String> unauthorized = send(as(null, "/channels/" + c + "?timeout=0").header("Origin", APP).GET().build());
    assertUnauthorized(unauthorized, false);
    assertThat(header(unauthorized, "Access-Control-Allow-Origin")).isEqualTo(APP);
    HttpResponse<String> invalid = send(as(SUBSCRIBE, "/channels/" + c + "?limit=0").header("Origin", APP).GET().build());
    assertError(invalid, 400, "invalid_limit");
    assertThat(header(invalid, "Access-Control-Allow-Origin")).isEqualTo(APP);
    HttpResponse<String> missing = send(as(SUBSCRIBE, "/nowhere").header("Origin", APP).GET().build());
    assertError(missing, 404, "not_found");
    assertThat(header(missing, "Access-Control-Allow-Origin")).isEqualTo(APP);

    CompletableFuture<HttpResponse<String>> poll =
        sendAsync(as(SUBSCRIBE, "/channels/" + c + "?timeout=30").header("Origin", APP).GET().build());
    awaitParked(1);
    assertThat(post(PUBLISH, c, "{\"m\":1}").statusCode()).isEqualTo(201);
    HttpResponse<String> answer = answer(poll);
    assertThat(answer.statusCode()).as(answer.body()).isEqualTo(200);
    JsonPath body = body(answer);
    assertThat(body.getInt("events[0].data.m")).isEqualTo(1);
    assertThat(header(answer, "Access-Control-Allow-Origin")).isEqualTo(APP);
    assertVaryOrigin(answer);
  }

  @Test
  void preflightsAreAnsweredAsOnTheServletPort() {
    for (String origin : new String[] {APP, EVIL}) {
      HttpRequest.Builder servlet = request("/channels/news");
      HttpRequest.Builder direct = direct("/channels/news");
      for (HttpRequest.Builder b : new HttpRequest.Builder[] {servlet, direct}) {
        b.header("Origin", origin).header("Access-Control-Request-Method", "DELETE")
            .method("OPTIONS", HttpRequest.BodyPublishers.noBody());
      }
      HttpResponse<String> onServlet = send(servlet.build());
      HttpResponse<String> onDirect = send(direct.build());
      assertThat(onDirect.statusCode()).as(origin).isEqualTo(onServlet.statusCode());
      assertThat(onDirect.body()).as(origin).isEqualTo(onServlet.body());
      for (String name : new String[] {"Access-Control-Allow-Origin", "Access-Control-Allow-Credentials",
          "Access-Control-Allow-Methods", "Access-Control-Allow-Headers", "Access-Control-Max-Age", "Vary"}) {
        assertThat(tokens(onDirect.headers().allValues(name))).as(origin + " " + name)
            .isEqualTo(tokens(onServlet.headers().allValues(name)));
      }
    }
  }

  /**
   * The elements of a header's field lines: a list header may come as one line or several (the direct
   * port's 403 preflight says {@code Vary: Origin} twice), which mean the same (RFC 9110 5.3).
   */
  private static java.util.Set<String> tokens(java.util.List<String> lines) {
    java.util.Set<String> tokens = new java.util.TreeSet<>();
    for (String line : lines) {
      for (String token : line.split(",")) {
        tokens.add(token.trim());
      }
    }
    return tokens;
  }
}
