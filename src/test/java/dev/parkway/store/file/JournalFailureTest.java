package dev.parkway.store.file;

import static dev.parkway.store.file.StoreDir.data;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.parkway.core.EventStore.ChannelStats;
import dev.parkway.core.MutableClock;
import dev.parkway.core.Retention;
import dev.parkway.core.StoreUnavailableException;
import dev.parkway.testing.LogCapture;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A disk that refuses writes or fsyncs: publishes fail with nothing half-done, and the store recovers. */
class JournalFailureTest {
  private static final Retention KEEP_ALL = new Retention(1_000_000, Duration.ZERO, Duration.ofMinutes(5));
  private static final Duration PATIENCE = Duration.ofSeconds(10);
  private final MutableClock clock = new MutableClock(1_700_000_000_000L);
  private final FaultyDisk disk = new FaultyDisk();
  @TempDir Path tmp;
  private StoreDir dir;

  @BeforeEach
  void setUp() {
    dir = new StoreDir(tmp.resolve("data"), clock).disk(disk);
  }

  @Test
  void aFullDiskFailsThePublishLeavesNothingVisibleAndTheSeqIsGivenAgainOnceItRecovers() {
    try (LogCapture log = new LogCapture(Journal.class); JournalStore store = dir.open(KEEP_ALL)) {
      store.append("a", "\"one\"", null);
      disk.failWrites = true;
      assertThatThrownBy(() -> store.append("a", "\"lost\"", "key"))
          .isInstanceOf(StoreUnavailableException.class)
          .hasMessageContaining("No space left on device");
      await().atMost(PATIENCE).until(store::idle); // the writer has rolled back what it had promised
      assertThat(store.healthy()).isFalse();
      assertThat(data(store.readAfter("a", 0, 10))).containsExactly("\"one\"");
      assertThat(store.stats("a")).contains(new ChannelStats(1, 1, 1));
      // For a moment the journal refuses without trying.
      disk.failWrites = false;
      assertThatThrownBy(() -> store.append("a", "\"too soon\"", null)).isInstanceOf(StoreUnavailableException.class);

      clock.advance(Duration.ofSeconds(2));
      var two = store.append("a", "\"two\"", "key"); // the failed one's key never counted
      assertThat(two.duplicate()).isFalse();
      assertThat(two.event().seq()).isEqualTo(2);
      assertThat(store.healthy()).isTrue();
      assertThat(log.messages).hasSize(2); // one warning for the outage, one line when it is over
    }
    try (JournalStore store = new StoreDir(dir.dir, clock).open(KEEP_ALL)) {
      assertThat(data(store.readAfter("a", 0, 10))).containsExactly("\"one\"", "\"two\"");
    }
  }

  @Test
  void aFailedFsyncFailsThePublishAndItsRecordIsCutFromTheFile() {
    try (LogCapture log = new LogCapture(Journal.class); JournalStore store = dir.open(KEEP_ALL)) {
      store.append("a", "\"one\"", null);
      disk.failForces = true;
      assertThatThrownBy(() -> store.append("a", "\"written, never forced\"", null))
          .isInstanceOf(StoreUnavailableException.class);
      await().atMost(PATIENCE).until(store::idle);
      assertThat(store.healthy()).isFalse();
      assertThat(store.readAfter("a", 0, 10).head()).isEqualTo(1);

      disk.failForces = false;
      clock.advance(Duration.ofSeconds(2));
      assertThat(store.append("a", "\"two\"", null).event().seq()).isEqualTo(2);
      assertThat(log.messages).first().asString().contains("Input/output error");
    }
    try (JournalStore store = new StoreDir(dir.dir, clock).open(KEEP_ALL)) {
      assertThat(data(store.readAfter("a", 0, 10))).containsExactly("\"one\"", "\"two\"");
    }
  }

  @Test
  void aDeleteOrAcknowledgementThatCannotBeJournaledIsRefusedAndChangesNothing() {
    try (LogCapture log = new LogCapture(Journal.class); JournalStore store = dir.open(KEEP_ALL)) {
      store.append("a", "1", null);
      store.append("@c", "1", null);
      disk.failWrites = true;
      assertThatThrownBy(() -> store.delete("a")).isInstanceOf(StoreUnavailableException.class);
      assertThatThrownBy(() -> store.acknowledge("@c", 1)).isInstanceOf(StoreUnavailableException.class);
      await().atMost(PATIENCE).until(store::idle);
      assertThat(store.stats("a")).contains(new ChannelStats(1, 1, 1));
      assertThat(store.readAfter("@c", 0, 10).events()).hasSize(1);

      disk.failWrites = false;
      clock.advance(Duration.ofSeconds(2));
      assertThat(store.acknowledge("@c", 1)).isEqualTo(1);
      assertThat(store.delete("a")).isTrue();
      assertThat(log.messages).hasSize(2); // the outage and its end, once each
    }
  }

  @Test
  void concurrentPublishersShareOneFsyncAndNoneIsAnsweredBeforeIt() {
    int publishers = 16;
    ExecutorService threads = Executors.newFixedThreadPool(publishers + 1);
    try (JournalStore store = dir.open(KEEP_ALL)) {
      disk.holdForces();
      int before = disk.forces.get();
      // The first publish is written and its fsync held; everything published meanwhile queues behind it.
      CompletableFuture<Long> first = publish(store, "a", threads);
      await().atMost(PATIENCE).until(() -> disk.forcesWaiting.get() == 1);
      List<CompletableFuture<Long>> rest = new ArrayList<>();
      for (int i = 0; i < publishers; i++) {
        rest.add(publish(store, "c" + (i % 4), threads));
      }
      await().atMost(PATIENCE).until(() -> store.queued() == publishers);
      assertThat(first).isNotDone(); // fsync=always: no answer before the fsync
      disk.releaseForces();
      assertThat(first.join()).isEqualTo(1);
      assertThat(rest).allSatisfy(f -> assertThat(f.join()).isBetween(1L, 4L));
      assertThat(disk.forces.get() - before).isEqualTo(2); // one for the first, one for the other sixteen
    } finally {
      threads.shutdownNow();
    }
  }

  @Test
  void intervalModeAnswersAfterTheWriteAndForcesWithinTheInterval() {
    ExecutorService threads = Executors.newSingleThreadExecutor();
    try (JournalStore store = dir.fsync("interval").open(KEEP_ALL)) {
      disk.holdForces();
      // Answered while no fsync has happened (the next one is held): the write alone was enough.
      assertThat(publish(store, "a", threads)).succeedsWithin(PATIENCE).isEqualTo(1L);
      await().atMost(PATIENCE).until(() -> disk.forcesWaiting.get() == 1); // and the fsync follows
      disk.releaseForces();
    } finally {
      threads.shutdownNow();
    }
  }

  private static CompletableFuture<Long> publish(JournalStore store, String channel, ExecutorService threads) {
    return CompletableFuture.supplyAsync(() -> store.append(channel, "1", null).event().seq(), threads);
  }
}
