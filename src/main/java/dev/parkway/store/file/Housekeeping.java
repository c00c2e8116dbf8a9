package dev.parkway.store.file;

import java.io.IOException;
import java.lang.System.Logger.Level;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;

/**
 * Deletes segment files nothing needs any more. Runs on the journal's writer thread only, when the
 * journal is asked to (each retention sweep, each roll), so it needs no lock of its own.
 *
 * <p>A closed segment is <i>dead</i> when none of its events is retained ({@link Segment#live} is 0) and
 * the last idempotency key it holds has expired. Its events can go, but its STATE records may hold the
 * only copy of some channel's marks (a deleted channel's head, an acknowledgement), so a dead segment is
 * deleted only after a <i>restatement</i>: every channel's marks queued again after the segment was
 * closed, and applied. Marks merge by maximum ({@link ChannelMarks}), so a restatement needs no pause of
 * publishers, and a segment file that outlives its deletion (a crash before the directory was synced)
 * replays harmlessly.
 *
 * <p>Cost: one STATE record (about 80 bytes) per channel per restatement, and at most one restatement per
 * roll that leaves a dead segment behind.
 */
final class Housekeeping implements Runnable {
  private static final System.Logger LOG = System.getLogger(Housekeeping.class.getName());

  private final Segments segments;
  private final Supplier<Iterable<JournalChannel>> channels;
  private final Journal journal;
  private final Clock clock;
  /** Segments with ids up to this one are covered by a completed restatement. */
  private int restatedThrough;
  private boolean restating;

  Housekeeping(Segments segments, Supplier<Iterable<JournalChannel>> channels, Journal journal, Clock clock) {
    this.segments = segments;
    this.channels = channels;
    this.journal = journal;
    this.clock = clock;
  }

  @Override
  public void run() {
    long now = clock.millis();
    List<Segment> dead = new ArrayList<>();
    for (Segment s : segments.closed()) {
      if (s.live.get() <= 0 && s.keysUntil() < now) {
        dead.add(s);
      }
    }
    boolean uncovered = false;
    for (Segment s : dead) {
      if (s.id <= restatedThrough) {
        try {
          segments.delete(s);
        } catch (IOException e) {
          LOG.log(Level.WARNING, "could not delete journal segment " + s + ": " + e);
        }
      } else {
        uncovered = true;
      }
    }
    if (uncovered && !restating) {
      restate(segments.active().id - 1);
    }
  }

  private void restate(int through) {
    restating = true;
    try {
      for (JournalChannel channel : channels.get()) {
        channel.restate(journal);
      }
      journal.submit(new Done(through));
    } catch (dev.parkway.core.StoreUnavailableException e) {
      restating = false; // the journal failed: the STATE records queued so far failed with it
    }
  }

  /** Applied after the last STATE record of a restatement: the segments it covers may now go. */
  private final class Done extends Entry {
    private final int through;

    Done(int through) {
      super(null);
      this.through = through;
    }

    @Override
    JournalChannel channel() {
      return null;
    }

    @Override
    void apply() {
      restatedThrough = Math.max(restatedThrough, through);
      restating = false;
      journal.requestHousekeeping();
    }

    @Override
    void failed() {
      restating = false;
    }
  }
}
