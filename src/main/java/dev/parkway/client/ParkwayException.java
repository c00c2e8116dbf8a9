package dev.parkway.client;

import java.time.Duration;
import java.util.Optional;

/**
 * A refusal from the server (a 4xx or 5xx answer), or an answer the client could not read.
 * {@link #error()} is the stable {@code error} code of the body ({@code "invalid_cursor"}, ...), null
 * when the body was not Parkway's JSON (a proxy page, the container's HTML 400).
 */
public class ParkwayException extends RuntimeException {
  private static final long serialVersionUID = 1L;
  private final int status;
  private final String error;
  private final transient Duration retryAfter;

  public ParkwayException(int status, String error, String message, Duration retryAfter) {
    super(status > 0 ? status + (error != null ? " " + error : "") + ": " + message : message);
    this.status = status;
    this.error = error;
    this.retryAfter = retryAfter;
  }

  public ParkwayException(String message, Throwable cause) {
    super(message, cause);
    this.status = 0;
    this.error = null;
    this.retryAfter = null;
  }

  /** The HTTP status, or 0 when no status applies (an unreadable answer). */
  public int status() {
    return status;
  }

  /** The {@code error} code of the answer, or null. */
  public String error() {
    return error;
  }

  /** The {@code Retry-After} the server asked for, if any. */
  public Optional<Duration> retryAfter() {
    return Optional.ofNullable(retryAfter);
  }

  /**
   * True when trying again later can succeed: 5xx, 408, 429, 410 {@code channel_deleted} (the channel
   * may be published to again) and unreadable answers. Other 4xx are mistakes that a retry repeats.
   */
  public boolean retryable() {
    return status == 0 || status >= 500 || status == 408 || status == 429 || status == 410;
  }
}
