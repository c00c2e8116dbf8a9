package dev.parkway.store.file;

/** A STATE record in the journal's queue: a channel's {@link ChannelMarks}, applied by merging. */
final class StateEntry extends Entry {
  private final JournalChannel channel;
  private final ChannelMarks marks;

  StateEntry(JournalChannel channel, ChannelMarks marks) {
    super(RecordFormat.state(channel.name, marks));
    this.channel = channel;
    this.marks = marks;
  }

  @Override
  JournalChannel channel() {
    return channel;
  }

  @Override
  void apply() {
    channel.applyState(marks);
  }
}
