package dev.parkway.store.file;

import static dev.parkway.store.file.StoreDir.data;
import static dev.parkway.store.file.StoreDir.seqs;
import static org.assertj.core.api.Assertions.assertThat;

import dev.parkway.core.EventStore.Slice;
import dev.parkway.core.MutableClock;
import dev.parkway.core.Retention;
import dev.parkway.testing.LogCapture;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Start-up over a damaged journal: torn tails are cut, corrupt records are never replayed as data. */
class JournalRecoveryTest {
  private static final Retention KEEP_ALL = new Retention(1_000_000, Duration.ZERO, Duration.ofMinutes(5));
  private final MutableClock clock = new MutableClock(1_700_000_000_000L);
  @TempDir Path tmp;

  /** Four events, then the fifth; returns the newest segment's size before and after the fifth. */
  private long[] fiveEvents(StoreDir dir) throws IOException {
    try (JournalStore store = dir.open(KEEP_ALL)) {
      for (int i = 1; i <= 4; i++) {
        store.append("a", "{\"n\":" + i + "}", null);
      }
    }
    long before = Files.size(dir.newestSegment());
    try (JournalStore store = dir.open(KEEP_ALL)) {
      store.append("a", "{\"n\":5}", "key-5");
    }
    return new long[] {before, Files.size(dir.newestSegment())};
  }

  @Test
  void aTornLastRecordIsCutAtEveryByteAndAppendsContinueWithItsSeq() throws IOException {
    StoreDir golden = new StoreDir(tmp.resolve("golden"), clock);
    long[] sizes = fiveEvents(golden);
    for (long cut = sizes[0]; cut < sizes[1]; cut++) {
      StoreDir dir = copy(golden, tmp.resolve("cut-" + cut));
      truncate(dir.newestSegment(), cut);
      // A cut exactly between records is a clean end, not damage.
      assertTheFifthIsGoneAndAppendsContinue(dir, "cut at " + cut, cut == sizes[0] ? 0 : 1);
    }
  }

  @Test
  void aFlippedByteAnywhereInTheLastRecordIsDetectedAndThatRecordCut() throws IOException {
    StoreDir golden = new StoreDir(tmp.resolve("golden"), clock);
    long[] sizes = fiveEvents(golden);
    for (long at = sizes[0]; at < sizes[1]; at++) {
      StoreDir dir = copy(golden, tmp.resolve("flip-" + at));
      flip(dir.newestSegment(), at);
      assertTheFifthIsGoneAndAppendsContinue(dir, "byte " + at + " flipped", 1);
    }
  }

  /** Events 1-4 are intact, the fifth (and its key) gone; an append takes seq 5 and survives a restart. */
  private static void assertTheFifthIsGoneAndAppendsContinue(StoreDir dir, String damage, int warnings) {
    try (LogCapture log = new LogCapture(Recovery.class); JournalStore store = dir.open(KEEP_ALL)) {
      Slice slice = store.readAfter("a", 0, 10);
      assertThat(seqs(slice)).as(damage).containsExactly(1L, 2L, 3L, 4L);
      assertThat(data(slice)).containsExactly("{\"n\":1}", "{\"n\":2}", "{\"n\":3}", "{\"n\":4}");
      assertThat(store.append("a", "\"x\"", "key-5").event().seq()).as(damage).isEqualTo(5);
      assertThat(log.messages)
          .as(damage)
          .hasSize(warnings)
          .allMatch(m -> m.startsWith("WARNING") && m.contains("cut there"));
    }
    try (JournalStore store = dir.open(KEEP_ALL)) {
      assertThat(data(store.readAfter("a", 0, 10))).as(damage).endsWith("{\"n\":4}", "\"x\"");
    }
  }

  @Test
  void aCorruptRecordInAnOlderSegmentIsNotReplayedAndReadersGetAGapNotGarbage() throws IOException {
    StoreDir dir = new StoreDir(tmp.resolve("data"), clock).segmentBytes(StoreDir.SMALL_SEGMENT);
    String pad = "x".repeat(1000);
    int n = 200; // about three segments of 64 KiB
    try (JournalStore store = dir.open(KEEP_ALL)) {
      for (int i = 1; i <= n; i++) {
        store.append("a", "{\"i\":" + i + ",\"pad\":\"" + pad + "\"}", null);
      }
    }
    List<Path> segments = dir.segments();
    assertThat(segments).hasSizeGreaterThanOrEqualTo(3);
    flip(segments.get(0), Files.size(segments.get(0)) / 2);
    try (LogCapture log = new LogCapture(Recovery.class); JournalStore store = dir.open(KEEP_ALL)) {
      Slice slice = store.readAfter("a", 0, n);
      long oldest = slice.oldest();
      assertThat(oldest).isGreaterThan(1).isLessThan(n);
      assertThat(slice.head()).isEqualTo(n);
      assertThat(seqs(slice)).first().isEqualTo(oldest);
      for (var e : slice.events()) {
        assertThat(e.data()).startsWith("{\"i\":" + e.seq() + ",");
      }
      assertThat(seqs(slice)).hasSize((int) (n - oldest + 1));
      assertThat(store.append("a", "1", null).event().seq()).isEqualTo(n + 1);
      assertThat(log.messages).hasSize(1).allMatch(m -> m.contains("skipped"));
    }
  }

  @Test
  void aFileThatIsNoSegmentIsSetAsideAndAnEmptyOneDeleted() throws IOException {
    StoreDir dir = new StoreDir(tmp.resolve("data"), clock);
    try (JournalStore store = dir.open(KEEP_ALL)) {
      store.append("a", "1", null);
    }
    Path first = dir.newestSegment();
    Path empty = first.resolveSibling("0000000002.journal");
    Files.createFile(empty); // a crash right after the file was created
    try (LogCapture log = new LogCapture(Recovery.class); JournalStore store = dir.open(KEEP_ALL)) {
      assertThat(empty).doesNotExist();
      assertThat(store.append("a", "2", null).event().seq()).isEqualTo(2);
      assertThat(log.messages).hasSize(1);
    }
    Path foreign = first.resolveSibling("0000000009.journal");
    Files.writeString(foreign, "this is not a journal segment at all");
    try (LogCapture log = new LogCapture(Recovery.class); JournalStore store = dir.open(KEEP_ALL)) {
      assertThat(foreign).doesNotExist();
      assertThat(foreign.resolveSibling("0000000009.journal.bad")).exists();
      assertThat(seqs(store.readAfter("a", 0, 10))).containsExactly(1L, 2L);
      assertThat(store.append("a", "3", null).event().seq()).isEqualTo(3);
      assertThat(log.messages).hasSize(1).allMatch(m -> m.contains("renamed to 0000000009.journal.bad"));
    }
    try (JournalStore store = dir.open(KEEP_ALL)) {
      assertThat(seqs(store.readAfter("a", 0, 10))).containsExactly(1L, 2L, 3L);
    }
  }

  private static StoreDir copy(StoreDir from, Path to) throws IOException {
    Files.createDirectories(to);
    try (Stream<Path> files = Files.list(from.dir)) {
      for (Path f : files.toList()) {
        Files.copy(f, to.resolve(f.getFileName()));
      }
    }
    return new StoreDir(to, new MutableClock(1_700_000_000_000L));
  }

  private static void truncate(Path file, long size) throws IOException {
    try (RandomAccessFile f = new RandomAccessFile(file.toFile(), "rw")) {
      f.setLength(size);
    }
  }

  private static void flip(Path file, long at) throws IOException {
    try (RandomAccessFile f = new RandomAccessFile(file.toFile(), "rw")) {
      f.seek(at);
      int b = f.read();
      f.seek(at);
      f.write(b ^ 0xff);
    }
  }
}
