package dev.parkway.core;

import java.util.HashMap;
import java.util.Map;

/**
 * The reads of one fan-out task, shared by the polls that would make the same read: one exact channel,
 * read after the same seq of the same epoch with the same limit. In a fan-out most parked polls wait at
 * the head of their channel, so 10,000 polls make one store read and share one {@link Answer.Events} (and
 * so one encoding of it, which the transports cache by identity).
 *
 * <p>Why this loses nothing: every read here starts after the append that caused the fan-out, so the
 * shared batch holds that event, exactly as each poll's own read would. A poll that must read again (a
 * second wake arrived while it read) reads on its own ({@link ParkedPoll#onAppended(String, SharedReads)}).
 * Which polls qualify: those whose cursor names their one channel, so the read depends only on (epoch,
 * seq, limit); a pattern or many channels also depend on when the cursor was issued.
 *
 * <p>Confined to the one delivery thread that runs the task; never shared between tasks.
 */
final class SharedReads {
  private record Key(String channel, String epoch, long after, int limit) {}

  /** A read and, once a poll took it as its answer, that answer. */
  static final class Read {
    final Batch batch;
    private Answer.Events answer;

    Read(Batch batch) {
      this.batch = batch;
    }

    Answer.Events answer() {
      if (answer == null) {
        answer = Answer.Events.of(batch);
      }
      return answer;
    }
  }

  private final ChannelReader reader;
  private final Map<Key, Read> reads = new HashMap<>();

  SharedReads(ChannelReader reader) {
    this.reader = reader;
  }

  /** The read for {@code poll}: shared when it qualifies, its own otherwise. */
  Read read(ParkedPoll poll) {
    Subscription subscription = poll.subscription();
    Cursor cursor = poll.cursor();
    int limit = poll.request().limit();
    if (!subscription.single() || !subscription.prefixes().isEmpty()) {
      return new Read(reader.read(subscription, cursor, limit));
    }
    String channel = subscription.channels().get(0);
    if (!cursor.covers(channel)) {
      return new Read(reader.read(subscription, cursor, limit));
    }
    Key key = new Key(channel, cursor.epoch(), cursor.position(channel), limit);
    Read read = reads.get(key);
    if (read == null) {
      read = new Read(reader.read(subscription, cursor, limit));
      reads.put(key, read);
    }
    return read;
  }
}
