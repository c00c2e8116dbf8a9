package dev.parkway.sse;

import static org.assertj.core.api.Assertions.assertThat;

import dev.parkway.core.Broker;
import dev.parkway.testing.ParkwayHttpSupport;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;

/**
 * Base of the stream tests (and of the broadcast compatibility tests, which stream too): {@link
 * ParkwayHttpSupport}'s server, client and drain rule, plus {@link SseClient}s that are closed after each
 * test, and the rule that every test leaves no stream open.
 */
public abstract class SseTestSupport extends ParkwayHttpSupport {
  private final List<AutoCloseable> opened = new ArrayList<>();

  /** Runs before the base class's drain of parked polls (JUnit runs a subclass's {@code @AfterEach} first). */
  @AfterEach
  void streamsClose() throws Exception {
    for (AutoCloseable c : opened) {
      c.close();
    }
    opened.clear();
    if (server != null && server.available()) {
      Broker broker = server.broker();
      waitUntil("open streams close").until(() -> broker.watcherCount() == 0);
    }
  }

  /** A channel name no other test of this JVM uses. */
  public static String channel(String hint) {
    return unique(hint);
  }

  /** Opens a stream that is closed after the test. */
  protected SseClient stream(String target, String... headerLines) {
    try {
      SseClient client = SseClient.open(server.port(), target, headerLines);
      opened.add(client);
      return client;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Opens a stream, asserts it is one, and waits until the broker has it registered. */
  protected SseClient openStream(String target, String... headerLines) {
    int before = server.broker().watcherCount();
    SseClient client = stream(target, headerLines);
    assertThat(client.status()).as(client.errorBody()).isEqualTo(200);
    waitUntil("stream registered").until(() -> server.broker().watcherCount() > before);
    return client;
  }

  /** Publishes {@code json} on {@code channel} and returns its seq. */
  protected long publish(String channel, String json) {
    return body(publishCreated(channel, json)).getLong("seq");
  }
}
