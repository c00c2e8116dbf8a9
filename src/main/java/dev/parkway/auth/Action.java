package dev.parkway.auth;

/**
 * What a request wants to do to a {@link Target}.
 *
 * <ul>
 *   <li>{@link #SUBSCRIBE}: read: long-poll or stream a channel or pattern, poll a mailbox (which also
 *       acknowledges its messages), or act as a client id ({@code client=}) on a poll;
 *   <li>{@link #PUBLISH}: write: publish to a channel, send to a mailbox;
 *   <li>{@link #ADMIN}: a channel's {@code info} and {@code DELETE}, and server-wide statistics
 *       ({@code /metrics}, on {@link Target#server()}).
 * </ul>
 */
public enum Action {
  SUBSCRIBE("subscribe"),
  PUBLISH("publish"),
  ADMIN("admin");

  private final String word;

  Action(String word) {
    this.word = word;
  }

  /** The lower-case name used in settings, claims and messages: {@code subscribe}, {@code publish}, {@code admin}. */
  public String word() {
    return word;
  }
}
