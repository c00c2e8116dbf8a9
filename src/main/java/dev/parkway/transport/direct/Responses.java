package dev.parkway.transport.direct;

import dev.parkway.transport.http.ApiException;
import dev.parkway.transport.http.CorsPolicy;
import dev.parkway.transport.http.JsonWriter;
import io.netty.handler.codec.http.HttpResponseStatus;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/**
 * Builds the direct port's answers as {@link Wire} bytes, with the headers every Parkway answer carries
 * ({@code Content-Type}, {@code Cache-Control: no-store}, {@code X-Content-Type-Options: nosniff},
 * {@code Content-Length}), the CORS headers of the request's origin, and, for errors, the API's {@code
 * {"error", "message"}} body. Header values that could carry a client's bytes (the allowed origin is
 * always a configured value or {@code *}, never the request's) are never written here. Thread-safe.
 */
final class Responses {
  private static final String COMMON =
      "cache-control: no-store\r\nx-content-type-options: nosniff\r\n";
  private static final String JSON_TYPE = "content-type: " + JsonWriter.JSON + "\r\n";

  private final JsonWriter json;
  private final CorsPolicy cors;

  /** @param cors null when {@code parkway.cors.origins} is not set: then no CORS header is written */
  Responses(JsonWriter json, CorsPolicy cors) {
    this.json = json;
    this.cors = cors;
  }

  boolean corsEnabled() {
    return cors != null;
  }

  /**
   * The {@code Access-Control-Allow-Origin} a request's answers carry, or null for none: no CORS, no
   * {@code Origin}, or an origin not allowed.
   */
  String allowOrigin(String origin) {
    return cors == null ? null : cors.allowOrigin(origin);
  }

  Wire json(int status, byte[] body, String allowOrigin) {
    return json(status, body, allowOrigin, Map.of());
  }

  Wire json(int status, byte[] body, String allowOrigin, Map<String, String> extra) {
    StringBuilder head = statusLine(status).append(JSON_TYPE).append(COMMON);
    head.append("content-length: ").append(body.length).append("\r\n");
    extra.forEach((name, value) -> header(head, name, value));
    corsHeaders(head, allowOrigin);
    return wire(head, body);
  }

  /** A 204 with the common headers and no body. */
  Wire noContent(String allowOrigin) {
    StringBuilder head = statusLine(204).append(COMMON);
    corsHeaders(head, allowOrigin);
    return wire(head, new byte[0]);
  }

  /** The API's JSON error for {@code e}, with its own headers ({@code Retry-After}, {@code Allow}, ...). */
  Wire error(ApiException e, String allowOrigin) {
    return json(e.status(), json.errorBody(e), allowOrigin, e.headers());
  }

  /** The answer to a CORS preflight: 204 with what the API allows, or 403 {@code origin_not_allowed}. */
  Wire preflight(String allowOrigin) {
    String vary = "Origin, Access-Control-Request-Method, Access-Control-Request-Headers";
    if (allowOrigin == null) {
      byte[] body = json.errorBody(new ApiException(
          403, "origin_not_allowed", "this origin may not call the API (parkway.cors.origins)"));
      // Not json(): its CORS headers would add a second Vary
      StringBuilder head = statusLine(403).append(JSON_TYPE).append(COMMON);
      head.append("content-length: ").append(body.length).append("\r\n");
      header(head, "Vary", vary);
      return wire(head, body);
    }
    StringBuilder head = statusLine(204).append(COMMON);
    header(head, "Vary", vary);
    header(head, "Access-Control-Allow-Origin", allowOrigin);
    if (cors.credentials(allowOrigin)) {
      header(head, "Access-Control-Allow-Credentials", "true");
    }
    header(head, "Access-Control-Allow-Methods", CorsPolicy.METHODS);
    header(head, "Access-Control-Allow-Headers", CorsPolicy.REQUEST_HEADERS);
    header(head, "Access-Control-Max-Age", cors.maxAge());
    return wire(head, new byte[0]);
  }

  private void corsHeaders(StringBuilder head, String allowOrigin) {
    if (cors == null) {
      return;
    }
    header(head, "Vary", "Origin");
    if (allowOrigin == null) {
      return;
    }
    header(head, "Access-Control-Allow-Origin", allowOrigin);
    if (cors.credentials(allowOrigin)) {
      header(head, "Access-Control-Allow-Credentials", "true");
    }
    header(head, "Access-Control-Expose-Headers", CorsPolicy.EXPOSED_HEADERS);
  }

  private static StringBuilder statusLine(int status) {
    return new StringBuilder(256)
        .append("HTTP/1.1 ")
        .append(status)
        .append(' ')
        .append(HttpResponseStatus.valueOf(status).reasonPhrase())
        .append("\r\n");
  }

  /** One header line; every name and value here is Parkway's own ASCII, never a client's bytes. */
  private static void header(StringBuilder head, String name, String value) {
    head.append(name).append(": ").append(value).append("\r\n");
  }

  private static Wire wire(StringBuilder head, byte[] body) {
    head.append("\r\n");
    byte[] headBytes = head.toString().getBytes(StandardCharsets.US_ASCII);
    byte[] bytes = new byte[headBytes.length + body.length];
    System.arraycopy(headBytes, 0, bytes, 0, headBytes.length);
    System.arraycopy(body, 0, bytes, headBytes.length, body.length);
    return new Wire(bytes, headBytes.length);
  }
}
