package dev.parkway.compat;

import static org.assertj.core.api.Assertions.assertThat;

import dev.parkway.testing.ParkwayHttpSupport;
import io.restassured.path.json.JsonPath;
import java.net.http.HttpResponse;

/**
 * Base of the HTTP tests of the gin, node, chat and mailbox routes: {@link ParkwayHttpSupport}'s server,
 * client and drain rule, plus the assertions on Parkway's JSON answers these routes share with the native
 * API.
 */
abstract class GinHttpSupport extends ParkwayHttpSupport {
  /** A {@code POST} of {@code json} with {@code Content-Type: application/json}, sent now. */
  HttpResponse<String> post(String path, String json) {
    return send(postJson(path, json));
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
