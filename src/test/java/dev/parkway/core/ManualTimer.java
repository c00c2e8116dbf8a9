package dev.parkway.core;

import java.time.Duration;
import java.util.PriorityQueue;

/**
 * A {@link Timer} driven by hand: tasks wait, with a due time on a {@link MutableClock}, until {@link
 * #advance} moves the clock past it; they then run on the calling thread, earliest first (ties in the order
 * they were scheduled), with the clock set to each task's due time while it runs. A cancelled task never
 * runs. Thread-safe: tasks may be scheduled and cancelled from any thread; they run outside the lock.
 */
public final class ManualTimer implements Timer {
  private final MutableClock clock;
  private final PriorityQueue<Task> queue =
      new PriorityQueue<>((a, b) -> a.due != b.due ? Long.compare(a.due, b.due) : Long.compare(a.order, b.order));
  private long scheduled;

  public ManualTimer(MutableClock clock) {
    this.clock = clock;
  }

  @Override
  public synchronized Cancellable schedule(Runnable task, long delayMillis) {
    Task t = new Task(task, clock.millis() + Math.max(0, delayMillis), scheduled++);
    queue.add(t);
    return () -> cancel(t);
  }

  /** Moves the clock forward by {@code d}, running every task that falls due on the way. */
  public void advance(Duration d) {
    long target = clock.millis() + d.toMillis();
    while (true) {
      Task next;
      synchronized (this) {
        next = queue.peek();
        if (next == null || next.due > target) {
          break;
        }
        queue.poll();
      }
      if (next.due > clock.millis()) {
        clock.setMillis(next.due);
      }
      next.task.run();
    }
    if (target > clock.millis()) {
      clock.setMillis(target);
    }
  }

  /** Tasks scheduled, not yet run and not cancelled. */
  public synchronized int pending() {
    return queue.size();
  }

  /** The due time of the earliest pending task, or -1. */
  public synchronized long nextDue() {
    Task t = queue.peek();
    return t == null ? -1 : t.due;
  }

  private synchronized void cancel(Task t) {
    queue.remove(t);
  }

  private static final class Task {
    final Runnable task;
    final long due;
    final long order;

    Task(Runnable task, long due, long order) {
      this.task = task;
      this.due = due;
      this.order = order;
    }
  }
}
