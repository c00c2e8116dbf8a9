package dev.parkway.auth;

/**
 * Decides who may subscribe, publish and administer which channels and mailboxes. The service provider
 * interface of Parkway's access control: built in are {@link OpenAuthorizer} ({@code parkway.auth=open}),
 * {@link TokenAuthorizer} ({@code tokens}) and {@link JwtAuthorizer} ({@code jwt}); any other can be
 * plugged with {@code parkway.auth=class:com.example.MyAuthorizer} (see {@link Authorizers}).
 *
 * <p>Two steps, so a request naming many channels checks its credentials once:
 *
 * <ol>
 *   <li>{@link #authenticate} runs once per request, before Parkway looks at anything else in it (a
 *       request without valid credentials gets 401 whatever else is wrong with it);
 *   <li>the {@link Grant} it returns is asked for each channel, pattern or mailbox the request then turns
 *       out to touch; a {@code false} is 403.
 * </ol>
 *
 * <p><b>Threading.</b> One instance serves every request, concurrently, on the container's request
 * threads: implementations must be thread-safe, and should answer from memory (a blocking call here holds
 * a request thread; cache what a remote check returns). {@code /health} and static files are never
 * checked.
 *
 * <p><b>Lifecycle.</b> Built once at start-up, after the configuration is validated; {@link #close} is
 * called once when the web application stops, after the last request.
 */
public interface Authorizer {
  /**
   * Who is asking, and what they may do.
   *
   * @throws Unauthenticated when the request carries no credentials this authorizer accepts (401)
   */
  Grant authenticate(AccessRequest request);

  /** One line for the start-up log; never includes a secret. */
  default String describe() {
    return getClass().getName();
  }

  /** Releases what the authorizer holds. The default does nothing. */
  default void close() {}
}
