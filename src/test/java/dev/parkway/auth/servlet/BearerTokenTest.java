package dev.parkway.auth.servlet;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Where a request's token is read from: the Authorization header first, else access_token in the query. */
class BearerTokenTest {
  private static Optional<String> token(String authorization, String query) {
    return HttpAccessRequest.bearerToken(authorization, query);
  }

  @Test
  void bearerHeaderIsReadWithAnyCaseOfTheScheme() {
    assertThat(token("Bearer abc.def", null)).hasValue("abc.def");
    assertThat(token("bearer abc", null)).hasValue("abc");
    assertThat(token("BEARER   abc  ", null)).hasValue("abc");
    assertThat(token("Bearer", null)).hasValue("");
  }

  @Test
  void headerWinsOverTheQuery() {
    assertThat(token("Bearer header", "access_token=query")).hasValue("header");
  }

  @Test
  void accessTokenQueryParameterIsDecodedAndTheFirstCounts() {
    assertThat(token(null, "channel=a&access_token=x%2By&access_token=second")).hasValue("x+y");
    assertThat(token(null, "access_token=")).hasValue("");
    assertThat(token(null, "access_token")).hasValue("");
    assertThat(token(null, "access_token=%ZZ")).hasValue(""); // given, and not valid
  }

  @Test
  void otherSchemesAndLookalikeParametersAreNoToken() {
    assertThat(token("Basic dXNlcjpwYXNz", null)).isEmpty();
    assertThat(token("Bearerabc", null)).isEmpty();
    assertThat(token(null, "xaccess_token=1&access_tokens=2")).isEmpty();
    assertThat(token(null, null)).isEmpty();
    assertThat(token("Basic dXNlcjpwYXNz", "access_token=q")).hasValue("q");
  }
}
