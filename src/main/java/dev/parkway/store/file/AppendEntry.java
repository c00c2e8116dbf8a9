package dev.parkway.store.file;

import dev.parkway.core.Event;

/**
 * An APPEND record in the journal's queue: one event of one channel. Its timestamp is chosen when it is
 * queued ({@link #stamp}); its {@link Event} is built when it is applied, and is what {@link #event()}
 * returns after {@link #await()}. Also the value of a channel's idempotency key, for the dedupe window.
 */
final class AppendEntry extends Entry {
  final long seq;
  private final JournalChannel channel;
  private final String key;
  private final long notBefore;
  private String data;
  private long timestamp;
  private volatile Event event;

  AppendEntry(JournalChannel channel, long seq, String key, String data, long notBefore) {
    super(RecordFormat.append(channel.name, seq, key, data));
    this.channel = channel;
    this.seq = seq;
    this.key = key;
    this.data = data;
    this.notBefore = notBefore;
  }

  /** An append read back from the journal at start-up (for its idempotency key): already done. */
  static AppendEntry restored(JournalChannel channel, Event event, String key) {
    AppendEntry e = new AppendEntry(channel, event, key);
    e.complete();
    return e;
  }

  private AppendEntry(JournalChannel channel, Event event, String key) {
    super(null);
    this.channel = channel;
    this.seq = event.seq();
    this.key = key;
    this.notBefore = event.timestamp();
    this.timestamp = event.timestamp();
    this.event = event;
  }

  /** Timestamps never decrease within a channel, even if the wall clock steps back. */
  @Override
  long stamp(long clockMillis) {
    timestamp = Math.max(clockMillis, notBefore);
    RecordFormat.stamp(record, timestamp);
    return timestamp;
  }

  /** Valid once queued (read under the channel's monitor, which the queueing thread held). */
  long timestamp() {
    return timestamp;
  }

  /** The stored event; valid after {@link #await()}. */
  Event event() {
    return event;
  }

  @Override
  JournalChannel channel() {
    return channel;
  }

  @Override
  void apply() {
    Event e = new Event(channel.name, seq, timestamp, data);
    data = null;
    event = e;
    channel.applyAppend(seq, timestamp, location, e);
    if (key != null) {
      channel.keyWritten(location, timestamp);
    }
  }
}
