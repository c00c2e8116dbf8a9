package dev.parkway.auth.servlet;

import dev.parkway.auth.AccessRequest;
import jakarta.servlet.http.HttpServletRequest;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Optional;

/**
 * An {@link AccessRequest} over a servlet request. Reads lazily, so an authorizer pays only for what it
 * asks. Confined to the request's thread.
 *
 * <p>The {@code access_token} query parameter is read from the raw query string, not with {@code
 * getParameter}: that would make the container parse (and, for a malformed query, refuse) the whole
 * query, which some compatibility routes deliberately never do, and for a form POST it would consume the
 * body. Only the first {@code access_token} counts.
 */
public final class HttpAccessRequest implements AccessRequest {
  static final String QUERY_PARAMETER = "access_token";
  private static final String BEARER = "Bearer";

  private final HttpServletRequest req;

  public HttpAccessRequest(HttpServletRequest req) {
    this.req = req;
  }

  @Override
  public String method() {
    return req.getMethod();
  }

  @Override
  public String path() {
    String info = req.getPathInfo();
    return req.getServletPath() + (info == null ? "" : info);
  }

  @Override
  public String header(String name) {
    return req.getHeader(name);
  }

  @Override
  public String remoteAddress() {
    return req.getRemoteAddr();
  }

  @Override
  public Optional<String> bearerToken() {
    return bearerToken(req.getHeader("Authorization"), req.getQueryString());
  }

  /** The token of {@code Authorization: Bearer <token>}, else of {@code access_token=} in the query. */
  public static Optional<String> bearerToken(String authorization, String query) {
    if (authorization != null) {
      String value = authorization.trim();
      // The scheme is case-insensitive (RFC 9110 11.1); another scheme (Basic, for a proxy) is not ours.
      if (value.regionMatches(true, 0, BEARER, 0, BEARER.length())
          && (value.length() == BEARER.length() || value.charAt(BEARER.length()) == ' ')) {
        return Optional.of(value.substring(BEARER.length()).trim());
      }
    }
    return queryToken(query);
  }

  private static Optional<String> queryToken(String query) {
    if (query == null) {
      return Optional.empty();
    }
    for (String pair : query.split("&")) {
      if (pair.equals(QUERY_PARAMETER) || pair.startsWith(QUERY_PARAMETER + "=")) {
        String value = pair.substring(Math.min(pair.length(), QUERY_PARAMETER.length() + 1));
        try {
          return Optional.of(URLDecoder.decode(value, StandardCharsets.UTF_8));
        } catch (IllegalArgumentException e) {
          return Optional.of(""); // a broken %-escape: a token was given, and it is not valid
        }
      }
    }
    return Optional.empty();
  }
}
