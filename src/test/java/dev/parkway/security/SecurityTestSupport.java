package dev.parkway.security;

import static org.assertj.core.api.Assertions.assertThat;

import dev.parkway.testing.ParkwayHttpSupport;
import io.restassured.path.json.JsonPath;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * Base of the access-control tests: requests that carry a bearer token (or none: {@code null}), and the
 * assertions for 401 and 403 answers.
 */
abstract class SecurityTestSupport extends ParkwayHttpSupport {
  static final String REALM = "Bearer realm=\"parkway\"";
  static final String PUBLISH = "publish-token-0123456789";
  static final String SUBSCRIBE = "subscribe-token-0123456789";

  /** {@code parkway.auth=tokens} with {@link #PUBLISH} and {@link #SUBSCRIBE}, plus {@code extra} pairs. */
  static Map<String, String> tokensMode(String... extra) {
    Map<String, String> settings = new LinkedHashMap<>();
    settings.put("parkway.auth", "tokens");
    settings.put("parkway.auth.publish-token", PUBLISH);
    settings.put("parkway.auth.subscribe-token", SUBSCRIBE);
    for (int i = 0; i < extra.length; i += 2) {
      settings.put(extra[i], extra[i + 1]);
    }
    return settings;
  }

  /** A request to {@code pathAndQuery}, with {@code Authorization: Bearer <token>} unless token is null. */
  HttpRequest.Builder as(String token, String pathAndQuery) {
    HttpRequest.Builder builder = request(pathAndQuery);
    return token == null ? builder : builder.header("Authorization", "Bearer " + token);
  }

  HttpResponse<String> get(String token, String pathAndQuery) {
    return send(as(token, pathAndQuery).GET().build());
  }

  HttpResponse<String> post(String token, String path, String json) {
    return send(postRequest(token, path, json));
  }

  HttpRequest postRequest(String token, String path, String json) {
    return as(token, path)
        .header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString(json))
        .build();
  }

  HttpResponse<String> delete(String token, String path) {
    return send(as(token, path).DELETE().build());
  }

  /** 401 with the challenge: {@code unauthorized} without a token, {@code invalid_token} with a bad one. */
  static JsonPath assertUnauthorized(HttpResponse<String> response, boolean tokenGiven) {
    JsonPath body = assertError(response, 401, tokenGiven ? "invalid_token" : "unauthorized");
    assertThat(response.headers().firstValue("WWW-Authenticate"))
        .hasValue(tokenGiven ? REALM + ", error=\"invalid_token\"" : REALM);
    return body;
  }

  /** 403 {@code forbidden}, with RFC 6750's {@code insufficient_scope} challenge. */
  static JsonPath assertForbidden(HttpResponse<String> response) {
    JsonPath body = assertError(response, 403, "forbidden");
    assertThat(response.headers().firstValue("WWW-Authenticate"))
        .hasValue(REALM + ", error=\"insufficient_scope\"");
    return body;
  }

  /** The API's JSON error: status, code, a message, nothing else, and the common headers. */
  static JsonPath assertError(HttpResponse<String> response, int status, String code) {
    assertThat(response.statusCode()).as(response.body()).isEqualTo(status);
    assertThat(response.headers().firstValue("Content-Type"))
        .hasValueSatisfying(type -> assertThat(type).startsWith("application/json"));
    assertThat(response.headers().firstValue("Cache-Control")).hasValue("no-store");
    JsonPath body = body(response);
    assertThat(body.getString("error")).isEqualTo(code);
    assertThat(body.getString("message")).isNotBlank();
    assertThat(body.getMap("").keySet()).isEqualTo(Set.of("error", "message"));
    return body;
  }
}
