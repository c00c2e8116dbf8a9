package dev.parkway.compat;

import static org.assertj.core.api.Assertions.assertThat;

import dev.parkway.core.Mailboxes;
import dev.parkway.testing.LogCapture;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletableFuture;
import java.util.logging.Level;
import org.junit.jupiter.api.Test;

/**
 * The Gin example (seed 000) against Parkway: its quick test, its answers byte for byte, and what Parkway
 * does where the original dropped or lost messages (queued, redelivered after a failed write).
 */
class GinRoutesTest extends GinHttpSupport {

  /** Messages still in the client's mailbox (not acknowledged). */
  private int queued(String client) {
    return server.broker().stats(Mailboxes.key(client)).map(s -> s.buffered()).orElse(0);
  }

  @Test
  void theSeedsQuickTestParkedPollIsAnsweredBySend() {
    String u1 = unique("u1");
    CompletableFuture<HttpResponse<String>> poll = getAsync("/poll/" + u1); // curl -N .../poll/u1
    awaitParked(1);

    HttpResponse<String> sent = post("/send/" + u1, "{\"message\":\"ping!\"}");
    assertJson(sent, 200);
    assertThat(sent.body()).isEqualTo("{\"status\":\"message sent\"}");

    HttpResponse<String> got = assertJson(answer(poll), 200);
    assertThat(got.body()).isEqualTo("{\"message\":\"ping!\"}");
    assertThat(got.headers().firstValue("Content-Length")).hasValue(Integer.toString(got.body().length()));
    assertThat(queued(u1)).as("delivered means acknowledged").isZero();
  }

  @Test
  void aMessageSentWhileNobodyWaitsIsQueuedAndDeliveredByTheNextPoll() {
    String id = unique("offline");
    assertThat(post("/send/" + id, "{\"message\":\"first\"}").statusCode()).isEqualTo(200);
    assertThat(post("/send/" + id, "{\"message\":\"second\"}").statusCode()).isEqualTo(200);
    assertThat(queued(id)).isEqualTo(2);

    // One message per answer, oldest first, each acknowledged once written.
    assertThat(assertJson(getNow("/poll/" + id), 200).body()).isEqualTo("{\"message\":\"first\"}");
    assertThat(queued(id)).isEqualTo(1);
    assertThat(assertJson(getNow("/poll/" + id), 200).body()).isEqualTo("{\"message\":\"second\"}");
    assertThat(queued(id)).isZero();

    CompletableFuture<HttpResponse<String>> next = getAsync("/poll/" + id);
    awaitParked(1);
    post("/send/" + id, "{\"message\":\"third\"}");
    assertThat(answer(next).body()).isEqualTo("{\"message\":\"third\"}");
  }

  @Test
  void theMessageIsAnyJsonValueAndComesBackAsSent() {
    String id = unique("json");
    String message = "{\"text\":\"h\\u00e9 \\\"quoted\\\"\\nline\",\"n\":[1,2.5,null,true]}";
    post("/send/" + id, "{ \"message\" : " + message + " , \"extra\": 1 }");
    HttpResponse<String> got = assertJson(getNow("/poll/" + id), 200);
    assertThat(body(got).getMap("$")).containsOnlyKeys("message");
    assertThat(body(got).getString("message.text")).isEqualTo("hé \"quoted\"\nline");
    assertThat(got.body()).isEqualTo("{\"message\":{\"text\":\"hé \\\"quoted\\\"\\nline\",\"n\":[1,2.5,null,true]}}");
  }

  @Test
  void aClientThatVanishedBeforeTheAnswerGetsTheMessageOnItsNextPoll() throws IOException {
    String id = unique("crash");
    // The transport logs a failed answer write at DEBUG (FINE), after the answer format has run.
    try (LogCapture log = new LogCapture("dev.parkway.transport.http.PollListener", Level.FINE)) {
      try (Socket socket = new Socket()) {
        socket.connect(new InetSocketAddress("127.0.0.1", server.port()), 10_000);
        OutputStream out = socket.getOutputStream();
        out.write(("GET /poll/" + id + " HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
        out.flush();
        awaitParked(1);
        socket.setSoLinger(true, 0); // close with a reset: the server's next write to it fails
      }
      post("/send/" + id, "{\"message\":\"do not lose me\"}");
      // The server tried to answer the vanished client and its write failed (logged at DEBUG).
      waitUntil("the answer's write failed")
          .until(() -> log.count("could not write a poll answer") == 1);
    }
    assertThat(queued(id)).as("a failed write acknowledges nothing").isEqualTo(1);
    assertThat(assertJson(getNow("/poll/" + id), 200).body()).isEqualTo("{\"message\":\"do not lose me\"}");
    assertThat(queued(id)).isZero();
  }

  @Test
  void aClientThatReadsTheWholeAnswerFindsItAcknowledgedAlready() throws IOException {
    String id = unique("quick");
    post("/send/" + id, "{\"message\":1}");
    post("/send/" + id, "{\"message\":2}");
    // A raw client reads the answer to its last byte and at once polls again on a new connection: the
    // acknowledgement happened before that last byte was sent, so it never sees message 1 twice.
    try (Socket socket = new Socket()) {
      socket.connect(new InetSocketAddress("127.0.0.1", server.port()), 10_000);
      socket.setSoTimeout(10_000);
      socket.getOutputStream().write(
          ("GET /poll/" + id + " HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n")
              .getBytes(StandardCharsets.US_ASCII));
      InputStream in = socket.getInputStream();
      String raw = new String(in.readAllBytes(), StandardCharsets.UTF_8);
      assertThat(raw).startsWith("HTTP/1.1 200 ").endsWith("\r\n\r\n{\"message\":1}");
    }
    assertThat(getNow("/poll/" + id).body()).isEqualTo("{\"message\":2}");
  }

  @Test
  void aNewerPollForTheSameIdSupersedesTheOlderWith409() {
    String id = unique("twice");
    CompletableFuture<HttpResponse<String>> older = getAsync("/poll/" + id);
    awaitParked(1);
    CompletableFuture<HttpResponse<String>> newer = getAsync("/poll/" + id);

    HttpResponse<String> superseded = assertJson(answer(older), 409);
    assertThat(superseded.body()).isEqualTo("{\"error\":\"superseded\"}");
    awaitParked(1);
    assertThat(newer).isNotDone();

    post("/send/" + id, "{\"message\":\"to the newer\"}");
    assertThat(assertJson(answer(newer), 200).body()).isEqualTo("{\"message\":\"to the newer\"}");
  }

  @Test
  void theGinPollAndTheNativeMailboxAreTheSameQueue() {
    String id = unique("shared");
    HttpResponse<String> queuedNatively = post("/clients/" + id + "/messages", "\"native\"");
    assertThat(queuedNatively.statusCode()).isEqualTo(202);
    assertThat(getNow("/poll/" + id).body()).isEqualTo("{\"message\":\"native\"}");

    post("/send/" + id, "{\"message\":\"gin\"}");
    HttpResponse<String> nativePoll = getNow("/clients/" + id + "/messages?timeout=0");
    assertThat(body(nativePoll).getList("events.data", String.class)).containsExactly("gin");
    assertThat(body(nativePoll).getList("events.seq", Integer.class)).containsExactly(2);
  }

  @Test
  void anInvalidClientIdIs400() {
    assertError(getNow("/poll/a*b"), 400, "invalid_client");
    assertError(getNow("/poll/" + "x".repeat(129)), 400, "invalid_client");
    assertError(getNow("/poll/"), 400, "invalid_client");
    assertError(post("/send/a*b", "{\"message\":1}"), 400, "invalid_client");
    assertError(getNow("/poll/a/b"), 404, "not_found");
  }

  @Test
  void aBadSendBodyIs4xxAndQueuesNothing() {
    String id = unique("bad");
    assertError(post("/send/" + id, "{\"message\":"), 400, "invalid_json");
    assertError(post("/send/" + id, ""), 400, "invalid_json");
    assertError(post("/send/" + id, "[\"message\"]"), 400, "invalid_body");
    assertError(post("/send/" + id, "\"ping!\""), 400, "invalid_body");
    assertError(post("/send/" + id, "{\"msg\":\"ping!\"}"), 400, "invalid_body");
    HttpResponse<String> noType =
        send(java.net.http.HttpRequest.newBuilder(java.net.URI.create(server.baseUri() + "/send/" + id))
            .POST(java.net.http.HttpRequest.BodyPublishers.ofString("{\"message\":1}"))
            .build());
    assertError(noType, 415, "unsupported_media_type");
    assertThat(queued(id)).isZero();
  }

  @Test
  void wrongMethodsAre405WithAllow() {
    HttpResponse<String> putSend =
        send(java.net.http.HttpRequest.newBuilder(java.net.URI.create(server.baseUri() + "/send/x"))
            .PUT(java.net.http.HttpRequest.BodyPublishers.ofString("{}"))
            .build());
    assertError(putSend, 405, "method_not_allowed");
    assertThat(putSend.headers().firstValue("Allow")).hasValue("POST");
    HttpResponse<String> getSend = getNow("/send/x");
    assertError(getSend, 405, "method_not_allowed");
    HttpResponse<String> postPoll = post("/poll/x", "{\"message\":1}");
    assertError(postPoll, 405, "method_not_allowed");
    assertThat(postPoll.headers().firstValue("Allow")).hasValue("GET");
  }
}
