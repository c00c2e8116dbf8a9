package dev.parkway.direct;

import static org.assertj.core.api.Assertions.assertThat;

import dev.parkway.testing.RawHttp;
import java.io.IOException;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * {@code parkway.direct.idle}: a keep-alive connection with no request for that long is closed in silence,
 * but a parked poll is not idle, however long it waits, and the connection it was answered on gets the
 * whole idle time again for its next request. One second here, so the tests wait about that long.
 */
class DirectIdleTest extends DirectTestSupport {

  @Override
  protected Map<String, String> moreSettings() {
    return Map.of("parkway.direct.idle", "1", "parkway.poll.timeout.max", "30");
  }

  @Test
  void aConnectionWithNoRequestForTheIdleTimeIsClosedInSilence() throws IOException {
    try (RawHttp raw = raw()) {
      assertThat(raw.send("GET /health HTTP/1.1\r\nHost: x\r\n\r\n").read().status()).isEqualTo(200);
      assertThat(raw.awaitClosed()).as("nothing is written to a connection closed for idleness").isEmpty();
    }
  }

  @Test
  void aPollParkedLongerThanTheIdleTimeIsAnsweredAndItsConnectionKept() throws IOException {
    String c = unique("idle");
    try (RawHttp raw = raw()) {
      RawHttp.Response poll = raw.send("GET /channels/" + c + "?timeout=3 HTTP/1.1\r\nHost: x\r\n\r\n").read();
      assertThat(poll.status()).isEqualTo(200);
      assertThat(body(poll.body()).getBoolean("timeout")).isTrue();

      assertThat(raw.send("GET /health HTTP/1.1\r\nHost: x\r\n\r\n").read().status())
          .as("the connection outlived the idle time while its poll was parked")
          .isEqualTo(200);
    }
  }
}
