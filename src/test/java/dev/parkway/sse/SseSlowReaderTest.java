package dev.parkway.sse;

import static org.assertj.core.api.Assertions.assertThat;

import io.restassured.path.json.JsonPath;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.net.SocketException;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * A client that stops reading is disconnected once more than {@code parkway.sse.buffer.max} bytes wait
 * for it, and no other stream notices.
 */
class SseSlowReaderTest extends SseTestSupport {
  private static final int EVENT_CHARS = 256 * 1024;
  private static final int MAX_PUBLISHES = 400; // ~100 MB: far beyond any socket buffer on loopback

  @Override
  protected Map<String, String> settings() {
    return Map.of(
        // The longest heartbeat: within this test only the buffer bound can drop a stream, not the
        // heartbeat's stall check.
        "parkway.sse.heartbeat", "15",
        "parkway.sse.buffer.max", "2048",
        "parkway.body.max", Integer.toString(2 * EVENT_CHARS),
        "parkway.channel.retention.count", "4");
  }

  @Test
  void aReaderThatNeverReadsIsDisconnectedAndOthersKeepStreaming() throws Exception {
    String slowChannel = channel("slow");
    String otherChannel = channel("other");
    SseClient healthy = openStream("/channels/" + otherChannel + "/stream");
    try (Socket slow = SseClient.openIdle(server.port(), "/channels/" + slowChannel + "/stream", 4096)) {
      waitUntil("both streams registered").until(() -> server.broker().watcherCount() == 2);

      String big = "\"" + "x".repeat(EVENT_CHARS) + "\"";
      int published = 0;
      while (server.broker().watcherCount() == 2 && published < MAX_PUBLISHES) {
        publish(slowChannel, big);
        published++;
      }
      waitUntil("the slow stream is dropped").until(() -> server.broker().watcherCount() == 1);

      long s = publish(otherChannel, "\"still here\"");
      var frame = healthy.nextEvent();
      assertThat(JsonPath.from(frame.data()).getLong("seq")).isEqualTo(s);
      assertThat(JsonPath.from(frame.data()).getString("data")).isEqualTo("still here");

      assertThat(readsToTheEnd(slow)).as("the server ended the slow stream").isTrue();
    }
    // With a 15 s heartbeat, a write is what finds the healthy client gone once it closes.
    healthy.close();
    for (int i = 0; i < 100 && server.broker().watcherCount() > 0; i++) {
      publish(otherChannel, "\"bye\"");
    }
    assertThat(server.broker().watcherCount()).isZero();
  }

  /**
   * Reads what the server had buffered for the slow client, up to the end of the response (its last
   * chunk) or of the connection.
   */
  private static boolean readsToTheEnd(Socket socket) throws IOException {
    socket.setSoTimeout((int) PATIENCE.toMillis());
    InputStream in = socket.getInputStream();
    byte[] buffer = new byte[64 * 1024];
    ByteArrayOutputStream tail = new ByteArrayOutputStream();
    long total = 0;
    try {
      for (int n; (n = in.read(buffer)) >= 0 && total < 512L * 1024 * 1024; total += n) {
        tail.write(buffer, 0, n);
        byte[] t = tail.toByteArray();
        String end = new String(t, Math.max(0, t.length - 16), Math.min(16, t.length), StandardCharsets.ISO_8859_1);
        if (end.endsWith("\r\n0\r\n\r\n")) {
          return true;
        }
        if (t.length > 64) {
          tail.reset();
          tail.write(t, t.length - 16, 16);
        }
      }
      return true; // end of the connection
    } catch (SocketException e) {
      return true; // reset by the server
    }
  }
}
