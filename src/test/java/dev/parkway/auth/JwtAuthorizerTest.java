package dev.parkway.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jwt.JWTClaimsSet;
import dev.parkway.security.Jwts;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Date;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Signed tokens: HS256 only, exp required, nbf honoured with the clock skew, the parkway claim. */
class JwtAuthorizerTest {
  private static final long NOW = 1_763_800_000_000L;
  private static final Duration SKEW = Duration.ofSeconds(30);
  private static final Object CHAT = Jwts.claim(List.of("chat.*", "@alice"), List.of("chat.room1"), List.of());

  private final JwtAuthorizer jwt = authorizer(null, null);

  private static JwtAuthorizer authorizer(String issuer, String audience) {
    return new JwtAuthorizer(
        Jwts.SECRET.getBytes(StandardCharsets.UTF_8), issuer, audience, SKEW,
        Clock.fixed(Instant.ofEpochMilli(NOW), ZoneOffset.UTC));
  }

  private static JWTClaimsSet.Builder claims(Object parkway) {
    return Jwts.claims(NOW, 600, parkway);
  }

  private Grant accept(JwtAuthorizer authorizer, String token) {
    return authorizer.authenticate(AccessRequests.bearer(token));
  }

  private Unauthenticated refuse(JwtAuthorizer authorizer, String token) {
    Unauthenticated e =
        catchThrowableOfType(Unauthenticated.class, () -> authorizer.authenticate(AccessRequests.bearer(token)));
    assertThat(e).as("refused").isNotNull();
    assertThat(e.tokenGiven()).isTrue();
    return e;
  }

  @Test
  void validTokenGrantsWhatItsClaimLists() {
    Grant g = accept(jwt, Jwts.hs256(Jwts.SECRET, claims(CHAT).build()));
    assertThat(g.allows(Action.SUBSCRIBE, Target.channel("chat.room7"))).isTrue();
    assertThat(g.allows(Action.SUBSCRIBE, Target.pattern("chat.*"))).isTrue();
    assertThat(g.allows(Action.SUBSCRIBE, Target.mailbox("alice"))).isTrue();
    assertThat(g.allows(Action.SUBSCRIBE, Target.mailbox("bob"))).isFalse();
    assertThat(g.allows(Action.SUBSCRIBE, Target.channel("news"))).isFalse();
    assertThat(g.allows(Action.PUBLISH, Target.channel("chat.room1"))).isTrue();
    assertThat(g.allows(Action.PUBLISH, Target.channel("chat.room2"))).isFalse();
    assertThat(g.allows(Action.ADMIN, Target.channel("chat.room1"))).isFalse();
  }

  @Test
  void expiredTokenIsRefusedOnceTheSkewHasPassed() {
    String justExpired = Jwts.hs256(Jwts.SECRET, Jwts.claims(NOW - 620_000, 600, CHAT).build()); // exp 20 s ago
    assertThat(accept(jwt, justExpired)).isNotNull();
    String expired = Jwts.hs256(Jwts.SECRET, Jwts.claims(NOW - 640_000, 600, CHAT).build()); // exp 40 s ago
    assertThat(refuse(jwt, expired)).hasMessage("the token has expired");
  }

  @Test
  void tokenWithoutExpiryIsRefused() {
    String token = Jwts.hs256(Jwts.SECRET, claims(CHAT).expirationTime(null).build());
    assertThat(refuse(jwt, token)).hasMessageContaining("exp");
  }

  @Test
  void notBeforeIsHonouredWithTheSkew() {
    String soon = Jwts.hs256(Jwts.SECRET, claims(CHAT).notBeforeTime(new Date(NOW + 20_000)).build());
    assertThat(accept(jwt, soon)).isNotNull();
    String later = Jwts.hs256(Jwts.SECRET, claims(CHAT).notBeforeTime(new Date(NOW + 60_000)).build());
    assertThat(refuse(jwt, later)).hasMessageContaining("nbf");
  }

  @Test
  void wrongSignatureIsRefused() {
    String other = Jwts.hs256("another-secret-of-at-least-32-bytes-long!", claims(CHAT).build());
    assertThat(refuse(jwt, other)).hasMessageContaining("signature");
  }

  @Test
  void tamperedPayloadIsRefused() {
    String narrow = Jwts.hs256(Jwts.SECRET, claims(CHAT).build());
    String wide = Jwts.hs256(Jwts.SECRET, claims(Jwts.claim(List.of("*"), List.of("*"), List.of("*"))).build());
    String[] n = narrow.split("\\.");
    String[] w = wide.split("\\.");
    refuse(jwt, n[0] + "." + w[1] + "." + n[2]);
  }

  @Test
  void algNoneIsRefused() {
    assertThat(refuse(jwt, Jwts.unsigned(claims(CHAT).build()))).hasMessage("the token is not a signed JWT");
  }

  @Test
  void otherAlgorithmsAreRefusedEvenWithTheRightKey() {
    String hs384 = Jwts.sign(Jwts.SECRET + "-longer-for-hs384-0123456789", JWSAlgorithm.HS384, claims(CHAT).build());
    assertThat(refuse(jwt, hs384)).hasMessageContaining("HS256");
    String hs512 =
        Jwts.sign(Jwts.SECRET + Jwts.SECRET, JWSAlgorithm.HS512, claims(CHAT).build());
    assertThat(refuse(jwt, hs512)).hasMessageContaining("HS256");
  }

  @Test
  void garbageIsRefusedAndNoTokenIsMissing() {
    for (String garbage : new String[] {"", "abc", "a.b.c", "x.y", "....."}) {
      refuse(jwt, garbage);
    }
    Unauthenticated missing =
        catchThrowableOfType(Unauthenticated.class, () -> jwt.authenticate(AccessRequests.none()));
    assertThat(missing.tokenGiven()).isFalse();
  }

  @Test
  void issuerAndAudienceAreCheckedWhenConfigured() {
    JwtAuthorizer strict = authorizer("https://auth.example", "parkway");
    String right = Jwts.hs256(Jwts.SECRET, claims(CHAT).issuer("https://auth.example").audience(List.of("parkway", "x")).build());
    assertThat(accept(strict, right)).isNotNull();
    refuse(strict, Jwts.hs256(Jwts.SECRET, claims(CHAT).issuer("https://evil.example").audience("parkway").build()));
    refuse(strict, Jwts.hs256(Jwts.SECRET, claims(CHAT).issuer("https://auth.example").audience("other").build()));
    refuse(strict, Jwts.hs256(Jwts.SECRET, claims(CHAT).build()));
    assertThat(accept(jwt, right)).isNotNull(); // none configured: any
  }

  @Test
  void missingOrMalformedParkwayClaimIsAnInvalidToken() {
    assertThat(refuse(jwt, Jwts.hs256(Jwts.SECRET, claims(null).build()))).hasMessageContaining("no parkway claim");
    assertThat(refuse(jwt, Jwts.hs256(Jwts.SECRET, claims("chat.*").build()))).hasMessageContaining("object");
    assertThat(refuse(jwt, Jwts.hs256(Jwts.SECRET, claims(Map.of("publsh", List.of("a"))).build())))
        .hasMessageContaining("publsh");
    assertThat(refuse(jwt, Jwts.hs256(Jwts.SECRET, claims(Map.of("publish", "a")).build())))
        .hasMessageContaining("list of strings");
    assertThat(refuse(jwt, Jwts.hs256(Jwts.SECRET, claims(Map.of("publish", List.of(1))).build())))
        .hasMessageContaining("list of strings");
    assertThat(refuse(jwt, Jwts.hs256(Jwts.SECRET, claims(Map.of("subscribe", List.of("chat*"))).build())))
        .hasMessageContaining("chat*");
  }

  @Test
  void anEmptyClaimGrantsNothing() {
    Grant g = accept(jwt, Jwts.hs256(Jwts.SECRET, claims(Map.of()).build()));
    assertThat(g.allows(Action.SUBSCRIBE, Target.channel("news"))).isFalse();
    assertThat(g.allows(Action.PUBLISH, Target.mailbox("alice"))).isFalse();
  }

  @Test
  void aSecretShorterThan32BytesIsRefused() {
    assertThatThrownBy(() -> new JwtAuthorizer(new byte[31], null, null, SKEW, Clock.systemUTC()))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
