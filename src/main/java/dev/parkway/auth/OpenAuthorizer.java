package dev.parkway.auth;

/**
 * {@code parkway.auth=open}, the default: every request may do everything, with or without a token (a
 * token sent anyway is ignored, not checked). Meant for development, demos and deployments where a proxy
 * in front does the access control. Stateless; thread-safe.
 */
public final class OpenAuthorizer implements Authorizer {
  @Override
  public Grant authenticate(AccessRequest request) {
    return Grant.ALL;
  }

  @Override
  public String describe() {
    return "open: no credentials are checked";
  }
}
