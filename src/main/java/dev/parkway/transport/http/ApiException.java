package dev.parkway.transport.http;

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

  static ApiException badRequest(String code, String message) {
    return new ApiException(400, code, message);
  }
}
