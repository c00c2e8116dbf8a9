package dev.parkway.auth;

import java.util.Optional;

/** {@link AccessRequest}s for unit tests: a GET of {@code /channels/news} from 127.0.0.1. */
final class AccessRequests {
  private AccessRequests() {}

  static AccessRequest bearer(String token) {
    return of(Optional.of(token));
  }

  static AccessRequest none() {
    return of(Optional.empty());
  }

  private static AccessRequest of(Optional<String> token) {
    return new AccessRequest() {
      @Override
      public String method() {
        return "GET";
      }

      @Override
      public String path() {
        return "/channels/news";
      }

      @Override
      public String header(String name) {
        return null;
      }

      @Override
      public String remoteAddress() {
        return "127.0.0.1";
      }

      @Override
      public Optional<String> bearerToken() {
        return token;
      }
    };
  }
}
