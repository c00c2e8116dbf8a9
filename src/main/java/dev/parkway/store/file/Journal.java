package dev.parkway.store.file;

import dev.parkway.core.StoreUnavailableException;
import java.io.IOException;
import java.lang.System.Logger.Level;
import java.nio.ByteBuffer;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The write side of the file store: one queue and one writer thread ({@code parkway-journal}) that appends
 * records to the active segment, in queue order.
 *
 * <p><b>Group commit.</b> Callers queue {@link Entry entries} and wait. The writer takes everything queued
 * as one batch, writes it with as few {@code write()} calls as fit its buffer, then, with {@code
 * fsync=always}, forces the file once for the whole batch; only then does it {@link Entry#apply apply}
 * the batch to memory and release the callers. While it forces, the next batch fills up, so concurrent
 * publishers share fsyncs. With {@code fsync=interval} the batch is released after {@code write()} (the
 * OS has it: a killed JVM loses nothing) and the file is forced at most {@code interval} after the first
 * unforced write.
 *
 * <p><b>Failure.</b> If a write, an fsync or a roll fails, the batch and everything queued behind it fail
 * ({@link StoreUnavailableException}), each channel concerned rolls back what it had promised, and the
 * journal refuses entries for a second. The next batch first cuts the active segment back to the last
 * byte promised to a caller (so no half-written or unacknowledged record stays on disk, and a seq that
 * was never visible can be given again) and forces it; until that works, every batch fails again and
 * {@link #healthy()} is false.
 *
 * <p><b>Timestamps.</b> {@link #now()} never passes the timestamp of an append that is queued or being
 * written: a reader that takes {@code now()} and then reads misses only events stamped at or after it.
 *
 * <p>Thread-safe. Lock order: a channel's monitor, then this journal's lock; the writer thread takes
 * channel monitors (to apply and roll back) only while it holds no lock of its own.
 */
final class Journal implements AutoCloseable {
  private static final System.Logger LOG = System.getLogger(Journal.class.getName());
  private static final int BUFFER_BYTES = 1 << 20;
  /** Queued bytes past which publishers wait for the writer (backpressure on a slow disk). */
  private static final long QUEUE_LIMIT_BYTES = 64L << 20;
  private static final long RETRY_MILLIS = 1000;
  private static final long ROOM_WAIT_NANOS = TimeUnit.SECONDS.toNanos(30);

  private final Segments segments;
  private final long segmentBytes;
  private final boolean fsyncAlways;
  private final long intervalNanos;
  private final Clock clock;
  private final Thread writer;
  private volatile Runnable housekeeping = () -> {};

  private final ReentrantLock lock = new ReentrantLock();
  private final Condition work = lock.newCondition();
  private final Condition room = lock.newCondition();
  // Guarded by lock.
  private List<Entry> filling = new ArrayList<>();
  private long fillingBytes;
  private long fillingFloor = Long.MAX_VALUE;
  private long writingFloor = Long.MAX_VALUE;
  private boolean failed;
  private long retryAt;
  private String failure;
  private boolean closing;
  private boolean housekeepingWanted;
  /** The writer is working on a batch or housekeeping. */
  private boolean busy;

  // Writer thread only.
  private final ByteBuffer buffer = ByteBuffer.allocateDirect(BUFFER_BYTES);
  private boolean needsRepair;
  private boolean dirty;
  private long forceDueNanos;

  private volatile boolean healthy = true;

  Journal(Segments segments, long segmentBytes, boolean fsyncAlways, Duration fsyncInterval, Clock clock) {
    this.segments = segments;
    this.segmentBytes = segmentBytes;
    this.fsyncAlways = fsyncAlways;
    this.intervalNanos = fsyncInterval.toNanos();
    this.clock = clock;
    this.writer = new Thread(this::run, "parkway-journal");
    writer.setDaemon(true);
  }

  /** Starts the writer; {@code housekeeping} runs on it when {@link #requestHousekeeping asked}. */
  void start(Runnable housekeeping) {
    this.housekeeping = housekeeping;
    writer.start();
  }

  /**
   * Queues an entry. Call with the entry's channel monitor held, so the channel's records keep its order.
   *
   * @throws StoreUnavailableException if the journal is closed or failed moments ago (nothing was queued)
   */
  void submit(Entry entry) {
    lock.lock();
    try {
      if (closing) {
        throw new StoreUnavailableException("the file store is closed", null);
      }
      if (failed) {
        if (clock.millis() < retryAt) {
          throw new StoreUnavailableException("the journal cannot be written: " + failure, null);
        }
        failed = false; // try again: the writer repairs the segment before the next batch
      }
      long stamped = entry.stamp(clock.millis());
      fillingFloor = Math.min(fillingFloor, stamped);
      filling.add(entry);
      fillingBytes += entry.record == null ? 0 : entry.record.length;
      if (filling.size() == 1) {
        work.signal();
      }
    } finally {
      lock.unlock();
    }
  }

  /** Waits (holding no channel monitor) while the queue is over its limit. */
  void awaitRoom() {
    lock.lock();
    try {
      long left = ROOM_WAIT_NANOS;
      while (fillingBytes > QUEUE_LIMIT_BYTES && !closing && !failed) {
        if (left <= 0) {
          throw new StoreUnavailableException("the journal is " + fillingBytes + " bytes behind", null);
        }
        left = room.awaitNanos(left);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new StoreUnavailableException("interrupted while the journal was behind", e);
    } finally {
      lock.unlock();
    }
  }

  /** The store clock, held back to the oldest timestamp not yet visible; see the class comment. */
  long now() {
    lock.lock();
    try {
      return Math.min(clock.millis(), Math.min(fillingFloor, writingFloor));
    } finally {
      lock.unlock();
    }
  }

  boolean healthy() {
    return healthy;
  }

  /** Entries queued and not yet taken by the writer. */
  int queued() {
    lock.lock();
    try {
      return filling.size();
    } finally {
      lock.unlock();
    }
  }

  /** Nothing queued, nothing being written, no housekeeping pending (tests). */
  boolean idle() {
    lock.lock();
    try {
      return !busy && filling.isEmpty() && !housekeepingWanted;
    } finally {
      lock.unlock();
    }
  }

  /** Asks the writer to run housekeeping when it is next free. */
  void requestHousekeeping() {
    lock.lock();
    try {
      housekeepingWanted = true;
      work.signal();
    } finally {
      lock.unlock();
    }
  }

  /** Writes what is queued, forces it, and stops the writer (bounded by 10 s). */
  @Override
  public void close() {
    lock.lock();
    try {
      closing = true;
      work.signal();
      room.signalAll();
    } finally {
      lock.unlock();
    }
    if (writer.isAlive() && Thread.currentThread() != writer) {
      try {
        writer.join(TimeUnit.SECONDS.toMillis(10));
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }

  // ---- the writer thread -----------------------------------------------------------------------

  private void run() {
    try {
      while (true) {
        List<Entry> batch;
        boolean housekeep;
        lock.lock();
        try {
          busy = false;
          while (filling.isEmpty() && !closing && !housekeepingWanted) {
            if (dirty) {
              long wait = forceDueNanos - System.nanoTime();
              if (wait <= 0) {
                break;
              }
              work.awaitNanos(wait);
            } else {
              work.awaitUninterruptibly();
            }
          }
          if (closing && filling.isEmpty()) {
            break;
          }
          batch = filling;
          filling = new ArrayList<>();
          writingFloor = fillingFloor;
          fillingFloor = Long.MAX_VALUE;
          fillingBytes = 0;
          room.signalAll();
          housekeep = housekeepingWanted;
          housekeepingWanted = false;
          busy = true;
        } finally {
          lock.unlock();
        }
        if (!batch.isEmpty()) {
          commit(batch);
        }
        if (dirty && System.nanoTime() - forceDueNanos >= 0) {
          forceNow();
        }
        if (housekeep) {
          try {
            housekeeping.run();
          } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "journal housekeeping failed", e);
          }
        }
      }
      if (dirty) {
        forceNow();
      }
    } catch (Throwable t) { // nothing interrupts this private thread; treat that as any other failure
      // Never die silently with callers waiting: fail them all and refuse new entries.
      LOG.log(Level.ERROR, "the journal writer stopped", t);
      lock.lock();
      try {
        closing = true;
      } finally {
        lock.unlock();
      }
      fail(List.of(), t);
    }
  }

  private void commit(List<Entry> batch) {
    boolean rolled = false;
    try {
      if (needsRepair) {
        segments.active().cutToPromised();
        needsRepair = false;
        LOG.log(Level.INFO, "the journal can be written again");
      }
      long bytes = 0;
      for (Entry e : batch) {
        bytes += e.record == null ? 0 : e.record.length;
      }
      Segment s = segments.active();
      // Roll only between batches: a failed batch then never leaves records in a closed segment.
      if (bytes > 0 && s.size() > Segment.HEADER && s.size() + bytes > segmentBytes) {
        s = segments.roll();
        rolled = true;
      }
      for (Entry e : batch) {
        byte[] record = e.record;
        if (record == null) {
          continue;
        }
        RecordFormat.seal(record);
        if (record.length > buffer.remaining()) {
          flush(s);
        }
        e.location = Location.of(s.id, s.size() + buffer.position());
        if (record.length > buffer.capacity()) {
          s.write(ByteBuffer.wrap(record));
        } else {
          buffer.put(record);
        }
        e.record = null; // written: do not keep it in memory (a keyed entry lives for the dedupe window)
      }
      flush(s);
      if (fsyncAlways) {
        s.force();
      } else if (!dirty && bytes > 0) {
        dirty = true;
        forceDueNanos = System.nanoTime() + intervalNanos;
      }
      s.promised();
      healthy = true;
    } catch (IOException | RuntimeException e) {
      fail(batch, e);
      return;
    }
    for (Entry e : batch) {
      try {
        e.apply();
      } catch (RuntimeException ex) {
        LOG.log(Level.ERROR, "applying a journal record failed", ex); // a bug: still release its caller
      }
    }
    lock.lock();
    try {
      writingFloor = Long.MAX_VALUE; // applied: visible to readers
    } finally {
      lock.unlock();
    }
    for (Entry e : batch) {
      e.complete();
    }
    if (rolled) {
      requestHousekeeping(); // a closed segment may be deletable
    }
  }

  private void flush(Segment s) throws IOException {
    buffer.flip();
    try {
      s.write(buffer);
    } finally {
      buffer.clear();
    }
  }

  private void forceNow() {
    try {
      segments.active().force();
      dirty = false;
    } catch (IOException e) {
      dirty = false;
      fail(List.of(), e);
    }
  }

  /** Fails {@code batch} and everything queued; see the class comment. */
  private void fail(List<Entry> batch, Throwable cause) {
    long failedAt = clock.millis();
    boolean wasHealthy = healthy;
    healthy = false;
    needsRepair = true;
    buffer.clear();
    List<Entry> all = new ArrayList<>(batch);
    lock.lock();
    try {
      failed = true;
      retryAt = Long.MAX_VALUE; // until every channel has rolled back
      failure = String.valueOf(cause.getMessage());
      all.addAll(filling);
      filling = new ArrayList<>();
      fillingBytes = 0;
      fillingFloor = Long.MAX_VALUE;
      writingFloor = Long.MAX_VALUE;
      room.signalAll();
    } finally {
      lock.unlock();
    }
    if (wasHealthy) { // once per outage, not once per retry
      LOG.log(Level.WARNING, "the journal cannot be written; publishes fail until it can: " + cause);
    }
    StoreUnavailableException refused =
        new StoreUnavailableException("the journal cannot be written: " + cause.getMessage(), cause);
    Set<JournalChannel> channels = new LinkedHashSet<>();
    for (Entry e : all) {
      e.fail(refused);
      e.failed();
      if (e.channel() != null) {
        channels.add(e.channel());
      }
    }
    for (JournalChannel channel : channels) {
      channel.rollback();
    }
    lock.lock();
    try {
      retryAt = failedAt + RETRY_MILLIS;
    } finally {
      lock.unlock();
    }
  }
}
