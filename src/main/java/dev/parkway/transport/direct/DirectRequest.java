package dev.parkway.transport.direct;

import dev.parkway.auth.AccessRequest;
import dev.parkway.auth.servlet.HttpAccessRequest;
import dev.parkway.transport.http.ApiException;
import dev.parkway.transport.http.PollQuery;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.QueryStringDecoder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * One request on the direct port, as the routes and the {@link dev.parkway.auth.Authorizer} read it: its
 * method, its path split into percent-decoded segments, its decoded query and its headers. The query is
 * decoded once, up front, so a malformed one is refused (400 {@code invalid_parameter}) before any route
 * runs, as on the servlet port. Confined to the event loop thread that read it.
 */
final class DirectRequest implements AccessRequest, PollQuery.Params {
  /** As many query parameters as Tomcat accepts by default (maxParameterCount). */
  private static final int MAX_PARAMETERS = 1000;

  private final String method;
  private final String rawQuery;
  private final List<String> segments;
  private final Map<String, List<String>> query;
  private final HttpHeaders headers;
  private final String remoteAddress;

  private DirectRequest(
      String method,
      String rawQuery,
      List<String> segments,
      Map<String, List<String>> query,
      HttpHeaders headers,
      String remoteAddress) {
    this.method = method;
    this.rawQuery = rawQuery;
    this.segments = segments;
    this.query = query;
    this.headers = headers;
    this.remoteAddress = remoteAddress;
  }

  /** @throws ApiException 400 {@code invalid_parameter} for a malformed path or query */
  static DirectRequest of(HttpRequest request, String remoteAddress) {
    String uri = request.uri();
    int q = uri.indexOf('?');
    String rawPath = q < 0 ? uri : uri.substring(0, q);
    String rawQuery = q < 0 ? null : uri.substring(q + 1);
    if (!rawPath.startsWith("/")) {
      throw ApiException.badRequest("invalid_parameter", "the request target must be a path");
    }
    try {
      String[] parts = rawPath.substring(1).split("/", -1);
      String[] decoded = new String[parts.length];
      for (int i = 0; i < parts.length; i++) {
        decoded[i] = QueryStringDecoder.decodeComponent(parts[i], StandardCharsets.UTF_8);
      }
      Map<String, List<String>> query =
          rawQuery == null
              ? Map.of()
              : new QueryStringDecoder(rawQuery, StandardCharsets.UTF_8, false, MAX_PARAMETERS, true)
                  .parameters();
      return new DirectRequest(
          request.method().name(), rawQuery, List.of(decoded), query, request.headers(), remoteAddress);
    } catch (IllegalArgumentException e) {
      throw ApiException.badRequest(
          "invalid_parameter", "the path or query is malformed (bad %-encoding)");
    }
  }

  /** The path's segments, decoded: {@code /channels/news} is {@code [channels, news]}. */
  List<String> segments() {
    return segments;
  }

  @Override
  public String get(String name) {
    List<String> values = query.get(name);
    return values == null || values.isEmpty() ? null : values.get(0);
  }

  @Override
  public String[] all(String name) {
    List<String> values = query.get(name);
    return values == null ? null : values.toArray(String[]::new);
  }

  @Override
  public String method() {
    return method;
  }

  @Override
  public String path() {
    return "/" + String.join("/", segments);
  }

  @Override
  public String header(String name) {
    return headers.get(name);
  }

  @Override
  public String remoteAddress() {
    return remoteAddress;
  }

  @Override
  public Optional<String> bearerToken() {
    return HttpAccessRequest.bearerToken(headers.get("Authorization"), rawQuery);
  }
}
