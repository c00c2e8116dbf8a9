package dev.parkway.transport.direct;

import dev.parkway.transport.http.ApiException;
import dev.parkway.transport.http.CorsPolicy;
import dev.parkway.transport.http.JsonWriter;
import io.netty.buffer.Unpooled;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.DefaultHttpHeaders;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.EmptyHttpHeaders;
import io.netty.util.AsciiString;
import java.util.Map;

/**
 * Builds the direct port's answers with the headers every Parkway answer carries ({@code Content-Type},
 * {@code Cache-Control: no-store}, {@code X-Content-Type-Options: nosniff}, {@code Content-Length}), the
 * CORS headers of the request's origin, and, for errors, the API's {@code {"error", "message"}} body.
 * Header names and fixed values are pre-encoded ASCII, so an answer costs no character encoding but its
 * length. Thread-safe.
 */
final class Responses {
  private static final AsciiString JSON = AsciiString.cached(JsonWriter.JSON);
  private static final AsciiString NO_STORE = AsciiString.cached("no-store");
  private static final AsciiString NOSNIFF = AsciiString.cached("nosniff");
  private static final AsciiString X_CONTENT_TYPE_OPTIONS = AsciiString.cached("x-content-type-options");
  private static final AsciiString ORIGIN = AsciiString.cached("Origin");
  private static final AsciiString TRUE = AsciiString.cached("true");
  private static final AsciiString EXPOSED = AsciiString.cached(CorsPolicy.EXPOSED_HEADERS);

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

  CorsPolicy cors() {
    return cors;
  }

  /**
   * The {@code Access-Control-Allow-Origin} a request's answers carry, or null for none: no CORS, no
   * {@code Origin}, or an origin not allowed.
   */
  String allowOrigin(String origin) {
    return cors == null ? null : cors.allowOrigin(origin);
  }

  FullHttpResponse json(int status, byte[] body, String allowOrigin) {
    return json(status, body, allowOrigin, Map.of());
  }

  FullHttpResponse json(int status, byte[] body, String allowOrigin, Map<String, String> extra) {
    HttpHeaders headers = new DefaultHttpHeaders(false);
    headers.add(HttpHeaderNames.CONTENT_TYPE, JSON);
    headers.add(HttpHeaderNames.CACHE_CONTROL, NO_STORE);
    headers.add(X_CONTENT_TYPE_OPTIONS, NOSNIFF);
    headers.add(HttpHeaderNames.CONTENT_LENGTH, body.length);
    extra.forEach(headers::set);
    corsHeaders(headers, allowOrigin);
    return new DefaultFullHttpResponse(
        HttpVersion.HTTP_1_1,
        HttpResponseStatus.valueOf(status),
        Unpooled.wrappedBuffer(body),
        headers,
        EmptyHttpHeaders.INSTANCE);
  }

  /** A 204 with the common headers and no body. */
  FullHttpResponse noContent(String allowOrigin) {
    HttpHeaders headers = new DefaultHttpHeaders(false);
    headers.add(HttpHeaderNames.CACHE_CONTROL, NO_STORE);
    headers.add(X_CONTENT_TYPE_OPTIONS, NOSNIFF);
    corsHeaders(headers, allowOrigin);
    return new DefaultFullHttpResponse(
        HttpVersion.HTTP_1_1,
        HttpResponseStatus.NO_CONTENT,
        Unpooled.EMPTY_BUFFER,
        headers,
        EmptyHttpHeaders.INSTANCE);
  }

  /** The API's JSON error for {@code e}, with its own headers ({@code Retry-After}, {@code Allow}, ...). */
  FullHttpResponse error(ApiException e, String allowOrigin) {
    return json(e.status(), json.errorBody(e), allowOrigin, e.headers());
  }

  /** The answer to a CORS preflight: 204 with what the API allows, or 403 {@code origin_not_allowed}. */
  FullHttpResponse preflight(String allowOrigin) {
    Map<String, String> vary =
        Map.of("Vary", "Origin, Access-Control-Request-Method, Access-Control-Request-Headers");
    if (allowOrigin == null) {
      return json(
          403,
          json.errorBody(new ApiException(
              403, "origin_not_allowed", "this origin may not call the API (parkway.cors.origins)")),
          null,
          vary);
    }
    FullHttpResponse answer = noContent(null);
    HttpHeaders headers = answer.headers();
    vary.forEach(headers::set);
    headers.set(HttpHeaderNames.ACCESS_CONTROL_ALLOW_ORIGIN, allowOrigin);
    if (cors.credentials(allowOrigin)) {
      headers.set(HttpHeaderNames.ACCESS_CONTROL_ALLOW_CREDENTIALS, TRUE);
    }
    headers.set(HttpHeaderNames.ACCESS_CONTROL_ALLOW_METHODS, CorsPolicy.METHODS);
    headers.set(HttpHeaderNames.ACCESS_CONTROL_ALLOW_HEADERS, CorsPolicy.REQUEST_HEADERS);
    headers.set(HttpHeaderNames.ACCESS_CONTROL_MAX_AGE, cors.maxAge());
    return answer;
  }

  private void corsHeaders(HttpHeaders headers, String allowOrigin) {
    if (cors == null) {
      return;
    }
    headers.add(HttpHeaderNames.VARY, ORIGIN);
    if (allowOrigin == null) {
      return;
    }
    headers.set(HttpHeaderNames.ACCESS_CONTROL_ALLOW_ORIGIN, allowOrigin);
    if (cors.credentials(allowOrigin)) {
      headers.set(HttpHeaderNames.ACCESS_CONTROL_ALLOW_CREDENTIALS, TRUE);
    }
    headers.set(HttpHeaderNames.ACCESS_CONTROL_EXPOSE_HEADERS, EXPOSED);
  }
}
