package dev.parkway.store.file;

/** A parsed journal record (see {@link RecordFormat} for the bytes). Immutable. */
sealed interface JournalRecord {
  String channel();

  /** An accepted event; {@code data} is null when it was not decoded. */
  record Append(String channel, long seq, long timestamp, String key, String data) implements JournalRecord {}

  /** A channel's marks at the time the record was queued: see {@link ChannelMarks}. */
  record State(String channel, ChannelMarks marks) implements JournalRecord {}
}
