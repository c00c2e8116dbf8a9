package dev.parkway.sse;

import static org.assertj.core.api.Assertions.assertThat;

import io.restassured.path.json.JsonPath;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/**
 * Clients that open a stream, read a little and vanish, many at once, while heartbeats write to every
 * stream. The race this guards against: a heartbeat still writing to a stream whose client just left,
 * while the container recycles that request for the next connection, broke fresh streams after their
 * first frame. Every stream here must get exactly its events, and none may stay registered.
 */
class SseChurnTest extends SseTestSupport {
  private static final int THREADS = 4;
  private static final int ROUNDS = 40;

  @Override
  protected Map<String, String> settings() {
    return Map.of("parkway.sse.heartbeat", "0.1");
  }

  @Test
  void streamsOpenedWhileOthersVanishGetExactlyTheirEvents() throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(THREADS);
    AtomicReference<Throwable> first = new AtomicReference<>();
    try {
      List<Future<?>> workers = new ArrayList<>();
      for (int t = 0; t < THREADS; t++) {
        workers.add(pool.submit(() -> {
          for (int round = 0; round < ROUNDS && first.get() == null; round++) {
            String c = channel("churn");
            try (SseClient stream = SseClient.open(server.port(), "/channels/" + c + "/stream")) {
              assertThat(stream.status()).isEqualTo(200);
              assertThat(stream.next().comments()).containsExactly("open");
              long s1 = publish(c, "1");
              long s2 = publish(c, "2");
              assertThat(JsonPath.from(stream.nextEvent().data()).getLong("seq")).isEqualTo(s1);
              assertThat(JsonPath.from(stream.nextEvent().data()).getLong("seq")).isEqualTo(s2);
            } catch (Throwable e) {
              first.compareAndSet(null, e);
            }
          }
        }));
      }
      for (Future<?> worker : workers) {
        worker.get(2, TimeUnit.MINUTES);
      }
    } finally {
      pool.shutdownNow();
    }
    if (first.get() != null) {
      throw new AssertionError("a stream failed", first.get());
    }
    waitUntil("every stream unregistered").until(() -> server.broker().watcherCount() == 0);
  }
}
