package dev.parkway.transport.http;

import dev.parkway.core.ChannelLimitException;
import dev.parkway.core.IdempotencyConflictException;
import dev.parkway.core.InvalidCursorException;
import dev.parkway.core.TooManyPollsException;
import java.util.Map;

/**
 * A request Parkway refuses, with the status and the {@code {"error", "message"}} body to answer it with.
 * Thrown while parsing and validating, before anything is stored or parked; {@link ApiServlet} writes it.
 */
public final class ApiException extends RuntimeException {
  private static final long serialVersionUID = 1L;
  private final int status;
  private final String code;
  private final transient Map<String, String> headers;

  public ApiException(int status, String code, String message) {
    this(status, code, message, Map.of());
  }

  public ApiException(int status, String code, String message, Map<String, String> headers) {
    super(message, null, false, false);
    this.status = status;
    this.code = code;
    this.headers = headers;
  }

  public int status() {
    return status;
  }

  public String code() {
    return code;
  }

  public Map<String, String> headers() {
    return headers;
  }

  /**
   * The refusal a client's mistake thrown by the core turns into, the same on every transport: the
   * exception itself if it is one, 400 {@code invalid_cursor}, 429 {@code too_many_polls}, 507 {@code
   * channel_limit_reached}, 422 {@code idempotency_key_reused}; null for anything else (the store being
   * unavailable, or a bug), which the caller answers itself.
   */
  public static ApiException refusalOf(RuntimeException e) {
    if (e instanceof ApiException api) {
      return api;
    } else if (e instanceof InvalidCursorException) {
      return badRequest("invalid_cursor", e.getMessage());
    } else if (e instanceof TooManyPollsException tooMany) {
      return tooManyPolls(tooMany);
    } else if (e instanceof ChannelLimitException limit) {
      return channelLimit(limit);
    } else if (e instanceof IdempotencyConflictException) {
      return new ApiException(422, "idempotency_key_reused", e.getMessage());
    }
    return null;
  }

  public static ApiException badRequest(String code, String message) {
    return new ApiException(400, code, message);
  }

  /**
   * 429 {@code too_many_polls}: the client's address holds its maximum of parked polls and open streams.
   * {@code Retry-After} is a random 1 to 5 seconds, so refused clients do not all return together.
   */
  public static ApiException tooManyPolls(TooManyPollsException e) {
    String seconds = Long.toString(java.util.concurrent.ThreadLocalRandom.current().nextLong(1, 6));
    return new ApiException(429, "too_many_polls", e.getMessage(), Map.of("Retry-After", seconds));
  }

  /** 507 {@code channel_limit_reached}: creating one more channel would pass {@code parkway.channels.max}. */
  public static ApiException channelLimit(ChannelLimitException e) {
    return new ApiException(507, "channel_limit_reached", e.getMessage());
  }
}
