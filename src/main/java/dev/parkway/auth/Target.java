package dev.parkway.auth;

/**
 * What an {@link Action} applies to: one channel, a channel pattern ({@code news.*}, as a multi-channel
 * poll or stream names it), one client's mailbox, or the server as a whole. Immutable.
 *
 * <p>A {@link Kind#CHANNEL} name is the store key: usually a channel name, but a golongpoll category that
 * is not a valid channel name lives under an internal key beginning with {@code %} (see the compatibility
 * docs); only a grant of every channel ({@code *}) covers those.
 *
 * @param kind what sort of thing is named
 * @param name the channel, the pattern (with its {@code .*}), the client id; empty for the server
 */
public record Target(Kind kind, String name) {

  /** The sorts of target. */
  public enum Kind {
    CHANNEL,
    PATTERN,
    MAILBOX,
    SERVER
  }

  public Target {
    if (kind == null || name == null) {
      throw new IllegalArgumentException("a target has a kind and a name");
    }
  }

  public static Target channel(String name) {
    return new Target(Kind.CHANNEL, name);
  }

  /** A channel pattern such as {@code news.*}: every channel strictly under {@code news}. */
  public static Target pattern(String pattern) {
    return new Target(Kind.PATTERN, pattern);
  }

  /** The mailbox of one client id. */
  public static Target mailbox(String clientId) {
    return new Target(Kind.MAILBOX, clientId);
  }

  /** The server as a whole: what {@code /metrics} and other server-wide statistics are checked against. */
  public static Target server() {
    return new Target(Kind.SERVER, "");
  }

  /** For messages: {@code channel news}, {@code channels news.*}, {@code the mailbox of client bob}. */
  public String describe() {
    return switch (kind) {
      case CHANNEL -> "channel " + name;
      case PATTERN -> "channels " + name;
      case MAILBOX -> "the mailbox of client " + name;
      case SERVER -> "the server";
    };
  }
}
