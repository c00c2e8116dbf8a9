package dev.parkway.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;

import dev.parkway.core.Cursor;
import dev.parkway.testing.RawHttp;
import io.restassured.path.json.JsonPath;
import io.restassured.specification.RequestSpecification;
import java.io.ByteArrayInputStream;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Every refusal is a 4xx with {@code {"error", "message"}} and the usual headers, never a 500 or the
 * container's HTML page; a refused publish stores nothing.
 */
class ErrorResponsesTest extends HttpTestSupport {
  private static final int BODY_MAX = 1024;

  @Override
  protected Map<String, String> settings() {
    return Map.of(
        "parkway.body.max", Integer.toString(BODY_MAX),
        "parkway.poll.timeout.max", "5",
        "parkway.poll.timeout.default", "5",
        "parkway.poll.limit.max", "100");
  }

  // ---- names ----

  @ParameterizedTest
  @ValueSource(strings = {"bad!name", "bad%20name", "caf%C3%A9", "a*", "news.*", "semi%3Bcolon"})
  void badChannelNamesAreRefusedOnEveryRoute(String name) {
    api().urlEncodingEnabled(false).get("/channels/" + name + "?timeout=0").then().spec(error(400, "invalid_channel"));
    api().urlEncodingEnabled(false).contentType("application/json").body("1").post("/channels/" + name)
        .then().spec(error(400, "invalid_channel"));
    api().urlEncodingEnabled(false).delete("/channels/" + name).then().spec(error(400, "invalid_channel"));
    api().urlEncodingEnabled(false).get("/channels/" + name + "/info").then().spec(error(400, "invalid_channel"));
  }

  @Test
  void channelNamesUpTo200CharactersAreAccepted() {
    String longest = "c".repeat(199) + "1";
    publish(longest, "1");
    api().get("/channels/" + longest + "?after=0&timeout=0").then().spec(jsonAnswer(200))
        .body("events[0].channel", equalTo(longest));
    api().get("/channels/" + longest + "x?timeout=0").then().spec(error(400, "invalid_channel"));
    api().contentType("application/json").body("1").post("/channels/" + longest + "x")
        .then().spec(error(400, "invalid_channel"));
  }

  @ParameterizedTest
  @ValueSource(strings = {"bad!id", "", "two words"})
  void badClientIdsAreRefused(String client) {
    api().queryParam("client", client).queryParam("timeout", "0").get("/channels/{c}", channel("client"))
        .then().spec(error(400, "invalid_client"));
  }

  @Test
  void clientIdsUpTo128CharactersAreAccepted() {
    String c = channel("client-len");
    api().queryParam("client", "i".repeat(128)).queryParam("timeout", "0").get("/channels/{c}", c)
        .then().spec(jsonAnswer(200));
    api().queryParam("client", "i".repeat(129)).queryParam("timeout", "0").get("/channels/{c}", c)
        .then().spec(error(400, "invalid_client"));
  }

  // ---- poll parameters ----

  static Stream<Arguments> badPollParameters() {
    return Stream.of(
        Arguments.of("timeout", "-1", "invalid_timeout"),
        Arguments.of("timeout", "6", "invalid_timeout"),
        Arguments.of("timeout", "5.001", "invalid_timeout"),
        Arguments.of("timeout", "1e999999999", "invalid_timeout"),
        Arguments.of("timeout", "abc", "invalid_timeout"),
        Arguments.of("timeout", "", "invalid_timeout"),
        Arguments.of("timeout", "NaN", "invalid_timeout"),
        Arguments.of("timeout", "1.2.3", "invalid_timeout"),
        Arguments.of("timeout", "99999999999999999999", "invalid_timeout"),
        Arguments.of("limit", "0", "invalid_limit"),
        Arguments.of("limit", "-1", "invalid_limit"),
        Arguments.of("limit", "101", "invalid_limit"),
        Arguments.of("limit", "abc", "invalid_limit"),
        Arguments.of("limit", "1.5", "invalid_limit"),
        Arguments.of("limit", "", "invalid_limit"),
        Arguments.of("limit", "99999999999", "invalid_limit"),
        Arguments.of("since", "-5", "invalid_since"),
        Arguments.of("since", "abc", "invalid_since"),
        Arguments.of("since", "1.5", "invalid_since"),
        Arguments.of("since", "", "invalid_since"),
        Arguments.of("since", "99999999999999999999", "invalid_since"),
        Arguments.of("after", "not-a-cursor!", "invalid_cursor"),
        Arguments.of("after", "abc", "invalid_cursor"),
        Arguments.of("after", "", "invalid_cursor"),
        Arguments.of("after", "-1", "invalid_cursor"),
        Arguments.of("after", "99999999999999999999", "invalid_cursor"),
        Arguments.of("after", forged("m1234;x"), "invalid_cursor"),
        Arguments.of("after", forged("m1234;bad name=1"), "invalid_cursor"),
        Arguments.of("after", forged("m1234;x=-1"), "invalid_cursor"),
        Arguments.of("after", forged("m1234;x=1;x=2"), "invalid_cursor"),
        Arguments.of("after", forged("m1234;x=one"), "invalid_cursor"),
        Arguments.of("after", forged(";x=1"), "invalid_cursor"));
  }

  @ParameterizedTest(name = "{0}={1} -> {2}")
  @MethodSource("badPollParameters")
  void badPollParametersAreRefusedOnBothPollRoutes(String name, String value, String code) {
    String c = channel("params");
    publish(c, "1");
    Map<String, String> query = name.equals("timeout") ? Map.of(name, value) : Map.of(name, value, "timeout", "0");
    api().queryParams(query).get("/channels/{c}", c).then().spec(error(400, code));
    api().queryParams(query).queryParam("channel", c).get("/poll").then().spec(error(400, code));
  }

  @Test
  void afterAndSinceTogetherAreRefused() {
    api().queryParam("after", "0").queryParam("since", "0").queryParam("timeout", "0")
        .get("/channels/{c}", channel("both"))
        .then().spec(error(400, "invalid_parameter"));
  }

  @Test
  void cursorAheadOfTheHeadIsRefused() {
    String c = channel("ahead");
    publish(c, "1");
    publish(c, "2");
    // A cursor of this server's epoch naming seq 9 on a channel whose head is 2.
    String real = body(getNow("/channels/" + c + "?after=0&timeout=0")).getString("cursor");
    String ahead = new Cursor(Cursor.decode(real).epoch(), Map.of(c, 9L)).encode();
    api().queryParam("after", ahead).queryParam("timeout", "0").get("/channels/{c}", c)
        .then().spec(error(400, "invalid_cursor"));
    api().queryParam("after", ahead).queryParam("channel", c).queryParam("timeout", "0").get("/poll")
        .then().spec(error(400, "invalid_cursor"));
    assertThat(server.broker().parkedCount()).isZero();
  }

  @Test
  void timeoutAtTheConfiguredMaximumAndFractionsAreAccepted() {
    String c = channel("timeout-ok");
    publish(c, "1");
    // Events are waiting, so these answer at once whatever their timeout.
    api().queryParam("after", "0").queryParam("timeout", "5").get("/channels/{c}", c).then().spec(jsonAnswer(200));
    api().queryParam("after", "0").queryParam("timeout", "4.999").get("/channels/{c}", c).then().spec(jsonAnswer(200));
    api().queryParam("after", "0").queryParam("timeout", "0.25").get("/channels/{c}", c).then().spec(jsonAnswer(200));
  }

  // ---- routes and methods ----

  @ParameterizedTest
  @ValueSource(strings = {"/channels", "/channels/", "/channels/x/unknown", "/channels/x/info/more", "/channels/x/"})
  void unknownResourcesAreJson404(String path) {
    api().urlEncodingEnabled(false).get(path).then().spec(error(404, "not_found"));
  }

  static Stream<Arguments> wrongMethods() {
    return Stream.of(
        Arguments.of("PUT", "/channels/x", "GET, POST, DELETE"),
        Arguments.of("PATCH", "/channels/x", "GET, POST, DELETE"),
        Arguments.of("POST", "/poll", "GET"),
        Arguments.of("DELETE", "/poll", "GET"),
        Arguments.of("POST", "/channels/x/info", "GET"),
        Arguments.of("DELETE", "/channels/x/info", "GET"),
        Arguments.of("POST", "/health", "GET, HEAD"));
  }

  @ParameterizedTest(name = "{0} {1}")
  @MethodSource("wrongMethods")
  void wrongMethodsAreJson405WithAllow(String method, String path, String allow) {
    api().contentType("application/json").body("{}").request(method, path)
        .then().spec(error(405, "method_not_allowed")).header("Allow", allow);
  }

  // ---- publish bodies ----

  /** Publishes one event, sends {@code refused}, and asserts its error and that nothing was stored. */
  private void assertRefusedAndNothingStored(
      java.util.function.Function<String, JsonPath> refused, int status, String code) {
    String c = channel("refused");
    publish(c, "\"first\"");
    JsonPath error = refused.apply(c);
    assertThat(error.getString("error")).isEqualTo(code);
    assertThat(error.getString("message")).isNotBlank();
    assertThat(head(c)).as("nothing stored after a %d %s", status, code).isEqualTo(1);
    assertThat(body(getNow("/channels/" + c + "?after=0&timeout=0")).getList("events.data")).containsExactly("first");
  }

  private JsonPath refusedPost(String c, RequestSpecification request, int status, String code) {
    return request.post("/channels/{c}", c).then().spec(error(status, code)).extract().jsonPath();
  }

  @ParameterizedTest
  @ValueSource(strings = {"text/plain", "application/xml", "application/jsonx", "application/json;charset=latin1",
      "application/json; charset=ISO-8859-1", "text/json"})
  void nonJsonContentTypesAre415(String type) {
    assertRefusedAndNothingStored(
        c -> refusedPost(c, api().contentType(type).body("{\"a\":1}".getBytes(StandardCharsets.UTF_8)), 415,
            "unsupported_media_type"),
        415, "unsupported_media_type");
  }

  @Test
  void aBodyWithoutContentTypeIs415() throws Exception {
    assertRefusedAndNothingStored(
        c -> {
          HttpResponse<String> response =
              send(
                  HttpRequest.newBuilder(URI.create(server.baseUri() + "/channels/" + c))
                      .timeout(PATIENCE)
                      .POST(HttpRequest.BodyPublishers.ofString("{\"a\":1}"))
                      .build());
          assertThat(response.statusCode()).isEqualTo(415);
          assertPollHeaders(response);
          return body(response);
        },
        415, "unsupported_media_type");
  }

  @ParameterizedTest
  @ValueSource(strings = {"application/json;charset=UTF-8", "application/json; charset=\"utf-8\"",
      "application/vnd.api+json", "APPLICATION/JSON"})
  void jsonContentTypesAreAccepted(String type) {
    api().contentType(type).body("{\"ok\":true}").post("/channels/{c}", channel("typed"))
        .then().spec(jsonAnswer(201)).body("seq", equalTo(1));
  }

  static Stream<Arguments> invalidJsonBodies() {
    return Stream.of(
        Arguments.of("malformed", "{\"a\":".getBytes(StandardCharsets.UTF_8)),
        Arguments.of("two values", "1 2".getBytes(StandardCharsets.UTF_8)),
        Arguments.of("two objects", "{}{}".getBytes(StandardCharsets.UTF_8)),
        Arguments.of("trailing brace", "{\"a\":1}}".getBytes(StandardCharsets.UTF_8)),
        Arguments.of("empty", new byte[0]),
        Arguments.of("blank", "  \n ".getBytes(StandardCharsets.UTF_8)),
        Arguments.of("trailing comma", "[1,]".getBytes(StandardCharsets.UTF_8)),
        Arguments.of("bare word", "nul".getBytes(StandardCharsets.UTF_8)),
        Arguments.of("single quotes", "'x'".getBytes(StandardCharsets.UTF_8)),
        Arguments.of("unquoted key", "{a:1}".getBytes(StandardCharsets.UTF_8)),
        Arguments.of("unterminated string", "\"abc".getBytes(StandardCharsets.UTF_8)),
        Arguments.of("invalid UTF-8", new byte[] {'"', (byte) 0xC3, (byte) 0x28, '"'}),
        Arguments.of("overlong UTF-8", new byte[] {'"', (byte) 0xC0, (byte) 0xAF, '"'}),
        Arguments.of("UTF-8 surrogate", new byte[] {'"', (byte) 0xED, (byte) 0xA0, (byte) 0x80, '"'}),
        Arguments.of("raw control char in string", new byte[] {'"', 'a', 0x01, '"'}));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("invalidJsonBodies")
  void invalidJsonIs400AndStoresNothing(String what, byte[] bytes) {
    assertRefusedAndNothingStored(
        c -> refusedPost(c, api().contentType("application/json").body(bytes), 400, "invalid_json"),
        400, "invalid_json");
  }

  // ---- body size ----

  /** A valid JSON string value of exactly {@code n} bytes. */
  private static String jsonOfBytes(int n) {
    return "\"" + "x".repeat(n - 2) + "\"";
  }

  @Test
  void bodyAtTheLimitIsAccepted() {
    api().contentType("application/json").body(jsonOfBytes(BODY_MAX)).post("/channels/{c}", channel("max"))
        .then().spec(jsonAnswer(201));
  }

  @Test
  void contentLengthOverTheLimitIs413() {
    assertRefusedAndNothingStored(
        c -> refusedPost(c, api().contentType("application/json").body(jsonOfBytes(BODY_MAX + 1)), 413, "body_too_large"),
        413, "body_too_large");
  }

  @Test
  void declaredContentLengthIsCheckedBeforeReadingTheBody() {
    assertRefusedAndNothingStored(
        c -> {
          try (RawHttp raw = new RawHttp(server.port())) {
            // Declares a megabyte and sends almost none of it: the answer must not wait for the rest.
            raw.send("POST /channels/" + c + " HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
                + "Content-Length: 1000000\r\n\r\n[1,");
            RawHttp.Response response = raw.read();
            assertThat(response.status()).isEqualTo(413);
            assertThat(response.headers()).containsEntry("cache-control", "no-store");
            return JsonPath.from(response.body());
          } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
          }
        },
        413, "body_too_large");
  }

  @Test
  void chunkedBodyOverTheLimitIs413() {
    assertRefusedAndNothingStored(
        c -> {
          byte[] big = jsonOfBytes(4 * BODY_MAX).getBytes(StandardCharsets.US_ASCII);
          HttpResponse<String> response =
              send(
                  HttpRequest.newBuilder(URI.create(server.baseUri() + "/channels/" + c))
                      .timeout(PATIENCE)
                      .header("Content-Type", "application/json")
                      // An input stream of unknown length: sent with Transfer-Encoding: chunked.
                      .POST(HttpRequest.BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(big)))
                      .build());
          assertThat(response.statusCode()).isEqualTo(413);
          assertPollHeaders(response);
          return body(response);
        },
        413, "body_too_large");
  }

  @Test
  void chunkedBodyIsRefusedOnceOverTheLimitWithoutWaitingForItsEnd() {
    assertRefusedAndNothingStored(
        c -> {
          try (RawHttp raw = new RawHttp(server.port())) {
            raw.send("POST /channels/" + c + " HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
                + "Transfer-Encoding: chunked\r\n\r\n");
            String chunk = "x".repeat(512);
            raw.send("1\r\n\"\r\n");
            for (int i = 0; i < 3; i++) { // 1537 bytes so far, and no last chunk
              raw.send(Integer.toHexString(chunk.length()) + "\r\n" + chunk + "\r\n");
            }
            RawHttp.Response response = raw.read();
            assertThat(response.status()).isEqualTo(413);
            return JsonPath.from(response.body());
          } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
          }
        },
        413, "body_too_large");
  }

  @Test
  void chunkedBodyUnderTheLimitIsAccepted() {
    byte[] small = "{\"chunked\":true}".getBytes(StandardCharsets.US_ASCII);
    HttpResponse<String> response =
        send(
            HttpRequest.newBuilder(URI.create(server.baseUri() + "/channels/" + channel("chunked")))
                .timeout(PATIENCE)
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(small)))
                .build());
    assertThat(response.statusCode()).isEqualTo(201);
  }

  private static String forged(String plain) {
    return Base64.getUrlEncoder().withoutPadding().encodeToString(plain.getBytes(StandardCharsets.UTF_8));
  }

  @ParameterizedTest
  @ValueSource(strings = {"/no-such-path", "/channel/x", "/pollx"})
  void pathsOutsideTheApiAreJson404Too(String path) {
    api().get(path).then().statusCode(404)
        .header("Content-Type", org.hamcrest.Matchers.startsWith("application/json"))
        .body("error", equalTo("not_found"))
        .body("message", org.hamcrest.Matchers.not(org.hamcrest.Matchers.emptyOrNullString()));
  }

  static Stream<String> malformedQueries() {
    return Stream.of("after=%ZZ", "after=%C3%28", "timeout=%", "client=%E2%82", "x=1&".repeat(1001) + "timeout=0");
  }

  @ParameterizedTest
  @MethodSource("malformedQueries")
  void malformedQueryStringsAre400NotA500(String query) throws Exception {
    String c = channel("query");
    for (String target : new String[] {"/channels/" + c + "?" + query, "/poll?channel=" + c + "&" + query}) {
      // A raw request: client libraries refuse to send a broken escape such as %ZZ.
      try (RawHttp raw = new RawHttp(server.port())) {
        RawHttp.Response response =
            raw.send("GET " + target + " HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n").read();
        String shown = target.length() > 60 ? target.substring(0, 60) + "..." : target;
        assertThat(response.status()).as("%s: %s", shown, response.body()).isEqualTo(400);
        assertThat(response.headers().get("content-type")).startsWith("application/json");
        assertThat(JsonPath.from(response.body()).getString("error")).isEqualTo("invalid_parameter");
      }
    }
  }
}
