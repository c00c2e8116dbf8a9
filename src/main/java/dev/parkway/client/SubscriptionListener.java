package dev.parkway.client;

/**
 * Receives what a {@link Subscription} delivers. Every method is called on the subscription's own
 * thread, one call at a time, in order.
 *
 * <p>If {@link #onEvent} or {@link #onGap} throws, the answer that held the event is not acknowledged:
 * the error goes to {@link #onError}, the subscription backs off and polls again from the cursor before
 * that answer, so the same events come again (at-least-once delivery; for a mailbox, this is what keeps
 * an unhandled message in the mailbox).
 */
@FunctionalInterface
public interface SubscriptionListener {
  /** One event, in order. */
  void onEvent(Event event) throws Exception;

  /** Events were lost before the ones that follow (called before the events of the same answer). */
  default void onGap(Gap gap) throws Exception {}

  /**
   * A failed poll or a listener failure. If the subscription will try again, this is followed by a
   * backoff; a {@link ParkwayException} that is not {@link ParkwayException#retryable() retryable}
   * ends the subscription ({@link #onClosed} follows with the same exception).
   */
  default void onError(Throwable error) {}

  /** Another poll with the same client id (or mailbox) took this one's place; the subscription ends. */
  default void onSuperseded() {}

  /** Called once, last: {@code cause} is null after {@link Subscription#close()} or a supersede. */
  default void onClosed(Throwable cause) {}
}
