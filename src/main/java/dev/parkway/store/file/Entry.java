package dev.parkway.store.file;

import dev.parkway.core.StoreUnavailableException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

/**
 * A record on its way through the journal. A channel queues it (under the channel's lock, so the queue
 * holds each channel's records in the order the channel decided them); the writer thread writes it, makes
 * it durable as the fsync mode says, then {@link #apply applies} it to memory (in queue order, so readers
 * see a channel's changes in order, and only once they are on disk), then completes it. A waiting caller
 * then returns. If the write fails, the entry is failed instead and never applied.
 *
 * <p>Thread-safety: the fields below are set by the queueing thread before the journal lock is released,
 * and by the writer thread after it takes the batch; the future publishes completion to waiters.
 */
abstract class Entry {
  /** The record's bytes, or null for a marker that is only applied in order. Dropped once written. */
  byte[] record;
  /** Where the record was written; set by the writer thread before {@link #apply}. */
  long location;

  private final CompletableFuture<Void> done = new CompletableFuture<>();

  Entry(byte[] record) {
    this.record = record;
  }

  /**
   * Called under the journal lock as the entry is queued, with the store clock's time: an append chooses
   * its timestamp here and returns it (see {@link Journal#now}); other entries return {@link Long#MAX_VALUE}.
   */
  long stamp(long clockMillis) {
    return Long.MAX_VALUE;
  }

  /** The channel to roll back if this entry fails, or null. */
  abstract JournalChannel channel();

  /** Writer thread: the record is durable; make it visible. Must not throw or block on I/O. */
  abstract void apply();

  /** Writer thread: the record was not written; undo whatever queueing promised (after {@link #fail}). */
  void failed() {}

  final void complete() {
    done.complete(null);
  }

  final void fail(StoreUnavailableException e) {
    done.completeExceptionally(e);
  }

  final boolean hasFailed() {
    return done.isCompletedExceptionally();
  }

  /**
   * Waits until the entry is applied.
   *
   * @throws StoreUnavailableException if it could not be written (then it was not applied)
   */
  final void await() {
    try {
      done.join();
    } catch (CompletionException e) {
      if (e.getCause() instanceof StoreUnavailableException s) {
        throw new StoreUnavailableException(s.getMessage(), s);
      }
      throw e;
    }
  }
}
