package dev.parkway.auth;

import java.util.Optional;

/**
 * The request an {@link Authorizer} judges, as the transport shows it: a read-only view with no servlet
 * type in it, so an authorizer can be written and tested without a container. Built by the transport for
 * one request and used on that request's thread only.
 */
public interface AccessRequest {
  /** The HTTP method, upper case. */
  String method();

  /** The path inside the web application (after the context path), percent-decoded: {@code /channels/news}. */
  String path();

  /** The first value of a request header, or null; names are case-insensitive. */
  String header(String name);

  /** The client's IP address as the container sees it (a proxy's, behind one). */
  String remoteAddress();

  /**
   * The bearer token the request carries: from {@code Authorization: Bearer <token>}, else from the
   * {@code access_token} query parameter (for {@code EventSource} and other clients that cannot set
   * headers). Empty when it carries none; a present but empty token is {@code Optional.of("")}.
   */
  Optional<String> bearerToken();
}
