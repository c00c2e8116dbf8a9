package dev.parkway.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import org.junit.jupiter.api.Test;

/** Static tokens: one per role, compared whole; the publish token administers unless an admin token exists. */
class TokenAuthorizerTest {
  private static final String PUBLISH = "publish-token-0123456789";
  private static final String SUBSCRIBE = "subscribe-token-0123456789";
  private static final String ADMIN = "admin-token-0123456789";

  private final Target news = Target.channel("news");
  private final Target alice = Target.mailbox("alice");

  @Test
  void subscribeTokenOnlySubscribes() {
    Grant g = new TokenAuthorizer(PUBLISH, SUBSCRIBE, null).authenticate(AccessRequests.bearer(SUBSCRIBE));
    assertThat(g.allows(Action.SUBSCRIBE, news)).isTrue();
    assertThat(g.allows(Action.SUBSCRIBE, Target.pattern("news.*"))).isTrue();
    assertThat(g.allows(Action.SUBSCRIBE, alice)).isTrue();
    assertThat(g.allows(Action.PUBLISH, news)).isFalse();
    assertThat(g.allows(Action.PUBLISH, alice)).isFalse();
    assertThat(g.allows(Action.ADMIN, news)).isFalse();
  }

  @Test
  void publishTokenPublishesSubscribesAndAdministersWithoutAnAdminToken() {
    Grant g = new TokenAuthorizer(PUBLISH, SUBSCRIBE, "").authenticate(AccessRequests.bearer(PUBLISH));
    assertThat(g.allows(Action.PUBLISH, news)).isTrue();
    assertThat(g.allows(Action.PUBLISH, alice)).isTrue();
    assertThat(g.allows(Action.SUBSCRIBE, news)).isTrue();
    assertThat(g.allows(Action.ADMIN, news)).isTrue();
    assertThat(g.allows(Action.ADMIN, Target.server())).isTrue();
  }

  @Test
  void anAdminTokenTakesAdministrationAwayFromThePublishToken() {
    TokenAuthorizer tokens = new TokenAuthorizer(PUBLISH, SUBSCRIBE, ADMIN);
    Grant publisher = tokens.authenticate(AccessRequests.bearer(PUBLISH));
    assertThat(publisher.allows(Action.PUBLISH, news)).isTrue();
    assertThat(publisher.allows(Action.ADMIN, news)).isFalse();
    Grant admin = tokens.authenticate(AccessRequests.bearer(ADMIN));
    assertThat(admin.allows(Action.ADMIN, news)).isTrue();
    assertThat(admin.allows(Action.ADMIN, Target.server())).isTrue();
    assertThat(admin.allows(Action.PUBLISH, alice)).isTrue();
  }

  @Test
  void noTokenIsMissingAndAWrongOneIsInvalid() {
    TokenAuthorizer tokens = new TokenAuthorizer(PUBLISH, SUBSCRIBE, ADMIN);
    Unauthenticated missing =
        catchThrowableOfType(Unauthenticated.class, () -> tokens.authenticate(AccessRequests.none()));
    assertThat(missing.tokenGiven()).isFalse();
    for (String wrong : new String[] {"", PUBLISH + "x", PUBLISH.substring(1), PUBLISH.toUpperCase(), "Bearer"}) {
      Unauthenticated invalid =
          catchThrowableOfType(Unauthenticated.class, () -> tokens.authenticate(AccessRequests.bearer(wrong)));
      assertThat(invalid).as(wrong).isNotNull();
      assertThat(invalid.tokenGiven()).isTrue();
      assertThat(invalid.getMessage()).isEqualTo("the token is not valid"); // names no token
    }
  }

  @Test
  void bothRoleTokensAreRequired() {
    assertThatThrownBy(() -> new TokenAuthorizer(PUBLISH, "", null)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new TokenAuthorizer(null, SUBSCRIBE, null)).isInstanceOf(IllegalArgumentException.class);
  }
}
