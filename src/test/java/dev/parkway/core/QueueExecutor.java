package dev.parkway.core;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.concurrent.Executor;

/**
 * An {@link Executor} that only queues: tasks run when the test says, on the test's thread, in the order it
 * chooses ({@link #runNext}, {@link #runLast}, {@link #runAll}). This is how the broker's hand-offs (wakes,
 * deadlines, supersedes) are put in a chosen interleaving. Thread-safe: tasks may be queued from any thread.
 */
public final class QueueExecutor implements Executor {
  private final Deque<Runnable> tasks = new ArrayDeque<>();
  private long executed;

  @Override
  public synchronized void execute(Runnable task) {
    tasks.addLast(task);
  }

  public synchronized int size() {
    return tasks.size();
  }

  /** Total tasks handed to this executor so far. */
  public synchronized long submitted() {
    return executed + tasks.size();
  }

  /** Runs the oldest queued task; false if none was queued. */
  public boolean runNext() {
    Runnable task;
    synchronized (this) {
      task = tasks.pollFirst();
      if (task == null) {
        return false;
      }
      executed++;
    }
    task.run();
    return true;
  }

  /** Runs the newest queued task; false if none was queued. */
  public boolean runLast() {
    Runnable task;
    synchronized (this) {
      task = tasks.pollLast();
      if (task == null) {
        return false;
      }
      executed++;
    }
    task.run();
    return true;
  }

  /** Runs queued tasks, oldest first, including those they queue, until none is left; returns how many. */
  public int runAll() {
    int n = 0;
    while (runNext()) {
      n++;
    }
    return n;
  }

  /** Forgets every queued task without running it; returns how many were dropped. */
  public synchronized int discardAll() {
    int n = tasks.size();
    executed += n;
    tasks.clear();
    return n;
  }
}
