package dev.parkway.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import dev.parkway.core.EventStore;
import dev.parkway.core.Retention;
import dev.parkway.store.memory.RingBufferStore;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** The store wrapper that feeds {@code parkway_store_operation_seconds}. */
class TimedStoreTest {

  @Test
  void everyMethodOfTheStoreSpiIsPassedThroughNotLeftToItsDefault() throws NoSuchMethodException {
    for (Method method : EventStore.class.getMethods()) {
      if (Modifier.isStatic(method.getModifiers())) {
        continue;
      }
      Method own = TimedStore.class.getMethod(method.getName(), method.getParameterTypes());
      assertThat(own.getDeclaringClass()).as(method.toString()).isEqualTo(TimedStore.class);
    }
  }

  @Test
  void appendsAndReadsAreTimedAndAnswerAsTheStoreDoes() throws IOException {
    Metrics metrics = new Metrics();
    RingBufferStore memory = new RingBufferStore(new Retention(10, Duration.ZERO, Duration.ZERO), Clock.systemUTC());
    EventStore timed = metrics.timed(memory);

    long seq = timed.append("t", "1", null).event().seq();
    timed.append("t", "2", null);
    EventStore.Slice slice = timed.readAfter("t", 0, 10);

    assertThat(seq).isEqualTo(1);
    assertThat(slice.events()).hasSize(2);
    assertThat(timed.epoch()).isEqualTo(memory.epoch());
    String text = scrape(metrics);
    assertThat(MetricsText.value(text, "parkway_store_operation_seconds_count{operation=\"append\"}")).isEqualTo(2);
    assertThat(MetricsText.value(text, "parkway_store_operation_seconds_count{operation=\"read\"}")).isEqualTo(1);
    assertThat(text).contains("parkway_store_operation_seconds_bucket{operation=\"append\",le=\"+Inf\"} 2");
  }

  private static String scrape(Metrics metrics) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    metrics.write(out);
    return out.toString(StandardCharsets.UTF_8);
  }
}
