package dev.parkway.core;

import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * {@link Timer} over the application's one scheduler. The scheduler must have {@code
 * setRemoveOnCancelPolicy(true)}, so a poll answered early does not leave its deadline in the queue until
 * it would have fired (with 50,000 parked polls and a busy channel that queue would otherwise grow).
 */
public final class ScheduledTimer implements Timer {
  private final ScheduledThreadPoolExecutor scheduler;

  public ScheduledTimer(ScheduledThreadPoolExecutor scheduler) {
    if (!scheduler.getRemoveOnCancelPolicy()) {
      throw new IllegalArgumentException("the scheduler must remove cancelled tasks");
    }
    this.scheduler = scheduler;
  }

  @Override
  public Cancellable schedule(Runnable task, long delayMillis) {
    var future = scheduler.schedule(task, delayMillis, TimeUnit.MILLISECONDS);
    return () -> future.cancel(false);
  }
}
