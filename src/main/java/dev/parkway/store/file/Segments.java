package dev.parkway.store.file;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentSkipListMap;

/**
 * The journal's segment files, by id; the newest is the active one, which the writer appends to.
 *
 * <p>Thread-safety: lookups, reads and the liveness counters ({@link #hold}, {@link #release}) are safe
 * from any thread. {@link #roll}, {@link #delete} and {@link #activate} are called by the journal's writer
 * thread only (or during recovery, before it starts).
 */
final class Segments {
  private final Path dir;
  private final Disk disk;
  private final ConcurrentSkipListMap<Integer, Segment> all = new ConcurrentSkipListMap<>();
  private volatile Segment active;

  Segments(Path dir, Disk disk) {
    this.dir = dir;
    this.disk = disk;
  }

  Path dir() {
    return dir;
  }

  Disk disk() {
    return disk;
  }

  /** Registers a segment found on disk (recovery, oldest first). */
  void add(Segment segment) {
    all.put(segment.id, segment);
  }

  /** Recovery: a file that turned out not to be a segment. */
  void forget(Segment segment) {
    all.remove(segment.id, segment);
  }

  /** Makes {@code segment} the one appends go to; it must already be open for appending. */
  void activate(Segment segment) {
    all.put(segment.id, segment);
    active = segment;
  }

  Segment active() {
    return active;
  }

  /** Closed segments (every one but the active), oldest first. */
  List<Segment> closed() {
    Segment current = active;
    List<Segment> out = new ArrayList<>();
    for (Segment s : all.values()) {
      if (s != current) {
        out.add(s);
      }
    }
    return out;
  }

  /**
   * Closes the active segment and starts the next one. The old one is forced first, whatever the fsync
   * mode: a batch never spans two segments, and a closed segment is complete on disk.
   */
  Segment roll() throws IOException {
    Segment old = active;
    old.force();
    Segment next = Segment.create(dir, old.id + 1, disk);
    all.put(next.id, next);
    active = next;
    try {
      old.closeWriter();
    } catch (IOException e) {
      // The file was forced; a failed close loses nothing.
    }
    return next;
  }

  /** Deletes a closed segment whose events are all gone. */
  void delete(Segment segment) throws IOException {
    if (segment == active) {
      throw new IllegalStateException("the active segment cannot be deleted");
    }
    all.remove(segment.id);
    segment.delete();
  }

  /**
   * The record at {@code location}, checked against its checksum.
   *
   * @throws Segment.SegmentGoneException if its segment was deleted meanwhile
   */
  ByteBuffer read(long location) throws IOException {
    Segment s = all.get(Location.segment(location));
    if (s == null) {
      throw new Segment.SegmentGoneException();
    }
    return s.read(Location.offset(location));
  }

  /** One more retained event is stored at {@code location}. */
  void hold(long location) {
    Segment s = all.get(Location.segment(location));
    if (s != null) {
      s.live.incrementAndGet();
    }
  }

  /** The event stored at {@code location} is gone (trimmed, acknowledged or deleted). */
  void release(long location) {
    Segment s = all.get(Location.segment(location));
    if (s != null) {
      s.live.decrementAndGet();
    }
  }

  /** The record at {@code location} carries an idempotency key that must survive until {@code expiry}. */
  void keyUntil(long location, long expiry) {
    Segment s = all.get(Location.segment(location));
    if (s != null) {
      s.keyUntil(expiry);
    }
  }

  /** Closes every file (the store is closing). */
  void closeAll() {
    for (Segment s : all.values()) {
      try {
        s.closeWriter();
        s.closeReader();
      } catch (IOException e) {
        // closing: nothing more to do with it
      }
    }
  }
}
