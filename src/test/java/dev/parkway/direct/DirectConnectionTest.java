package dev.parkway.direct;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import dev.parkway.core.Broker;
import dev.parkway.testing.RawHttp;
import java.io.IOException;
import java.net.SocketTimeoutException;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The direct port's connections: pipelined requests answered one at a time and in order (a request
 * behind a parked poll waits for it; more than 16 waiting close the connection), HTTP/1.0 with and
 * without keep-alive, {@code Connection: close}, and a client that goes away while parked ending its poll
 * at once, slot and all (the servlet port only notices at its deadline).
 */
class DirectConnectionTest extends DirectTestSupport {
  private static final int PIPELINED_MAX = 16;

  @Override
  protected Map<String, String> moreSettings() {
    // A per-address limit, so that slots are counted (with none, nothing is).
    return Map.of("parkway.poll.timeout.max", "30", "parkway.parked.per-address.max", "100");
  }

  private static String getRequest(String target) {
    return "GET " + target + " HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n";
  }

  private static String postRequest(String channel, String json) {
    return postHead(channel, "Content-Length: " + json.length()) + json;
  }

  @Test
  void pipelinedRequestsAreAnsweredInTheOrderSent() throws IOException {
    String c = unique("pipe");
    try (RawHttp raw = raw()) {
      raw.send(postRequest(c, "\"one\"") + postRequest(c, "\"two\"") + getRequest("/channels/" + c + "?after=0&timeout=0")
          + getRequest("/health") + getRequest("/nowhere") + postRequest(c, "\"three\""));
      RawHttp.Response first = raw.read();
      assertThat(first.status()).isEqualTo(201);
      assertThat(body(first.body()).getInt("seq")).isEqualTo(1);
      assertThat(body(raw.read().body()).getInt("seq")).isEqualTo(2);
      RawHttp.Response poll = raw.read();
      assertThat(poll.status()).isEqualTo(200);
      assertThat(body(poll.body()).getList("events.data", String.class)).containsExactly("one", "two");
      assertThat(body(raw.read().body()).getString("status")).isEqualTo("up");
      assertError(raw.read(), 404, "not_found");
      assertThat(body(raw.read().body()).getInt("seq")).isEqualTo(3);
    }
  }

  @Test
  void aPublishPipelinedBehindAParkedPollIsAnsweredAfterThePoll() throws IOException {
    String c = unique("behind");
    try (RawHttp raw = raw()) {
      raw.send(getRequest("/channels/" + c + "?timeout=30") + postRequest(c, "\"behind\""));
      awaitParked(1);
      // The pipelined publish waits for the poll before it: nothing is stored yet.
      assertError(directGet("/channels/" + c + "/info"), 404, "channel_not_found");

      publishCreated(c, "\"woke\"");
      RawHttp.Response poll = raw.read();
      assertThat(poll.status()).isEqualTo(200);
      assertThat(body(poll.body()).getList("events.data", String.class)).containsExactly("woke");
      RawHttp.Response publish = raw.read();
      assertThat(publish.status()).as(publish.body()).isEqualTo(201);
      assertThat(body(publish.body()).getInt("seq")).isEqualTo(2);
    }
  }

  @Test
  void sixteenRequestsMayWaitBehindAParkedPoll() throws IOException {
    String c = unique("sixteen");
    try (RawHttp raw = raw()) {
      raw.send(getRequest("/channels/" + c + "?timeout=30") + getRequest("/health").repeat(PIPELINED_MAX));
      awaitParked(1);
      directPublish(c, "1");
      assertThat(raw.read().status()).isEqualTo(200);
      for (int i = 0; i < PIPELINED_MAX; i++) {
        assertThat(raw.read().status()).as("answer %d behind the poll", i + 1).isEqualTo(200);
      }
    }
  }

  @Test
  void aSeventeenthRequestWaitingClosesTheConnectionAndEndsItsPoll() throws IOException {
    String c = unique("seventeen");
    try (RawHttp raw = raw()) {
      raw.send(getRequest("/channels/" + c + "?timeout=30"));
      awaitParked(1);
      raw.send(getRequest("/health").repeat(PIPELINED_MAX + 1));
      Throwable read = catchThrowable(raw::read);
      assertThat(read).as("the connection is closed, with no answer").isInstanceOf(IOException.class)
          .isNotInstanceOf(SocketTimeoutException.class);
      awaitParked(0);
    }
  }

  @Test
  void http10WithoutKeepAliveIsAnsweredAndClosed() throws IOException {
    try (RawHttp raw = raw()) {
      RawHttp.Response answer = raw.send("GET /health HTTP/1.0\r\n\r\n").readToEnd(); // ends when closed
      assertThat(answer.status()).isEqualTo(200);
      assertThat(answer.headers()).containsEntry("connection", "close");
      assertThat(body(answer.body()).getString("status")).isEqualTo("up");
    }
  }

  @Test
  void http10WithKeepAliveKeepsTheConnectionForTheNextRequestAndPoll() throws IOException {
    String c = unique("ten");
    try (RawHttp raw = raw()) {
      String keepAlive = " HTTP/1.0\r\nConnection: keep-alive\r\n\r\n";
      RawHttp.Response first = raw.send("GET /health" + keepAlive).read();
      assertThat(first.status()).isEqualTo(200);
      assertThat(first.headers()).containsEntry("connection", "keep-alive");

      raw.send("GET /channels/" + c + "?timeout=30" + keepAlive);
      awaitParked(1);
      directPublish(c, "\"late\"");
      RawHttp.Response poll = raw.read();
      assertThat(poll.status()).isEqualTo(200);
      assertThat(poll.headers()).containsEntry("connection", "keep-alive");
      assertThat(body(poll.body()).getList("events.data", String.class)).containsExactly("late");

      assertThat(raw.send("GET /health" + keepAlive).read().status()).isEqualTo(200);
    }
  }

  @Test
  void http11ConnectionCloseIsAnsweredAndClosed() throws IOException {
    try (RawHttp raw = raw()) {
      RawHttp.Response answer =
          raw.send("GET /health HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n" + getRequest("/health")).readToEnd();
      assertThat(answer.status()).isEqualTo(200);
      assertThat(answer.headers()).containsEntry("connection", "close");
      assertThat(answer.body()).as("the request after the close is not answered").doesNotContain("HTTP/1.1");
    }
  }

  @Test
  void aClientClosingWhileParkedEndsItsPollAndFreesItsSlotAtOnce() throws IOException {
    String c = unique("gone");
    Broker broker = server.broker();
    RawHttp single = raw();
    RawHttp many = raw();
    RawHttp mailbox = raw();
    single.send(getRequest("/channels/" + c + "?timeout=30"));
    many.send(getRequest("/poll?channel=" + c + "&channel=" + c + ".*&timeout=30"));
    mailbox.send(getRequest("/channels/" + c + "?timeout=30&client=" + unique("client")));
    awaitParked(3);
    assertThat(broker.quota().held("127.0.0.1")).isEqualTo(3);

    single.close();
    awaitParked(2); // long before the 30 s deadline
    many.close();
    mailbox.close();
    awaitParked(0);
    waitUntil("slots given back").until(() -> broker.quota().total() == 0);
    assertThat(broker.subscribers(c)).isZero();
    // Nothing was written to the gone clients; the channel still takes publishes and polls.
    assertThat(directPublish(c, "1")).isEqualTo(1);
  }
}
