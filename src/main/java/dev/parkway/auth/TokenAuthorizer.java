package dev.parkway.auth;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/**
 * {@code parkway.auth=tokens}: static bearer tokens, one per role, for every channel and every mailbox.
 *
 * <ul>
 *   <li>the <b>subscribe</b> token may subscribe (poll, stream, read mailboxes);
 *   <li>the <b>publish</b> token may publish and send, and subscribe too: it is the server side's
 *       credential, and a publisher that could not read back what it wrote would need both tokens;
 *   <li>the <b>admin</b> token (optional) may do everything, {@code info}, {@code DELETE} and {@code
 *       /metrics} included. Without one, the publish token is also the admin token.
 * </ul>
 *
 * <p>Tokens name roles, not clients: anyone holding the subscribe token may read any mailbox. For
 * per-user channels and mailboxes, use {@link JwtAuthorizer}.
 *
 * <p>A token is compared in constant time: both sides are hashed with SHA-256 and the digests compared
 * with {@link MessageDigest#isEqual}, so neither the position of the first wrong character nor the
 * length of the right token shows in the time taken; every role is compared on every request. Immutable
 * after construction; thread-safe.
 */
public final class TokenAuthorizer implements Authorizer {
  private static final Grant SUBSCRIBER = (action, target) -> action == Action.SUBSCRIBE;
  private static final Grant PUBLISHER_AND_ADMIN = Grant.ALL;
  private static final Grant PUBLISHER =
      (action, target) -> action == Action.SUBSCRIBE || action == Action.PUBLISH;

  private final byte[] publish;
  private final byte[] subscribe;
  private final byte[] admin;

  /**
   * @param publishToken the publishers' token
   * @param subscribeToken the subscribers' token
   * @param adminToken the administrators' token, or null/empty to let the publish token administer
   */
  public TokenAuthorizer(String publishToken, String subscribeToken, String adminToken) {
    if (empty(publishToken) || empty(subscribeToken)) {
      throw new IllegalArgumentException("the publish and subscribe tokens are required");
    }
    this.publish = digest(publishToken);
    this.subscribe = digest(subscribeToken);
    this.admin = empty(adminToken) ? null : digest(adminToken);
  }

  @Override
  public Grant authenticate(AccessRequest request) {
    String token = request.bearerToken().orElseThrow(Unauthenticated::noBearerToken);
    byte[] given = digest(token);
    // Every comparison runs, whichever matches: the time taken does not tell the roles apart either.
    boolean isAdmin = admin != null && MessageDigest.isEqual(given, admin);
    boolean isPublisher = MessageDigest.isEqual(given, publish);
    boolean isSubscriber = MessageDigest.isEqual(given, subscribe);
    if (isAdmin || (isPublisher && admin == null)) {
      return PUBLISHER_AND_ADMIN;
    }
    if (isPublisher) {
      return PUBLISHER;
    }
    if (isSubscriber) {
      return SUBSCRIBER;
    }
    throw Unauthenticated.invalid("the token is not valid");
  }

  @Override
  public String describe() {
    return "tokens: publish, subscribe" + (admin != null ? " and admin" : " (publish also administers)");
  }

  private static boolean empty(String s) {
    return s == null || s.isEmpty();
  }

  private static byte[] digest(String token) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(token.getBytes(StandardCharsets.UTF_8));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every Java platform has SHA-256", e);
    }
  }
}
