package dev.parkway.core;

import dev.parkway.store.memory.RingBufferStore;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;

/**
 * A broker built as production builds it ({@code new RingBufferStore(retention, clock)}, {@code new
 * Broker(store, timer, executor, 2, maxAnswerBytes)}), but on a {@link MutableClock}, a {@link ManualTimer}
 * and a {@link QueueExecutor}, with a {@link HookedStore} between the broker and the memory store.
 */
final class CoreFixture {
  static final long T0 = 1_700_000_000_000L;
  static final Retention RETENTION = new Retention(1000, Duration.ZERO, Duration.ofMinutes(5));

  final MutableClock clock = new MutableClock(T0);
  final ManualTimer timer = new ManualTimer(clock);
  final QueueExecutor executor = new QueueExecutor();
  final RingBufferStore memory;
  final HookedStore store;
  final Broker broker;

  CoreFixture() {
    this(RETENTION, 1 << 20);
  }

  CoreFixture(Retention retention, int maxAnswerBytes) {
    memory = new RingBufferStore(retention, clock);
    store = new HookedStore(memory);
    broker = new Broker(store, timer, executor, 2, maxAnswerBytes);
  }

  static Subscription sub(String... namesAndPatterns) {
    return Subscription.parse(Arrays.asList(namesAndPatterns));
  }

  static PollRequest request(Subscription s, Start start, long timeoutMillis, int limit, String clientId) {
    return new PollRequest(s, start, timeoutMillis, limit, clientId);
  }

  /** A parked-if-nothing poll: 30 s, limit 100, anonymous. */
  static PollRequest request(Subscription s, Start start) {
    return request(s, start, 30_000, 100, null);
  }

  static Start after(Cursor c) {
    return new Start.After(c);
  }

  /** Publishes one event through the broker (its wake-up is queued on {@link #executor}). */
  Event publish(String channel, String data) {
    return broker.publish(channel, data, null).event();
  }

  /** Publishes {@code n} events whose data are JSON strings naming the channel and an index. */
  void publishN(String channel, int n) {
    for (int i = 0; i < n; i++) {
      publish(channel, "\"" + channel + "#" + i + "\"");
    }
  }

  static List<Long> seqs(Answer.Events e) {
    return e.events().stream().map(Event::seq).toList();
  }

  static List<String> ids(Answer.Events e) {
    return e.events().stream().map(ev -> ev.channel() + ":" + ev.seq()).toList();
  }
}
