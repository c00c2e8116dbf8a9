package dev.parkway.transport.direct;

import dev.parkway.auth.AccessRequest;
import dev.parkway.auth.servlet.HttpAccessRequest;
import dev.parkway.transport.http.ApiException;
import dev.parkway.transport.http.PollQuery;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.QueryStringDecoder;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * One request on the direct port, as the routes and the {@link dev.parkway.auth.Authorizer} read it: its
 * method, its path split into percent-decoded segments, its decoded query and its headers. The query is
 * decoded once, up front; a malformed one (bad %-escapes or UTF-8, more than 1000 parameters) is refused
 * (400 {@code invalid_parameter}) once the request is authenticated, before the route reads it, as on the
 * servlet port. Confined to the event loop thread that read it.
 */
final class DirectRequest implements AccessRequest, PollQuery.Params {
  /** As many query parameters as Tomcat accepts by default (maxParameterCount). */
  private static final int MAX_PARAMETERS = 1000;

  private final String method;
  private final String rawQuery;
  private final List<String> segments;
  /** Null when the query is malformed. */
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

  /**
   * Reads {@code request}'s target. A malformed query is not refused here but by {@link
   * #requireWellFormedQuery} (and any read of it), so that a request without credentials is refused for
   * that first, as on the servlet port.
   *
   * @throws ApiException 400 {@code invalid_parameter} for a malformed path
   */
  static DirectRequest of(HttpRequest request, String remoteAddress) {
    String uri = request.uri();
    int q = uri.indexOf('?');
    String rawPath = q < 0 ? uri : uri.substring(0, q);
    String rawQuery = q < 0 ? null : uri.substring(q + 1);
    if (!rawPath.startsWith("/")) {
      throw ApiException.badRequest("invalid_parameter", "the request target must be a path");
    }
    List<String> segments;
    try {
      requireUtf8(rawPath);
      String[] parts = rawPath.substring(1).split("/", -1);
      String[] decoded = new String[parts.length];
      for (int i = 0; i < parts.length; i++) {
        decoded[i] = QueryStringDecoder.decodeComponent(parts[i], StandardCharsets.UTF_8);
      }
      segments = List.of(decoded);
    } catch (IllegalArgumentException e) {
      throw ApiException.badRequest("invalid_parameter", "the path is malformed (bad %-encoding)");
    }
    Map<String, List<String>> query;
    try {
      query = rawQuery == null ? Map.of() : decodeQuery(rawQuery);
    } catch (IllegalArgumentException e) {
      query = null;
    }
    return new DirectRequest(
        request.method().name(), rawQuery, segments, query, request.headers(), remoteAddress);
  }

  private static Map<String, List<String>> decodeQuery(String rawQuery) {
    requireUtf8(rawQuery);
    Map<String, List<String>> query =
        new QueryStringDecoder(rawQuery, StandardCharsets.UTF_8, false, MAX_PARAMETERS + 1, true)
            .parameters();
    // The decoder stops quietly at its limit, dropping the rest (a timeout= after 1000 others would be
    // lost and the poll park for the default time): one past the limit is the refusal Tomcat gives.
    if (query.values().stream().mapToInt(List::size).sum() > MAX_PARAMETERS) {
      throw new IllegalArgumentException("more than " + MAX_PARAMETERS + " query parameters");
    }
    return query;
  }

  /** @throws ApiException 400 {@code invalid_parameter} if the query is malformed */
  void requireWellFormedQuery() {
    if (query == null) {
      throw ApiException.badRequest(
          "invalid_parameter", "the query string is malformed (bad %-encoding or too many parameters)");
    }
  }

  /**
   * Refuses a path or query whose %-escapes are broken or do not spell UTF-8, as Tomcat does. Netty's
   * decoder would put U+FFFD in place of the bad bytes, and the request would be judged on a value the
   * client never sent ({@code after=%C3%28} an invalid cursor, not a malformed query). Checking the whole
   * string is enough: the separators ({@code / & =}) are ASCII, which never occurs inside a UTF-8
   * sequence, so the string is valid exactly when every piece of it is.
   *
   * @throws IllegalArgumentException if it is not
   */
  private static void requireUtf8(String raw) {
    if (raw.indexOf('%') < 0) {
      return; // no escapes: the characters are what they are
    }
    byte[] bytes = new byte[raw.length()];
    int n = 0;
    for (int i = 0; i < raw.length(); i++) {
      char c = raw.charAt(i);
      if (c != '%') {
        bytes[n++] = (byte) c;
        continue;
      }
      int high = i + 2 < raw.length() ? Character.digit(raw.charAt(i + 1), 16) : -1;
      int low = i + 2 < raw.length() ? Character.digit(raw.charAt(i + 2), 16) : -1;
      if (high < 0 || low < 0) {
        throw new IllegalArgumentException("broken %-escape at " + i);
      }
      bytes[n++] = (byte) (high << 4 | low);
      i += 2;
    }
    try {
      StandardCharsets.UTF_8.newDecoder()
          .onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT)
          .decode(ByteBuffer.wrap(bytes, 0, n));
    } catch (CharacterCodingException e) {
      throw new IllegalArgumentException("%-escapes that are not UTF-8", e);
    }
  }

  /** The path's segments, decoded: {@code /channels/news} is {@code [channels, news]}. */
  List<String> segments() {
    return segments;
  }

  @Override
  public String get(String name) {
    requireWellFormedQuery();
    List<String> values = query.get(name);
    return values == null || values.isEmpty() ? null : values.get(0);
  }

  @Override
  public String[] all(String name) {
    requireWellFormedQuery();
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
