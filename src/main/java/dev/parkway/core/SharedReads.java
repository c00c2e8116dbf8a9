package dev.parkway.core;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The reads of one fan-out task, shared by the polls that would make the same read: the same exact
 * channels, each read after the same seq, in the same epoch, with the same limit. In a fan-out most parked polls wait at
 * the head of their channel, so 10,000 polls make one store read and share one {@link Answer.Events} (and
 * so one encoding of it, which the transports cache by identity).
 *
 * <p>Why this loses nothing: every read here starts after the append that caused the fan-out, so the
 * shared batch holds that event, exactly as each poll's own read would. A poll that must read again (a
 * second wake arrived while it read) reads on its own ({@link ParkedPoll#onAppended(String, SharedReads)}).
 * Which polls qualify: those without patterns whose cursor names every channel they poll, so the read
 * depends only on (channels, epoch, seqs, limit); for a pattern, or a channel the cursor does not name,
 * it also depends on when the cursor was issued. Channels the cursor names beyond the poll's own do not
 * change the read.
 *
 * <p>Confined to the one delivery thread that runs the task; never shared between tasks.
 */
final class SharedReads {
  private record Key(List<String> channels, String epoch, List<Long> after, int limit) {}

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
    if (!subscription.prefixes().isEmpty()) {
      return new Read(reader.read(subscription, cursor, limit));
    }
    List<String> channels = subscription.channels();
    List<Long> after = new ArrayList<>(channels.size());
    for (String channel : channels) {
      if (!cursor.covers(channel)) {
        return new Read(reader.read(subscription, cursor, limit));
      }
      after.add(cursor.position(channel));
    }
    Key key = new Key(channels, cursor.epoch(), after, limit);
    Read read = reads.get(key);
    if (read == null) {
      read = new Read(reader.read(subscription, cursor, limit));
      reads.put(key, read);
    }
    return read;
  }
}
