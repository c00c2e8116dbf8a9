package dev.parkway.security;

import static org.assertj.core.api.Assertions.assertThat;

import dev.parkway.sse.SseClient;
import java.io.IOException;
import java.net.URLEncoder;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

/** {@code parkway.auth=tokens} on the native routes and streams: one token per role. */
class TokensModeTest extends SecurityTestSupport {
  static final String ADMIN = "admin-token-0123456789";

  @Override
  protected Map<String, String> settings() {
    return tokensMode("parkway.auth.admin-token", ADMIN, "parkway.sse.heartbeat", "0.2");
  }

  @Test
  void requestWithoutATokenIs401WithTheChallenge() {
    String c = unique("none");
    assertNeedsAToken(get(null, "/channels/" + c + "?timeout=0"));
    assertNeedsAToken(post(null, "/channels/" + c, "1"));
    assertNeedsAToken(get(null, "/poll?channel=" + c + "&timeout=0"));
    assertNeedsAToken(get(null, "/clients/" + c + "/messages?timeout=0"));
    assertNeedsAToken(delete(null, "/channels/" + c));
  }

  private static void assertNeedsAToken(HttpResponse<String> response) {
    assertThat(assertUnauthorized(response, false).getString("message")).contains("Bearer");
  }

  @Test
  void wrongTokenIs401InvalidToken() {
    String c = unique("wrong");
    assertUnauthorized(get(PUBLISH + "x", "/channels/" + c + "?timeout=0"), true);
    assertUnauthorized(get("", "/channels/" + c + "?timeout=0"), true);
    HttpResponse<String> basic =
        send(request("/channels/" + c + "?timeout=0").header("Authorization", "Basic dXNlcjpwYXNz").GET().build());
    assertUnauthorized(basic, false); // not a bearer token: none given
  }

  @Test
  void aRequestWithoutCredentialsIsRefusedBeforeItIsValidated() {
    assertUnauthorized(get(null, "/channels/bad%20name?timeout=0"), false);
    assertUnauthorized(get(null, "/channels/ok?limit=0"), false);
    assertUnauthorized(send(request("/channels/ok").header("Content-Type", "text/plain")
        .POST(java.net.http.HttpRequest.BodyPublishers.ofString("not json")).build()), false);
    var malformed = rawGet("/poll?channel=%ZZ"); // java.net.http refuses to send a malformed escape
    assertThat(malformed.status()).isEqualTo(401);
    assertThat(malformed.body()).contains("\"unauthorized\"");
  }

  @Test
  void subscribeTokenCannotPublishAndNothingIsStored() {
    String c = unique("readonly");
    assertThat(assertForbidden(post(SUBSCRIBE, "/channels/" + c, "{\"x\":1}")).getString("message"))
        .contains("publish").contains(c);
    assertError(get(ADMIN, "/channels/" + c + "/info"), 404, "channel_not_found");
  }

  @Test
  void publishTokenPublishesAndSubscribeTokenReceives() {
    String c = unique("pubsub");
    CompletableFuture<HttpResponse<String>> poll = sendAsync(as(SUBSCRIBE, "/channels/" + c + "?timeout=10").GET().build());
    awaitParked(1);

    HttpResponse<String> published = post(PUBLISH, "/channels/" + c, "{\"hello\":1}");
    assertThat(published.statusCode()).as(published.body()).isEqualTo(201);

    HttpResponse<String> answer = answer(poll);
    assertThat(answer.statusCode()).as(answer.body()).isEqualTo(200);
    assertThat(body(answer).getInt("events[0].data.hello")).isEqualTo(1);
    // The publish token reads back what it wrote, through a many-channel poll too.
    HttpResponse<String> again = get(PUBLISH, "/poll?channel=" + c + "&after=0&timeout=0");
    assertThat(body(again).getList("events")).hasSize(1);
  }

  @Test
  void tokenInTheAccessTokenQueryParameterIsAccepted() {
    String c = unique("query");
    HttpResponse<String> poll = get(null, "/channels/" + c + "?timeout=0&access_token=" + SUBSCRIBE);
    assertThat(poll.statusCode()).as(poll.body()).isEqualTo(200);
    assertUnauthorized(get(null, "/channels/" + c + "?timeout=0&access_token=nope"), true);
  }

  @Test
  void mailboxesNeedPublishToSendAndSubscribeToRead() {
    String id = unique("client");
    assertForbidden(post(SUBSCRIBE, "/clients/" + id + "/messages", "\"hi\""));
    HttpResponse<String> sent = post(PUBLISH, "/clients/" + id + "/messages", "\"hi\"");
    assertThat(sent.statusCode()).as(sent.body()).isEqualTo(202);
    assertUnauthorized(get(null, "/clients/" + id + "/messages?timeout=0"), false);
    HttpResponse<String> read = get(SUBSCRIBE, "/clients/" + id + "/messages?timeout=0");
    assertThat(read.statusCode()).as(read.body()).isEqualTo(200);
    assertThat(body(read).getString("events[0].data")).isEqualTo("hi");
  }

  @Test
  void infoAndDeleteNeedTheAdminToken() {
    String c = unique("admin");
    assertThat(post(PUBLISH, "/channels/" + c, "1").statusCode()).isEqualTo(201);
    assertForbidden(get(SUBSCRIBE, "/channels/" + c + "/info"));
    assertForbidden(get(PUBLISH, "/channels/" + c + "/info"));
    assertForbidden(delete(PUBLISH, "/channels/" + c));
    assertThat(get(ADMIN, "/channels/" + c + "/info").statusCode()).isEqualTo(200);
    assertThat(delete(ADMIN, "/channels/" + c).statusCode()).isEqualTo(204);
  }

  @Test
  void metricsNeedTheAdminToken() {
    assertThat(get(null, "/metrics").statusCode()).isEqualTo(401);
    assertForbidden(get(PUBLISH, "/metrics"));
    var metrics = get(ADMIN, "/metrics");
    assertThat(metrics.statusCode()).isEqualTo(200);
    assertThat(metrics.body()).contains("parkway_parked_polls");
  }

  @Test
  void healthAndStaticFilesStayOpen() {
    assertThat(get(null, "/health").statusCode()).isEqualTo(200);
    assertThat(get(null, "/").statusCode()).isEqualTo(200);
    assertThat(get(null, "/parkway.js").statusCode()).isEqualTo(200);
  }

  @Test
  void streamsWithoutATokenAre401() throws IOException {
    String c = unique("sse");
    try (SseClient stream = SseClient.open(server.port(), "/channels/" + c + "/stream")) {
      assertThat(stream.status()).isEqualTo(401);
      assertThat(stream.errorBody()).contains("\"unauthorized\"");
    }
    try (SseClient stream = SseClient.open(server.port(), "/stream?channel=" + c)) {
      assertThat(stream.status()).isEqualTo(401);
    }
    try (SseClient stream = SseClient.open(server.port(), "/stream?channel=" + c, "Authorization: Bearer wrong")) {
      assertThat(stream.status()).isEqualTo(401);
      assertThat(stream.errorBody()).contains("\"invalid_token\"");
    }
    assertThat(server.broker().watcherCount()).isZero();
  }

  @Test
  void eventSourceStreamsWithTheTokenInTheQuery() throws IOException {
    String c = unique("es");
    String target = "/channels/" + c + "/stream?access_token=" + URLEncoder.encode(SUBSCRIBE, StandardCharsets.UTF_8);
    try (SseClient stream = SseClient.open(server.port(), target)) {
      assertThat(stream.status()).as(stream.errorBody()).isEqualTo(200);
      waitUntil("stream registered").until(() -> server.broker().watcherCount() == 1);
      assertThat(post(PUBLISH, "/channels/" + c, "{\"sse\":1}").statusCode()).isEqualTo(201);
      SseClient.Frame frame = stream.nextEvent();
      assertThat(frame.data()).contains("\"sse\":1");
    }
    waitUntil("stream closed").until(() -> server.broker().watcherCount() == 0);
  }
}
