package dev.parkway.direct;

import static org.assertj.core.api.Assertions.assertThat;

import dev.parkway.core.Cursor;
import dev.parkway.testing.RawHttp;
import java.io.IOException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Every refusal on the direct port is the API's JSON error with the right status, never a 500, an HTML
 * page or a hang: names, poll parameters, routes, methods, bodies, sizes of the request line, headers and
 * body, malformed escapes, bytes that are not HTTP, and the per-address limit. A refused publish stores
 * nothing.
 */
class DirectRefusalsTest extends DirectTestSupport {
  private static final int BODY_MAX = 1024;
  private static final int PER_ADDRESS = 2;

  @Override
  protected Map<String, String> moreSettings() {
    return Map.of(
        "parkway.body.max", Integer.toString(BODY_MAX),
        "parkway.poll.timeout.max", "5",
        "parkway.poll.timeout.default", "5",
        "parkway.poll.limit.max", "100",
        "parkway.poll.channels.max", "3",
        "parkway.parked.per-address.max", Integer.toString(PER_ADDRESS));
  }

  // ---- names and parameters ----

  @ParameterizedTest
  @ValueSource(strings = {"bad!name", "bad%20name", "caf%C3%A9", "a*", "news.*", "semi%3Bcolon", "a%2Fb"})
  void badChannelNamesAre400OnEveryChannelRoute(String name) {
    assertError(directRawGet("/channels/" + name + "?timeout=0"), 400, "invalid_channel");
    assertError(directRawGet("/channels/" + name + "/info"), 400, "invalid_channel");
    assertError(rawOnce(postHead(name, "Content-Length: 1") + "1"), 400, "invalid_channel");
    assertError(rawOnce("DELETE /channels/" + name + " HTTP/1.1\r\nHost: x\r\n\r\n"), 400, "invalid_channel");
    assertError(directRawGet("/poll?channel=" + name + "x&timeout=0"), 400, "invalid_channel");
  }

  static Stream<Arguments> badPollParameters() {
    return Stream.of(
        Arguments.of("timeout=-1", "invalid_timeout"),
        Arguments.of("timeout=6", "invalid_timeout"),
        Arguments.of("timeout=1e9", "invalid_timeout"),
        Arguments.of("timeout=", "invalid_timeout"),
        Arguments.of("timeout=0&limit=0", "invalid_limit"),
        Arguments.of("timeout=0&limit=101", "invalid_limit"),
        Arguments.of("timeout=0&limit=x", "invalid_limit"),
        Arguments.of("timeout=0&since=-5", "invalid_since"),
        Arguments.of("timeout=0&after=abc", "invalid_cursor"),
        Arguments.of("timeout=0&after=-1", "invalid_cursor"),
        Arguments.of("timeout=0&after=", "invalid_cursor"),
        Arguments.of("timeout=0&after=99999999999999999999", "invalid_cursor"),
        Arguments.of("timeout=0&after=0&since=0", "invalid_parameter"),
        Arguments.of("timeout=0&client=bad!id", "invalid_client"),
        Arguments.of("timeout=0&client=" + "i".repeat(129), "invalid_client"));
  }

  @ParameterizedTest(name = "{0} -> {1}")
  @MethodSource("badPollParameters")
  void badPollParametersAre400OnBothPollRoutes(String query, String code) {
    String c = unique("params");
    directPublish(c, "1");
    assertError(directGet("/channels/" + c + "?" + query), 400, code);
    assertError(directGet("/poll?channel=" + c + "&" + query), 400, code);
  }

  @Test
  void aCursorAheadOfTheHeadIsRefused() {
    String c = unique("ahead");
    directPublish(c, "1");
    // A cursor of this server's epoch naming seq 9 on a channel whose head is 1.
    String real = body(directGet("/channels/" + c + "?after=0&timeout=0")).getString("cursor");
    String ahead = new Cursor(Cursor.decode(real).epoch(), Map.of(c, 9L)).encode();
    assertError(directGet("/channels/" + c + "?timeout=0&after=" + ahead), 400, "invalid_cursor");
    assertError(directGet("/poll?channel=" + c + "&timeout=0&after=" + ahead), 400, "invalid_cursor");
  }

  @Test
  void tooManyChannelsOrNoneInAManyChannelPollAre400() {
    assertError(directGet("/poll?channel=a&channel=b&channel=c&channel=d&timeout=0"), 400, "too_many_channels");
    assertError(directGet("/poll?channel=a,b,c.*,d&timeout=0"), 400, "too_many_channels");
    assertError(directGet("/poll?timeout=0"), 400, "invalid_channel");
    assertError(directGet("/poll?channel=&timeout=0"), 400, "invalid_channel");
  }

  // ---- routes and methods ----

  @ParameterizedTest
  @ValueSource(strings = {"/", "/nope", "/channels", "/channels/x/stream", "/channels/x/info/more",
      "/channels/x/unknown", "/clients/x/messages", "/metrics", "/poll/x", "/healthz", "/index.html"})
  void pathsTheDirectPortDoesNotServeAreJson404(String path) {
    assertError(directGet(path), 404, "not_found");
  }

  static Stream<Arguments> wrongMethods() {
    return Stream.of(
        Arguments.of("PUT", "/channels/x", "GET, POST, DELETE"),
        Arguments.of("PATCH", "/channels/x", "GET, POST, DELETE"),
        Arguments.of("OPTIONS", "/channels/x", "GET, POST, DELETE"),
        Arguments.of("POST", "/poll", "GET"),
        Arguments.of("DELETE", "/poll", "GET"),
        Arguments.of("POST", "/channels/x/info", "GET"),
        Arguments.of("DELETE", "/channels/x/info", "GET"),
        Arguments.of("POST", "/health", "GET, HEAD"),
        Arguments.of("DELETE", "/health", "GET, HEAD"));
  }

  @ParameterizedTest(name = "{0} {1}")
  @MethodSource("wrongMethods")
  void wrongMethodsAreJson405WithAllow(String method, String path, String allow) {
    HttpResponse<String> response = send(direct(path).header("Content-Type", "application/json")
        .method(method, HttpRequest.BodyPublishers.ofString("{}")).build());
    assertError(response, 405, "method_not_allowed");
    assertThat(response.headers().firstValue("Allow")).hasValue(allow);
  }

  // ---- publish bodies ----

  private HttpResponse<String> postWithType(String channel, String type, byte[] body) {
    HttpRequest.Builder builder = direct("/channels/" + channel).POST(HttpRequest.BodyPublishers.ofByteArray(body));
    return send(type == null ? builder.build() : builder.header("Content-Type", type).build());
  }

  /** Asserts that {@code c} still holds only the one event published before a refusal. */
  private void assertNothingStoredBut(String c, String first) {
    HttpResponse<String> all = directGet("/channels/" + c + "?after=0&timeout=0");
    assertThat(body(all).getList("events.data", String.class)).containsExactly(first);
  }

  @ParameterizedTest
  @ValueSource(strings = {"text/plain", "application/xml", "application/jsonx", "text/json",
      "application/json; charset=ISO-8859-1", ";"})
  void nonJsonContentTypesAre415AndStoreNothing(String type) {
    String c = unique("type");
    directPublish(c, "\"first\"");
    assertError(postWithType(c, type, "{\"a\":1}".getBytes(StandardCharsets.UTF_8)), 415, "unsupported_media_type");
    assertError(postWithType(c, null, "{\"a\":1}".getBytes(StandardCharsets.UTF_8)), 415, "unsupported_media_type");
    assertNothingStoredBut(c, "first");
  }

  @ParameterizedTest
  @ValueSource(strings = {"{\"a\":", "1 2", "{}{}", "", "  ", "[1,]", "nul", "'x'", "{a:1}", "\"abc"})
  void invalidJsonIs400AndStoresNothing(String text) {
    String c = unique("json");
    directPublish(c, "\"first\"");
    assertError(postWithType(c, "application/json", text.getBytes(StandardCharsets.UTF_8)), 400, "invalid_json");
    assertNothingStoredBut(c, "first");
  }

  @Test
  void malformedUtf8InABodyIs400() {
    String c = unique("utf8");
    directPublish(c, "\"first\"");
    byte[] overlong = {'"', (byte) 0xC0, (byte) 0xAF, '"'};
    assertError(postWithType(c, "application/json", overlong), 400, "invalid_json");
    assertNothingStoredBut(c, "first");
  }

  @Test
  void aBodyAtTheLimitIsStoredAndOneByteMoreIs413AndClosesTheConnection() throws IOException {
    String c = unique("size");
    String atLimit = "\"" + "x".repeat(BODY_MAX - 2) + "\"";
    assertThat(postWithType(c, "application/json", atLimit.getBytes(StandardCharsets.US_ASCII)).statusCode())
        .isEqualTo(201);
    String over = "\"" + "x".repeat(BODY_MAX - 1) + "\"";
    try (RawHttp raw = raw()) {
      RawHttp.Response refused = raw.send(postHead(c, "Content-Length: " + over.length()) + over).readToEnd();
      assertThat(refused.headers()).containsEntry("connection", "close");
      assertError(refused, 413, "body_too_large");
    }
    assertThat(body(directGet("/channels/" + c + "/info")).getInt("head")).isEqualTo(1);
  }

  @Test
  void aBodyOverTheLimitPipelinedBehindAParkedPollIsRefusedInItsTurn() throws IOException {
    String c = unique("behind");
    String over = "\"" + "x".repeat(BODY_MAX) + "\"";
    try (RawHttp raw = raw()) {
      raw.send("GET /channels/" + c + "?timeout=5 HTTP/1.1\r\nHost: x\r\n\r\n"
          + postHead(c, "Content-Length: " + over.length()) + over);
      awaitParked(1);
      publishCreated(c, "\"first\"");
      RawHttp.Response poll = raw.read();
      assertThat(poll.status()).as("the poll's own answer comes first: " + poll.body()).isEqualTo(200);
      assertThat(body(poll.body()).getList("events.data", String.class)).containsExactly("first");
      RawHttp.Response refused = raw.readToEnd();
      assertThat(refused.headers()).containsEntry("connection", "close");
      assertError(refused, 413, "body_too_large");
    }
  }

  @Test
  void aBodyOverTheLimitAnnouncedWithExpectContinueIsRefusedInJson() throws IOException {
    try (RawHttp raw = raw()) {
      RawHttp.Response refused = raw.send(
          postHead(unique("expect"), "Expect: 100-continue", "Content-Length: " + (BODY_MAX + 1))).readToEnd();
      assertError(refused, 413, "body_too_large");
    }
  }

  @Test
  void aBodyUnderTheLimitAnnouncedWithExpectContinueGetsTheGoAheadAndIsStored() throws IOException {
    String c = unique("go-ahead");
    try (RawHttp raw = raw()) {
      RawHttp.Response proceed = raw.send(postHead(c, "Expect: 100-continue", "Content-Length: 2")).read();
      assertThat(proceed.status()).isEqualTo(100);
      RawHttp.Response stored = raw.send("42").read();
      assertThat(stored.status()).as(stored.body()).isEqualTo(201);
    }
    // An expectation the server does not know is ignored (RFC 9110 10.1.1), not refused without a body.
    RawHttp.Response other = rawOnce(postHead(c, "Expect: something", "Content-Length: 2") + "43");
    assertThat(other.status()).as(other.body()).isEqualTo(201);
    assertThat(body(directGet("/channels/" + c + "?after=0&timeout=0")).getList("events.data", Integer.class))
        .containsExactly(42, 43);
  }

  @Test
  void aDeclaredLengthOverTheLimitIsRefusedBeforeTheBodyArrives() throws IOException {
    String c = unique("declared");
    try (RawHttp raw = raw()) {
      // A megabyte declared, three bytes sent: the answer must not wait for the rest.
      raw.send(postHead(c, "Content-Length: 1000000") + "[1,");
      assertError(raw.read(), 413, "body_too_large");
    }
    assertError(directGet("/channels/" + c + "/info"), 404, "channel_not_found");
  }

  @Test
  void aChunkedBodyIsRefusedOnceOverTheLimitWithoutWaitingForItsEnd() throws IOException {
    String c = unique("chunked");
    try (RawHttp raw = raw()) {
      raw.send(postHead(c, "Transfer-Encoding: chunked"));
      String chunk = "x".repeat(512);
      raw.send("1\r\n\"\r\n");
      for (int i = 0; i < 3; i++) { // 1537 bytes so far, and no last chunk
        raw.send(Integer.toHexString(chunk.length()) + "\r\n" + chunk + "\r\n");
      }
      assertError(raw.read(), 413, "body_too_large");
    }
    assertError(directGet("/channels/" + c + "/info"), 404, "channel_not_found");
  }

  @Test
  void aChunkedBodyUnderTheLimitIsStored() throws IOException {
    String c = unique("chunked-ok");
    try (RawHttp raw = raw()) {
      RawHttp.Response response = raw.send(postHead(c, "Transfer-Encoding: chunked")
          + "6\r\n{\"a\":1\r\n1\r\n}\r\n0\r\n\r\n").read();
      assertThat(response.status()).as(response.body()).isEqualTo(201);
    }
    assertThat(body(directGet("/channels/" + c + "?after=0&timeout=0")).getInt("events[0].data.a")).isEqualTo(1);
  }

  // ---- request line and headers ----

  @Test
  void aRequestLineOver8KbIs414() {
    String c = unique("long");
    assertError(directRawGet("/channels/" + c + "?timeout=0&x=" + "y".repeat(8200)), 414, "uri_too_long");
    // Just under the limit still reaches the route.
    String target = "/channels/" + c + "?timeout=0&x=";
    int room = 8192 - "GET ".length() - target.length() - " HTTP/1.1".length() - 100;
    assertThat(directRawGet(target + "y".repeat(room)).status()).isEqualTo(200);
  }

  @Test
  void headersOver8KbAre431() {
    assertError(directRawGet("/health", "X-Big: " + "z".repeat(9000)), 431, "headers_too_large");
    List<String> many = new ArrayList<>();
    for (int i = 0; i < 200; i++) {
      many.add("X-Header-" + i + ": " + "v".repeat(40));
    }
    assertError(directRawGet("/health", many.toArray(String[]::new)), 431, "headers_too_large");
  }

  // ---- malformed requests ----

  static Stream<String> malformedTargets() {
    return Stream.of(
        "/channels/C?after=%ZZ",
        "/channels/C?timeout=%",
        "/channels/C?after=%C3%28",
        "/channels/C?client=%E2%82",
        "/channels/%ZZ?timeout=0",
        "/channels/C%?timeout=0",
        "/poll?channel=C&after=%ZZ",
        "/poll?channel=%E2%82",
        "/channels/C?" + "x=1&".repeat(1001) + "timeout=0");
  }

  @ParameterizedTest
  @MethodSource("malformedTargets")
  void malformedEscapesBadUtf8AndTooManyParametersAre400InvalidParameter(String target) {
    String c = unique("escape");
    directPublish(c, "1");
    RawHttp.Response response = directRawGet(target.replace("/C", "/" + c).replace("=C&", "=" + c + "&"));
    String shown = target.length() > 60 ? target.substring(0, 60) + "..." : target;
    assertThat(response.status()).as("%s: %s", shown, response.body()).isEqualTo(400);
    // As on the servlet port: the query is refused as a whole, not judged on values the decoder changed.
    assertError(response, 400, "invalid_parameter");
  }

  static Stream<Arguments> notHttp() {
    return Stream.of(
        Arguments.of("a bare line", "HELLO\r\n\r\n".getBytes(StandardCharsets.US_ASCII)),
        Arguments.of("no version", "GET /health\r\n\r\n".getBytes(StandardCharsets.US_ASCII)),
        Arguments.of("space in a header name", "GET /health HTTP/1.1\r\nBad Header: x\r\n\r\n"
            .getBytes(StandardCharsets.US_ASCII)),
        Arguments.of("a bad content length", ("POST /channels/x HTTP/1.1\r\nHost: x\r\nContent-Length: abc\r\n"
            + "Content-Type: application/json\r\n\r\n1").getBytes(StandardCharsets.US_ASCII)),
        Arguments.of("two content lengths", ("POST /channels/x HTTP/1.1\r\nHost: x\r\nContent-Length: 1\r\n"
            + "Content-Length: 2\r\nContent-Type: application/json\r\n\r\n12").getBytes(StandardCharsets.US_ASCII)),
        Arguments.of("a TLS hello", new byte[] {0x16, 0x03, 0x01, 0x00, (byte) 0xa5, 0x01, 0x00, 0x00, (byte) 0xa1,
            0x03, 0x03, 0x0d, 0x0a, 0x0d, 0x0a}),
        Arguments.of("control bytes", new byte[] {0, 1, 2, 3, (byte) 0xff, (byte) 0xfe, '\r', '\n', '\r', '\n'}));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("notHttp")
  void bytesThatAreNotHttpGet400JsonOrAClosedConnectionNeverAHang(String what, byte[] bytes) throws IOException {
    try (RawHttp raw = raw()) {
      raw.send(bytes);
      RawHttp.Response answer;
      try {
        answer = raw.readToEnd(); // the server must close: a read that times out fails the test
      } catch (IOException closedWithoutAnswer) {
        if (closedWithoutAnswer instanceof java.net.SocketTimeoutException) {
          throw closedWithoutAnswer;
        }
        return;
      }
      assertThat(answer.status()).as(what + ": " + answer.body()).isEqualTo(400);
      assertThat(answer.headers().get("content-type")).startsWith("application/json");
      assertThat(body(answer.body()).getString("error")).isNotBlank();
    }
    assertThat(server.broker().parkedCount()).isZero();
  }

  @ParameterizedTest
  @ValueSource(strings = {"HTTP/9.9", "HTTP/2.0", "HTTP/0.9"})
  void anotherMajorHttpVersionIs505AndTheConnectionCloses(String version) throws IOException {
    try (RawHttp raw = raw()) {
      RawHttp.Response answer = raw.send("GET /health " + version + "\r\nHost: x\r\n\r\n").readToEnd();
      assertError(answer, 505, "http_version_not_supported");
      assertThat(answer.headers()).containsEntry("connection", "close");
    }
  }

  @Test
  void aHigherMinorVersionIsServedAsHttp11() {
    RawHttp.Response answer = rawOnce("GET /health HTTP/1.2\r\nHost: x\r\n\r\n");
    assertThat(answer.status()).isEqualTo(200);
    assertThat(body(answer.body()).getString("status")).isEqualTo("up");
  }

  // ---- per-address limit ----

  @Test
  void aPollPastThePerAddressLimitIs429WithRetryAfter() {
    String c = unique("quota");
    List<CompletableFuture<HttpResponse<String>>> parked = new ArrayList<>();
    for (int i = 0; i < PER_ADDRESS; i++) {
      parked.add(directGetAsync("/channels/" + c + "?timeout=5"));
    }
    awaitParked(PER_ADDRESS);
    HttpResponse<String> refused = directGet("/channels/" + c + "?timeout=5");
    assertError(refused, 429, "too_many_polls");
    assertThat(refused.headers().firstValue("Retry-After")).hasValueSatisfying(
        seconds -> assertThat(Integer.parseInt(seconds)).isPositive());
    // The servlet port counts against the same address.
    assertError(getNow("/poll?channel=" + c + "&timeout=5"), 429, "too_many_polls");
    directPublish(c, "\"wake\"");
    for (CompletableFuture<HttpResponse<String>> poll : parked) {
      assertThat(answer(poll).statusCode()).isEqualTo(200);
    }
    waitUntil("slots given back").until(() -> server.broker().quota().total() == 0);
  }
}
