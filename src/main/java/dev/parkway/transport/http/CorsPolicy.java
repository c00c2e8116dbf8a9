package dev.parkway.transport.http;

import dev.parkway.config.Config;
import java.util.Locale;
import java.util.Set;

/**
 * Which origins may read Parkway's answers from a browser, and the CORS header values that say so.
 *
 * <p>The answer's {@code Access-Control-Allow-Origin} is never the request's {@code Origin} copied over:
 * it is the configured entry the origin equals (compared case-insensitively, as browsers send origins
 * lower-case), or {@code *} when any origin is allowed. Credentials ({@code
 * Access-Control-Allow-Credentials: true}) go only to a listed origin, and only when {@code
 * parkway.cors.credentials=true}; never with {@code *}. Immutable; thread-safe.
 */
public final class CorsPolicy {
  /** The methods the API answers. */
  public static final String METHODS = "GET, HEAD, POST, DELETE";

  /**
   * The request headers the API reads that are not CORS-safelisted: the bearer token, JSON bodies,
   * SSE resumption, publish deduplication.
   */
  public static final String REQUEST_HEADERS = "Authorization, Content-Type, Idempotency-Key, Last-Event-ID";

  /** The answer headers a page may read besides the safelisted ones: 503/429 back-off, 401/403 challenge. */
  public static final String EXPOSED_HEADERS = "Retry-After, WWW-Authenticate";

  private final Set<String> origins;
  private final boolean anyOrigin;
  private final boolean credentials;
  private final String maxAge;

  public CorsPolicy(Config.Cors cors) {
    this.origins = Set.copyOf(cors.origins());
    this.anyOrigin = cors.anyOrigin();
    this.credentials = cors.credentials();
    this.maxAge = Long.toString(cors.maxAge().toSeconds());
  }

  /** The {@code Access-Control-Allow-Origin} for a request from {@code origin}, or null: not allowed. */
  public String allowOrigin(String origin) {
    if (origin == null) {
      return null;
    }
    String lower = origin.toLowerCase(Locale.ROOT);
    if (origins.contains(lower)) {
      return lower;
    }
    return anyOrigin ? "*" : null;
  }

  /** Whether credentials are allowed for an origin whose {@link #allowOrigin} was {@code allowed}. */
  public boolean credentials(String allowed) {
    return credentials && allowed != null && !allowed.equals("*");
  }

  public String maxAge() {
    return maxAge;
  }

  /** For the start-up log. */
  public static String describe(Config.Cors cors) {
    String list = String.join(", ", cors.origins());
    String any = cors.anyOrigin() ? (list.isEmpty() ? "*" : ", and * without credentials") : "";
    return list + any + (cors.credentials() ? " (credentials for listed origins)" : "");
  }
}
