package dev.parkway.store.file;

import dev.parkway.config.Config;
import dev.parkway.core.Event;
import dev.parkway.core.EventStore.Slice;
import dev.parkway.core.Retention;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.function.Function;
import java.util.stream.Stream;

/**
 * A file store's directory in a test: opens stores on it (as many times as a test restarts), and reaches
 * into its files to damage them. Not thread-safe.
 */
final class StoreDir {
  static final int SMALL_SEGMENT = 1 << 16; // the smallest parkway.file.segment.bytes allows

  final Path dir;
  private final Clock clock;
  private Disk disk = Disk.DEFAULT;
  private String fsync = "always";
  private int segmentBytes = 64 << 20;

  StoreDir(Path dir, Clock clock) {
    this.dir = dir;
    this.clock = clock;
  }

  StoreDir segmentBytes(int bytes) {
    this.segmentBytes = bytes;
    return this;
  }

  StoreDir fsync(String mode) {
    this.fsync = mode;
    return this;
  }

  StoreDir disk(Disk disk) {
    this.disk = disk;
    return this;
  }

  Config.FileStore settings() {
    return new Config.FileStore(dir, fsync, Duration.ofMillis(50), segmentBytes);
  }

  JournalStore open(Retention retention) {
    return open(key -> retention);
  }

  JournalStore open(Function<String, Retention> retention) {
    return new JournalStore(settings(), retention, clock, disk);
  }

  /** Segment files, oldest first. */
  List<Path> segments() {
    try (Stream<Path> files = Files.list(dir)) {
      return files.filter(p -> p.getFileName().toString().endsWith(".journal")).sorted().toList();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  Path newestSegment() {
    List<Path> all = segments();
    return all.get(all.size() - 1);
  }

  static List<Long> seqs(Slice slice) {
    return slice.events().stream().map(Event::seq).toList();
  }

  static List<String> data(Slice slice) {
    return slice.events().stream().map(Event::data).toList();
  }
}
