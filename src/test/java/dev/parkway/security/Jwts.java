package dev.parkway.security;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Date;
import java.util.List;
import java.util.Map;

/** Mints tokens for tests, as an operator's token service would (docs/security.md shows the same). */
public final class Jwts {
  /** A 48-byte secret, as {@code openssl rand -base64 36} gives. */
  public static final String SECRET = "test-secret-0123456789-abcdefghij-ABCDEFGHIJ-xyz";

  private Jwts() {}

  /** The {@code parkway} claim: subscribe, publish and admin entries. */
  public static Map<String, Object> claim(List<String> subscribe, List<String> publish, List<String> admin) {
    return Map.of("subscribe", subscribe, "publish", publish, "admin", admin);
  }

  /** Claims expiring {@code expiresInSeconds} from {@code nowMillis}, with the given parkway claim. */
  public static JWTClaimsSet.Builder claims(long nowMillis, long expiresInSeconds, Object parkway) {
    return new JWTClaimsSet.Builder()
        .subject("test")
        .issueTime(new Date(nowMillis))
        .expirationTime(new Date(nowMillis + expiresInSeconds * 1000))
        .claim("parkway", parkway);
  }

  /** A token valid for an hour from now with the given parkway claim, signed with {@link #SECRET}. */
  public static String valid(Object parkway) {
    return hs256(SECRET, claims(System.currentTimeMillis(), 3600, parkway).build());
  }

  public static String hs256(String secret, JWTClaimsSet claims) {
    return sign(secret, JWSAlgorithm.HS256, claims);
  }

  public static String sign(String secret, JWSAlgorithm alg, JWTClaimsSet claims) {
    try {
      SignedJWT jwt = new SignedJWT(new JWSHeader(alg), claims);
      jwt.sign(new MACSigner(secret.getBytes(StandardCharsets.UTF_8)));
      return jwt.serialize();
    } catch (JOSEException e) {
      throw new IllegalStateException(e);
    }
  }

  /** The same claims with {@code "alg": "none"} and no signature: what an attacker would try. */
  public static String unsigned(JWTClaimsSet claims) {
    Base64.Encoder b64 = Base64.getUrlEncoder().withoutPadding();
    String header = b64.encodeToString("{\"alg\":\"none\",\"typ\":\"JWT\"}".getBytes(StandardCharsets.UTF_8));
    String payload = b64.encodeToString(claims.toString().getBytes(StandardCharsets.UTF_8));
    return header + "." + payload + ".";
  }
}
