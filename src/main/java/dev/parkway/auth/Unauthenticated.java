package dev.parkway.auth;

/**
 * An {@link Authorizer} cannot tell who is asking: the request carries no credentials ({@link
 * #tokenGiven()} false), or credentials it refuses (true: malformed, wrong signature, expired, not yet
 * valid, unknown). The transport answers 401 with {@code WWW-Authenticate: Bearer realm="parkway"}, plus
 * {@code error="invalid_token"} when a token was given.
 *
 * <p>The message is sent to the client: it says what is wrong ("the token has expired") and never
 * contains the token or a secret.
 */
public final class Unauthenticated extends RuntimeException {
  private static final long serialVersionUID = 1L;
  private final boolean tokenGiven;

  private Unauthenticated(String message, boolean tokenGiven) {
    super(message, null, false, false);
    this.tokenGiven = tokenGiven;
  }

  /** The request carries no bearer token: the standard refusal of the built-in token modes. */
  public static Unauthenticated noBearerToken() {
    return missing("send a token: Authorization: Bearer <token> (or ?access_token= for EventSource)");
  }

  /** The request carries no token. */
  public static Unauthenticated missing(String message) {
    return new Unauthenticated(message, false);
  }

  /** The request carries a token this authorizer refuses. */
  public static Unauthenticated invalid(String message) {
    return new Unauthenticated(message, true);
  }

  public boolean tokenGiven() {
    return tokenGiven;
  }
}
