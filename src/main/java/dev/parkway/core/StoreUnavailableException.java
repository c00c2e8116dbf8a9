package dev.parkway.core;

/**
 * The store could not do what was asked, and did nothing: an append that throws this stored nothing.
 * Transport answers it with 503 {@code store_unavailable}.
 */
public final class StoreUnavailableException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public StoreUnavailableException(String message, Throwable cause) {
    super(message, cause);
  }
}
