package dev.parkway.core;

/** Where a poll without a usable position starts reading; see docs/protocol.md, "Cursors". */
public sealed interface Start {
  /** No {@code after}: only events published from now on. */
  record Head() implements Start {}

  /** {@code after=0}: from the oldest retained event, without reporting a gap. */
  record Oldest() implements Start {}

  /** {@code since=<ms>}: from the first event with timestamp at or after {@code millis}. */
  record Since(long millis) implements Start {}

  /** {@code after=<n>} on a single channel: after that seq, in the current epoch. */
  record AfterSeq(long seq) implements Start {}

  /** {@code after=<cursor>}: the cursor of an earlier answer. */
  record After(Cursor cursor) implements Start {}
}
