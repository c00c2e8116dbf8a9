package dev.parkway.core;

/**
 * Runs a task after a delay. The broker's deadlines go through it, so core tests drive time by hand
 * ({@code ManualTimer}) while production uses {@link ScheduledTimer}. Implementations are thread-safe.
 */
@FunctionalInterface
public interface Timer {
  Cancellable schedule(Runnable task, long delayMillis);

  /** A scheduled task that may still be cancelled. Cancelling a task that ran or was cancelled is a no-op. */
  @FunctionalInterface
  interface Cancellable {
    void cancel();
  }
}
