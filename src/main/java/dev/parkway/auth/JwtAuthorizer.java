package dev.parkway.auth;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSVerifier;
import com.nimbusds.jose.crypto.MACVerifier;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import java.text.ParseException;
import java.time.Clock;
import java.time.Duration;
import java.util.Date;
import java.util.List;

/**
 * {@code parkway.auth=jwt}: signed tokens (JWT, HS256 only) whose {@link ParkwayClaim parkway claim}
 * lists the channels and mailboxes each action is granted on.
 *
 * <p>A token is accepted when all of these hold, else the request is 401 {@code invalid_token}:
 *
 * <ul>
 *   <li>it is a compact JWS whose header says {@code "alg": "HS256"}: {@code none}, any other algorithm
 *       and encrypted tokens are refused before any signature is computed, so a token cannot choose how
 *       it is checked;
 *   <li>its HMAC matches the configured secret (compared in constant time by Nimbus's verifier);
 *   <li>it has {@code exp}, and now is before {@code exp} + the clock skew; if it has {@code nbf}, now is
 *       at or after {@code nbf} - the clock skew;
 *   <li>if an issuer is configured, {@code iss} equals it; if an audience is configured, {@code aud}
 *       contains it;
 *   <li>it has a well-formed {@code parkway} claim.
 * </ul>
 *
 * Nothing is cached: checking an HS256 token takes microseconds. Immutable; thread-safe (Nimbus's
 * {@link MACVerifier} is thread-safe for verification).
 */
public final class JwtAuthorizer implements Authorizer {
  /** The shortest secret accepted: HS256 wants a key at least as long as its 256-bit output. */
  public static final int MIN_SECRET_BYTES = 32;

  private final JWSVerifier verifier;
  private final String issuer;
  private final String audience;
  private final long skewMillis;
  private final Clock clock;

  /**
   * @param secret the HMAC key, at least {@link #MIN_SECRET_BYTES} bytes
   * @param issuer the required {@code iss}, or null for any
   * @param audience the audience {@code aud} must contain, or null for any
   * @param clockSkew how far {@code exp} and {@code nbf} may be off
   * @param clock the time tokens are checked against
   */
  public JwtAuthorizer(byte[] secret, String issuer, String audience, Duration clockSkew, Clock clock) {
    if (secret.length < MIN_SECRET_BYTES) {
      throw new IllegalArgumentException("an HS256 secret is at least " + MIN_SECRET_BYTES + " bytes");
    }
    try {
      this.verifier = new MACVerifier(secret);
    } catch (JOSEException e) {
      throw new IllegalArgumentException("the secret cannot be an HS256 key", e);
    }
    this.issuer = blankToNull(issuer);
    this.audience = blankToNull(audience);
    this.skewMillis = clockSkew.toMillis();
    this.clock = clock;
  }

  @Override
  public Grant authenticate(AccessRequest request) {
    String token = request.bearerToken().orElseThrow(Unauthenticated::noBearerToken);
    JWTClaimsSet claims = verified(token);
    checkTimes(claims);
    if (issuer != null && !issuer.equals(claims.getIssuer())) {
      throw Unauthenticated.invalid("the token's issuer (iss) is not the one this server accepts");
    }
    List<String> aud = claims.getAudience();
    if (audience != null && (aud == null || !aud.contains(audience))) {
      throw Unauthenticated.invalid("the token's audience (aud) does not include this server");
    }
    Object claim = claims.getClaim(ParkwayClaim.NAME);
    if (claim == null) {
      throw Unauthenticated.invalid("the token has no " + ParkwayClaim.NAME + " claim");
    }
    try {
      return ParkwayClaim.parse(claim);
    } catch (IllegalArgumentException e) {
      throw Unauthenticated.invalid(e.getMessage());
    }
  }

  /** The claims of a token whose algorithm and signature are right. */
  private JWTClaimsSet verified(String token) {
    SignedJWT jwt;
    try {
      // Refuses "alg": "none" (not a JWS header) and anything that is not three base64url parts.
      jwt = SignedJWT.parse(token);
    } catch (ParseException e) {
      throw Unauthenticated.invalid("the token is not a signed JWT");
    }
    if (!JWSAlgorithm.HS256.equals(jwt.getHeader().getAlgorithm())) {
      throw Unauthenticated.invalid("the token must be signed with HS256");
    }
    try {
      if (!jwt.verify(verifier)) {
        throw Unauthenticated.invalid("the token's signature is not valid");
      }
      return jwt.getJWTClaimsSet();
    } catch (JOSEException | ParseException | IllegalStateException e) {
      // A "crit" header the verifier does not know, or claims that are not a JSON object.
      throw Unauthenticated.invalid("the token is not a valid JWT");
    }
  }

  private void checkTimes(JWTClaimsSet claims) {
    long now = clock.millis();
    Date exp = claims.getExpirationTime();
    if (exp == null) {
      throw Unauthenticated.invalid("the token has no expiry (exp)");
    }
    if (now >= exp.getTime() + skewMillis) {
      throw Unauthenticated.invalid("the token has expired");
    }
    Date nbf = claims.getNotBeforeTime();
    if (nbf != null && now < nbf.getTime() - skewMillis) {
      throw Unauthenticated.invalid("the token is not valid yet (nbf)");
    }
  }

  @Override
  public String describe() {
    return "jwt: HS256"
        + (issuer != null ? ", iss " + issuer : "")
        + (audience != null ? ", aud " + audience : "")
        + ", clock skew " + skewMillis + " ms";
  }

  private static String blankToNull(String s) {
    return s == null || s.isBlank() ? null : s;
  }
}
