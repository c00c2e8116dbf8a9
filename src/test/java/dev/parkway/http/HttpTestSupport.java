package dev.parkway.http;

import static io.restassured.RestAssured.given;
import static io.restassured.config.EncoderConfig.encoderConfig;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.emptyOrNullString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.startsWith;

import dev.parkway.core.Cursor;
import dev.parkway.testing.ParkwayHttpSupport;
import io.restassured.builder.RequestSpecBuilder;
import io.restassured.builder.ResponseSpecBuilder;
import io.restassured.config.RestAssuredConfig;
import io.restassured.path.json.JsonPath;
import io.restassured.specification.RequestSpecification;
import io.restassured.specification.ResponseSpecification;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;

/**
 * Base of the native API's HTTP-level tests: {@link ParkwayHttpSupport}'s server, client and drain rule,
 * plus a REST Assured spec aimed at the server and the assertions every JSON answer of the API must pass.
 *
 * <p>Tests in one class share the server, so each test uses its own channel names ({@link #channel}).
 */
abstract class HttpTestSupport extends ParkwayHttpSupport {
  /** A channel name no other test of this JVM uses. */
  static String channel(String hint) {
    return unique(hint);
  }

  /** REST Assured aimed at the server, sending exactly the content type a test names. */
  RequestSpecification api() {
    return given().spec(
        new RequestSpecBuilder()
            .setBaseUri(server.baseUri())
            .setConfig(
                RestAssuredConfig.config()
                    .encoderConfig(encoderConfig().appendDefaultContentCharsetToContentTypeIfUndefined(false)))
            .build());
  }

  /** What every JSON answer of the API carries. */
  static ResponseSpecification jsonAnswer(int status) {
    return new ResponseSpecBuilder()
        .expectStatusCode(status)
        .expectHeader("Cache-Control", "no-store")
        .expectHeader("X-Content-Type-Options", "nosniff")
        .expectHeader("Content-Type", startsWith("application/json"))
        .build();
  }

  /** An error answer: status, headers, and a body of exactly {"error": code, "message": text}. */
  static ResponseSpecification error(int status, String code) {
    return new ResponseSpecBuilder()
        .addResponseSpecification(jsonAnswer(status))
        .expectBody("error", equalTo(code))
        .expectBody("message", not(emptyOrNullString()))
        .expectBody("keySet()", equalTo(java.util.Set.of("error", "message")))
        .build();
  }

  /**
   * Publishes {@code json} and returns the new seq, asserting a 201 with the API's headers. Sent with the
   * java.net.http client: several times faster per request than REST Assured, which matters in loops.
   */
  long publish(String channel, String json) {
    HttpResponse<String> response = publishCreated(channel, json);
    assertPollHeaders(response);
    JsonPath body = body(response);
    assertThat(body.getString("channel")).isEqualTo(channel);
    return body.getLong("seq");
  }

  /** {@code POST /channels/{channel}} of {@code json}, not yet sent. */
  HttpRequest post(String channel, String json) {
    return postJson("/channels/" + channel, json);
  }

  /** The channel's head as /info reports it. */
  long head(String channel) {
    HttpResponse<String> info = getNow("/channels/" + channel + "/info");
    assertThat(info.statusCode()).as(info.body()).isEqualTo(200);
    return body(info).getLong("head");
  }

  /** Asserts the headers every poll answer carries. */
  static void assertPollHeaders(HttpResponse<?> response) {
    assertThat(response.headers().firstValue("Cache-Control")).hasValue("no-store");
    assertThat(response.headers().firstValue("X-Content-Type-Options")).hasValue("nosniff");
    assertThat(response.headers().firstValue("Content-Type")).hasValueSatisfying(
        type -> assertThat(type).startsWith("application/json"));
  }

  /**
   * Asserts that two wire cursors name the same position: the same epoch and the same seq per channel.
   * Their text may differ: a cursor also records when it was issued, which each answer refreshes.
   */
  static void assertSamePosition(String actual, String expected) {
    Cursor a = Cursor.decode(actual);
    Cursor e = Cursor.decode(expected);
    assertThat(a.epoch()).as("epoch of cursor %s", actual).isEqualTo(e.epoch());
    assertThat(a.positions()).as("positions of cursor %s", actual).isEqualTo(e.positions());
  }
}
