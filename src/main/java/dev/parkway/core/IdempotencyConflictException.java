package dev.parkway.core;

/**
 * An {@code Idempotency-Key} already used on this channel, within the dedupe window, for different data.
 * Nothing is stored; transport answers 422 {@code idempotency_key_reused}.
 */
public final class IdempotencyConflictException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public IdempotencyConflictException(String message) {
    super(message, null, false, false);
  }
}
