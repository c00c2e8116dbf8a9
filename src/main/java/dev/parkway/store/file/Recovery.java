package dev.parkway.store.file;

import dev.parkway.core.Event;
import java.io.IOException;
import java.lang.System.Logger.Level;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.EnumSet;
import java.util.List;
import java.util.function.Function;

/**
 * Rebuilds the store from its directory at start-up: replays every segment, oldest first, into the
 * channels, and makes the newest segment the one appends continue in.
 *
 * <p><b>Damage.</b> A scan stops at the first record that is incomplete or fails its checksum, and logs
 * one warning saying where and how many bytes it did not replay:
 *
 * <ul>
 *   <li>in the newest segment, that is where the last write was torn (a crash mid-write) or the tail was
 *       damaged: the file is cut there, and appends continue after the last intact record, so seq
 *       continues from the last event that was fully written;
 *   <li>in an older segment (damage on disk), the rest of that segment is skipped and replay goes on with
 *       the next segment; the events skipped are missing, and readers whose cursors point into them get a
 *       gap, never other data. The file stays until retention drops the events that were read from it;
 *   <li>a file whose header is not a journal segment's is renamed to {@code <name>.bad} and left alone
 *       (an empty one, from a crash while it was being created, is deleted).
 * </ul>
 *
 * Not thread-safe: runs once, before the journal's writer starts.
 */
final class Recovery {
  private static final System.Logger LOG = System.getLogger(Recovery.class.getName());

  private final Segments segments;
  private final Function<String, JournalChannel> channels;
  private final long now;
  long events;

  private Recovery(Segments segments, Function<String, JournalChannel> channels, long now) {
    this.segments = segments;
    this.channels = channels;
    this.now = now;
  }

  /** Replays every segment in {@code ids}, then activates a segment to append to. Returns the records replayed. */
  static long replay(List<Integer> ids, Segments segments, Function<String, JournalChannel> channels, long now)
      throws IOException {
    Recovery r = new Recovery(segments, channels, now);
    Segment last = null;
    long lastEnd = 0;
    for (int i = 0; i < ids.size(); i++) {
      int id = ids.get(i);
      Segment segment = Segment.existing(id, Segment.pathOf(segments.dir(), id), segments.disk());
      segments.add(segment);
      SegmentScan.Outcome outcome;
      try (FileChannel ch = segments.disk().open(segment.path, EnumSet.of(StandardOpenOption.READ))) {
        outcome = SegmentScan.scan(ch, (offset, record) -> r.apply(id, offset, record));
      }
      boolean newest = i == ids.size() - 1;
      if (outcome.goodEnd() < Segment.HEADER) {
        r.setAside(segment, outcome);
        continue;
      }
      if (outcome.problem() != null) {
        long skipped = outcome.size() - outcome.goodEnd();
        if (newest) {
          LOG.log(Level.WARNING, "journal " + segment + ": " + outcome.problem() + " at offset " + outcome.goodEnd()
              + "; cut there (" + skipped + " bytes dropped), appends continue after the last intact record");
          try (FileChannel ch = segments.disk().open(segment.path, EnumSet.of(StandardOpenOption.WRITE))) {
            ch.truncate(outcome.goodEnd());
            ch.force(true);
          }
        } else {
          LOG.log(Level.WARNING, "journal " + segment + ": " + outcome.problem() + " at offset " + outcome.goodEnd()
              + "; the remaining " + skipped + " bytes of this segment are skipped (their events are missing"
              + " and readers get a gap); replay continues with the next segment");
        }
      }
      if (newest) {
        last = segment;
        lastEnd = outcome.goodEnd();
      }
    }
    if (last != null) {
      last.openForAppend(lastEnd);
      segments.activate(last);
    } else {
      int next = ids.isEmpty() ? 1 : ids.get(ids.size() - 1) + 1;
      segments.activate(Segment.create(segments.dir(), next, segments.disk()));
    }
    return r.events;
  }

  private void apply(int segment, int offset, JournalRecord record) {
    long location = Location.of(segment, offset);
    JournalChannel channel = channels.apply(record.channel());
    if (record instanceof JournalRecord.Append a) {
      channel.applyAppend(a.seq(), a.timestamp(), location, null);
      events++;
      if (a.key() != null && a.timestamp() >= now - channel.retention().dedupeWindow().toMillis()) {
        Event event = new Event(a.channel(), a.seq(), a.timestamp(), a.data());
        channel.restoreKey(a.key(), AppendEntry.restored(channel, event, a.key()));
        channel.keyWritten(location, a.timestamp());
      }
    } else if (record instanceof JournalRecord.State s) {
      channel.applyState(s.marks());
    }
  }

  private void setAside(Segment segment, SegmentScan.Outcome outcome) throws IOException {
    segments.forget(segment);
    if (outcome.size() <= Segment.HEADER) {
      LOG.log(Level.WARNING, "journal " + segment + ": " + outcome.problem() + "; deleted (it held no records)");
      Files.delete(segment.path);
      return;
    }
    Path aside = segment.path.resolveSibling(segment.path.getFileName() + ".bad");
    LOG.log(Level.WARNING, "journal " + segment + ": " + outcome.problem() + "; renamed to " + aside.getFileName()
        + " and not replayed");
    Files.move(segment.path, aside, StandardCopyOption.REPLACE_EXISTING);
  }
}
