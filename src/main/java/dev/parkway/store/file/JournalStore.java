package dev.parkway.store.file;

import dev.parkway.config.Config;
import dev.parkway.core.EventStore;
import dev.parkway.core.Names;
import dev.parkway.core.Retention;
import dev.parkway.core.StoreUnavailableException;
import java.io.IOException;
import java.lang.System.Logger.Level;
import java.time.Clock;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

/**
 * The durable single-node store ({@code parkway.store=file}): an append-only journal of segment files in
 * one directory, with every channel's retained events indexed in memory and the newest of them cached.
 *
 * <p><b>Durability.</b> An append returns (and the publisher gets its 201) only once its record is
 * written, and with {@code fsync=always} forced to disk; publishers arriving together share one fsync
 * ({@link Journal}). Acknowledgements, deletions and retention's trims are journaled too (STATE records),
 * so a restart brings back neither deleted nor acknowledged events. The epoch lives in the directory:
 * after a restart, or a {@code kill -9}, seq goes on from where it stopped and cursors stay valid.
 *
 * <p><b>Visibility.</b> Readers see an event only after its record is on disk, and the change listener is
 * told after that, on the publisher's thread, outside every lock. If the journal cannot be written, the
 * append throws {@link StoreUnavailableException}, nothing of it is visible, and {@link #healthy()} is
 * false until a write succeeds again.
 *
 * <p><b>Memory.</b> Per channel: its marks, 20 bytes per retained event, its idempotency keys within the
 * dedupe window, and the newest {@link JournalChannel#WINDOW} events as objects; older retained events are
 * read from the journal when asked for. Deleted channels stay as small tombstones (their head is kept).
 *
 * <p>Thread-safe; appends to different channels contend only on the journal's queue.
 */
public final class JournalStore implements EventStore {
  private static final System.Logger LOG = System.getLogger(JournalStore.class.getName());
  private static final ChangeListener NOBODY =
      new ChangeListener() {
        @Override
        public void appended(String channel, long seq) {}

        @Override
        public void deleted(String channel) {}
      };

  private final ConcurrentSkipListMap<String, JournalChannel> logs = new ConcurrentSkipListMap<>();
  private final Function<String, Retention> retention;
  private final Clock clock;
  private final DataDirectory directory;
  private final Segments segments;
  private final Journal journal;
  private volatile ChangeListener listener = NOBODY;

  /**
   * Opens (or creates) the store in {@code settings.dir()} and replays its journal.
   *
   * @throws StoreUnavailableException if the directory cannot be opened, is in use, or cannot be read
   */
  public JournalStore(Config.FileStore settings, Function<String, Retention> retention, Clock clock) {
    this(settings, retention, clock, Disk.DEFAULT);
  }

  JournalStore(Config.FileStore settings, Function<String, Retention> retention, Clock clock, Disk disk) {
    this.retention = retention;
    this.clock = clock;
    try {
      this.directory = DataDirectory.open(settings.dir(), disk);
    } catch (IOException e) {
      throw new StoreUnavailableException("cannot open the file store: " + e.getMessage(), e);
    }
    this.segments = new Segments(settings.dir(), disk);
    try {
      long started = System.nanoTime();
      List<Integer> ids = directory.segmentIds();
      long events = Recovery.replay(ids, segments, this::channel, clock.millis());
      long now = clock.millis();
      logs.values().forEach(log -> log.recovered(now));
      this.journal =
          new Journal(segments, settings.segmentBytes(), settings.fsyncAlways(), settings.fsyncInterval(), clock);
      journal.start(new Housekeeping(segments, logs::values, journal, clock));
      LOG.log(Level.INFO, "file store " + settings.dir() + ": epoch " + directory.epoch() + ", " + events
          + " events in " + logs.size() + " channels replayed from " + ids.size() + " segments in "
          + TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started) + " ms");
    } catch (IOException | RuntimeException e) {
      segments.closeAll();
      directory.close();
      throw new StoreUnavailableException("cannot read the file store in " + settings.dir() + ": " + e.getMessage(), e);
    }
  }

  private JournalChannel channel(String name) {
    return logs.computeIfAbsent(name, n -> new JournalChannel(n, retention.apply(n), segments));
  }

  @Override
  public String epoch() {
    return directory.epoch();
  }

  @Override
  public long now() {
    return journal.now();
  }

  @Override
  public Appended append(String channel, String data, String idempotencyKey) {
    journal.awaitRoom();
    JournalChannel log = channel(channel);
    while (true) {
      JournalChannel.Submitted submitted = log.append(data, idempotencyKey, clock.millis(), journal);
      AppendEntry entry = submitted.entry();
      if (!submitted.duplicate()) {
        entry.await();
        listener.appended(channel, entry.seq);
        return new Appended(entry.event(), false);
      }
      try {
        entry.await(); // the original may still be on its way to disk: answer only once it is there
        return new Appended(entry.event(), true);
      } catch (StoreUnavailableException e) {
        // The original was never stored, so this is no repeat: go again (its key is gone by now).
      }
    }
  }

  @Override
  public Slice readAfter(String channel, long afterSeq, int max) {
    JournalChannel log = logs.get(channel);
    if (log == null) {
      return new Slice(List.of(), 1, 0, false);
    }
    return log.readAfter(afterSeq, max, clock.millis());
  }

  @Override
  public long firstSeqSince(String channel, long sinceMillis) {
    JournalChannel log = logs.get(channel);
    return log == null ? 1 : log.firstSeqSince(sinceMillis, clock.millis());
  }

  @Override
  public Optional<ChannelStats> stats(String channel) {
    JournalChannel log = logs.get(channel);
    return log == null ? Optional.empty() : Optional.ofNullable(log.stats(clock.millis()));
  }

  @Override
  public long acknowledge(String channel, long upToSeq) {
    JournalChannel log = logs.get(channel);
    if (log == null) {
      return 0;
    }
    StateEntry entry = log.acknowledge(upToSeq, journal);
    if (entry != null) {
      entry.await();
    }
    return log.acknowledged();
  }

  @Override
  public boolean delete(String channel) {
    JournalChannel log = logs.get(channel);
    StateEntry entry = log == null ? null : log.delete(journal);
    if (entry == null) {
      return false;
    }
    entry.await();
    listener.deleted(channel);
    return true;
  }

  @Override
  public List<String> channelsUnder(String prefix) {
    return Names.under(logs, prefix, JournalChannel::live);
  }


  /** Retention by age, expired keys, STATE records for trims, then deletes segments nothing needs. */
  @Override
  public void trimExpired() {
    long now = clock.millis();
    try {
      logs.values().forEach(log -> log.sweep(now, journal));
    } catch (StoreUnavailableException e) {
      // The journal is failing: the trims are journaled by the first sweep after it recovers.
    }
    journal.requestHousekeeping();
  }

  @Override
  public void setListener(ChangeListener listener) {
    this.listener = listener;
  }

  @Override
  public boolean healthy() {
    return journal.healthy();
  }

  /** Entries waiting for the writer (tests). */
  int queued() {
    return journal.queued();
  }

  /** Whether the journal's writer has nothing left to do, housekeeping included (tests). */
  boolean idle() {
    return journal.idle();
  }

  /** Writes what is queued, forces it, closes the files and releases the directory. */
  @Override
  public void close() {
    journal.close();
    segments.closeAll();
    directory.close();
  }
}
