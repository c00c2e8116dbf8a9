package dev.parkway.fuzz;

import static org.assertj.core.api.Assertions.assertThat;

import dev.parkway.testing.EmbeddedParkway;
import dev.parkway.testing.RawHttp;
import java.io.IOException;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * Fixed requests the fuzzer ({@link RequestFuzzTest}) found or that pin its classification of the
 * container's own refusals. Each sends exact bytes over a plain socket.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class FuzzRegressionTest {
  private EmbeddedParkway server;

  @BeforeAll
  void start() {
    server = EmbeddedParkway.start(RequestFuzzTest.shortLimits());
  }

  @AfterAll
  void stop() {
    if (server != null) {
      server.close();
    }
  }

  /**
   * Sends {@code request} and reads its answer through {@link FuzzClient}: bounded in time, and an event
   * stream is read only up to its first frame (RawHttp.readToEnd would wait for a stream's end for ever).
   */
  private RawHttp.Response exchange(String request) throws IOException {
    String method = request.substring(0, request.indexOf(' '));
    FuzzClient.Result result = new FuzzClient(server.port(), 5000)
        .exchange(new FuzzRequest(FuzzRequest.ascii(request), method, "/", false, false, false, false));
    assertThat(result.kind()).as(result.problem()).isEqualTo(FuzzClient.Kind.ANSWERED);
    return new RawHttp.Response(result.status(), result.headers(), result.bodyText());
  }

  private RawHttp.Response post(String path, String contentType, String body) throws IOException {
    return exchange("POST " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: " + contentType
        + "\r\nContent-Length: " + body.length() + "\r\nConnection: close\r\n\r\n" + body);
  }

  private static String nested(int depth) {
    return "[".repeat(depth) + "]".repeat(depth);
  }

  @Test
  void aPublishNestedAsDeepAsTheParserAllowsIsStored() throws IOException {
    RawHttp.Response response = post("/channels/fz-deep-ok", "application/json", nested(999));
    assertThat(response.status()).as(response.body()).isEqualTo(201);
  }

  @Test
  void aPublishNestedDeeperThanTheParserAllowsIsRefusedAsInvalidJson() throws IOException {
    RawHttp.Response response = post("/channels/fz-deep", "application/json", nested(1001));
    assertThat(response.status()).as(response.body()).isEqualTo(400);
    assertThat(response.body()).contains("\"error\":\"invalid_json\"");
  }

  @Test
  void aMailboxMessageNestedDeeperThanTheParserAllowsIsRefusedAsInvalidJson() throws IOException {
    RawHttp.Response response = post("/clients/fz-deep/messages", "application/json", nested(1001));
    assertThat(response.status()).as(response.body()).isEqualTo(400);
    assertThat(response.body()).contains("\"error\":\"invalid_json\"");
  }

  @Test
  void aGolongpollPublishNestedDeeperThanTheParserAllowsIsRefusedLikeGolongpoll() throws IOException {
    RawHttp.Response response =
        post("/publish", "application/json", "{\"category\":\"fz\",\"data\":" + nested(1001) + "}");
    assertThat(response.status()).as(response.body()).isEqualTo(400);
    assertThat(response.body()).contains("Invalid POST body json.");
  }

  @Test
  void aGinSendNestedDeeperThanTheParserAllowsIsRefusedAsInvalidJson() throws IOException {
    RawHttp.Response response =
        post("/send/fz-deep", "application/json", "{\"message\":" + nested(1001) + "}");
    assertThat(response.status()).as(response.body()).isEqualTo(400);
    assertThat(response.body()).contains("\"error\":\"invalid_json\"");
  }

  @Test
  void anUnknownMethodOutsideTheApiIsAJsonRefusalNotA501Page() throws IOException {
    for (String method : new String[] {"FOO", "PROPFIND", "get", "POST", "DELETE"}) {
      for (String path : new String[] {"/nothing", "/index.html", "/"}) {
        RawHttp.Response response =
            exchange(method + " " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n"
                + "Content-Length: 0\r\n\r\n");
        assertThat(response.status()).as(method + " " + path).isEqualTo(405);
        assertThat(response.headers().get("content-type")).as(method + " " + path).startsWith("application/json");
        assertThat(response.body()).contains("\"error\":\"method_not_allowed\"");
      }
    }
  }

  @Test
  void theStaticFilesStillAnswerGetAndHead() throws IOException {
    RawHttp.Response get = exchange("GET /parkway.js HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n");
    assertThat(get.status()).isEqualTo(200);
    RawHttp.Response head = exchange("HEAD / HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n");
    assertThat(head.status()).isEqualTo(200);
  }

  @Test
  void aPublishWhoseContentTypeIsOnlyASemicolonIsUnsupportedMediaType() throws IOException {
    RawHttp.Response response = post("/channels/fz-semicolon", ";", "{}");
    assertThat(response.status()).as(response.body()).isEqualTo(415);
    assertThat(response.body()).contains("\"error\":\"unsupported_media_type\"");
  }

  @Test
  void aMailboxOrGinSendWhoseContentTypeIsOnlySemicolonsIsUnsupportedMediaType() throws IOException {
    assertThat(post("/clients/fz-semicolon/messages", ";;", "{}").status()).isEqualTo(415);
    assertThat(post("/send/fz-semicolon", " ; ", "{\"message\":1}").status()).isEqualTo(415);
  }

  @Test
  void aPublishWithAnEmptyContentTypeIsUnsupportedMediaType() throws IOException {
    RawHttp.Response response = post("/channels/fz-empty-type", "", "{}");
    assertThat(response.status()).as(response.body()).isEqualTo(415);
  }

  @Test
  void aWrongMethodOutsideTheApiInHttp10IsAJsonRefusal() throws IOException {
    RawHttp.Response response = exchange("PATCH /index.html HTTP/1.0\r\nHost: 127.0.0.1\r\n\r\n");
    assertThat(response.headers().get("content-type")).startsWith("application/json");
  }

  @Test
  void anUnknownMethodOnAnApiRouteIsAJsonMethodNotAllowed() throws IOException {
    RawHttp.Response response =
        exchange("FOO /channels/news HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n");
    assertThat(response.status()).isEqualTo(405);
    assertThat(response.body()).contains("\"error\":\"method_not_allowed\"");
  }

  @Test
  void aPublishBodyCutShortIsAJsonRefusal() throws IOException {
    FuzzRequest cutShort = new FuzzRequest(FuzzRequest.ascii(
        "POST /channels/fz-short HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
            + "Content-Length: 50\r\nConnection: close\r\n\r\n[null]"),
        "POST", "/channels/fz-short", false, true, false, false); // sent, then the output is half-closed
    FuzzClient.Result result = new FuzzClient(server.port(), 5000).exchange(cutShort);
    assertThat(result.status()).isEqualTo(400);
    assertThat(result.contentType()).startsWith("application/json");
  }

  @Test
  void aStreamRequestToEventsWithAMalformedQueryIsAJsonRefusal() throws IOException {
    RawHttp.Response response = exchange("GET /events?x=%ZZ HTTP/1.1\r\nHost: 127.0.0.1\r\n"
        + "Accept: text/event-stream\r\nConnection: close\r\n\r\n");
    assertThat(response.status()).isEqualTo(400);
    assertThat(response.body()).contains("\"error\":\"invalid_parameter\"");
  }

  @Test
  void aGolongpollSubscribeAskingForAStreamWithAMalformedPairDropsThePair() throws IOException {
    RawHttp.Response response = exchange("GET /events?category=fz&timeout=1&x=%ZZ HTTP/1.1\r\n"
        + "Host: 127.0.0.1\r\nAccept: text/event-stream\r\nConnection: close\r\n\r\n");
    assertThat(response.status()).isEqualTo(200);
    assertThat(response.headers().get("content-type")).isEqualTo("application/json");
  }

  @Test
  void aGolongpollSubscribeWithAMalformedPairDropsThePair() throws IOException {
    RawHttp.Response response = exchange("GET /events?category=fz&timeout=1&x=%ZZ HTTP/1.1\r\n"
        + "Host: 127.0.0.1\r\nConnection: close\r\n\r\n");
    assertThat(response.status()).isEqualTo(200);
    assertThat(response.body()).contains("no events before timeout");
  }

  @Test
  void aHeadRequestForTheBroadcastStreamLeavesNoStreamOpenBehind() throws IOException {
    try (java.net.Socket socket = new java.net.Socket("127.0.0.1", server.port())) {
      socket.setSoTimeout(5000);
      socket.getOutputStream().write(FuzzRequest.ascii("HEAD /events HTTP/1.1\r\nHost: 127.0.0.1\r\n"
          + "Accept: text/event-stream\r\nConnection: close\r\n\r\n"));
      RawHttp.Head head = RawHttp.readHead(socket.getInputStream());
      assertThat(head.status()).isLessThan(500);
    } // the client leaves after the head
    org.awaitility.Awaitility.await("open streams drain").pollDelay(Duration.ZERO)
        .pollInterval(Duration.ofMillis(10)).atMost(Duration.ofSeconds(5))
        .until(() -> server.broker().watcherCount() == 0);
  }

  @Test
  void aHeadRequestForANativeStreamIsMethodNotAllowed() throws IOException {
    RawHttp.Response response =
        exchange("HEAD /stream?channel=fz HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n");
    assertThat(response.status()).isEqualTo(405);
  }

  @Test
  void aBracketInTheQueryIsRefusedByTheContainerBeforeParkway() throws IOException {
    RawHttp.Response response =
        exchange("GET /poll?after[]=1 HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n");
    assertThat(response.status()).isEqualTo(400);
    assertThat(response.headers().get("content-type")).startsWith("text/html");
  }
}
