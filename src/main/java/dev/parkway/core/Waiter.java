package dev.parkway.core;

/**
 * Something waiting for a channel to grow: a parked poll now, an SSE stream too. A waiter carries its own
 * cursor, never a message: being told is only a hint to re-read after that cursor, so a wake that loses a
 * race loses nothing.
 *
 * <p>The broker calls these methods on a delivery thread, never while holding a lock and never on the
 * publisher's thread. They must not block for long: they are called for thousands of waiters in a row.
 */
public interface Waiter {
  Subscription subscription();

  /** A channel this waiter covers has a new event. */
  void onAppended(String channel);

  /** A channel this waiter covers was deleted. */
  void onDeleted(String channel);

  /** The server is stopping: end now (a stream closes; parked polls are answered by the broker). */
  default void onShutdown() {}
}
