package dev.parkway.auth;

import dev.parkway.core.Names;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * The channels and mailboxes one {@link Action} is granted on, in the syntax of multi-channel polls
 * ({@link Names}), plus a mailbox prefix and a catch-all:
 *
 * <table>
 *   <caption>entries</caption>
 *   <tr><td>{@code chat.room1}</td><td>that channel</td></tr>
 *   <tr><td>{@code chat.*}</td><td>every channel strictly under {@code chat} (not {@code chat} itself),
 *       and every pattern under it ({@code chat.*}, {@code chat.eu.*})</td></tr>
 *   <tr><td>{@code *}</td><td>every channel and pattern (golongpoll's internal category keys too), and
 *       the server as a whole ({@link Target#server()})</td></tr>
 *   <tr><td>{@code @alice}</td><td>the mailbox of client {@code alice}</td></tr>
 *   <tr><td>{@code @team.*}</td><td>the mailboxes of the clients strictly under {@code team}</td></tr>
 *   <tr><td>{@code @*}</td><td>every mailbox</td></tr>
 * </table>
 *
 * <p>A pattern target is covered only by a grant at least as wide: {@code news.*} is covered by {@code
 * news.*}, {@code *} or a pattern above it, never by a list of exact channels (a wildcard poll also
 * receives channels created later). Channels never cover mailboxes. Immutable; thread-safe.
 */
public final class ChannelPatterns {
  private static final String ALL = "*";
  private static final String MAILBOX = "@";

  private final boolean allChannels;
  private final Set<String> channels;
  private final List<String> channelPrefixes;
  private final boolean allMailboxes;
  private final Set<String> mailboxes;
  private final List<String> mailboxPrefixes;

  private ChannelPatterns(
      boolean allChannels, Set<String> channels, List<String> channelPrefixes,
      boolean allMailboxes, Set<String> mailboxes, List<String> mailboxPrefixes) {
    this.allChannels = allChannels;
    this.channels = Set.copyOf(channels);
    this.channelPrefixes = List.copyOf(channelPrefixes);
    this.allMailboxes = allMailboxes;
    this.mailboxes = Set.copyOf(mailboxes);
    this.mailboxPrefixes = List.copyOf(mailboxPrefixes);
  }

  /** Nothing granted. */
  public static ChannelPatterns none() {
    return parse(List.of());
  }

  /**
   * Reads a list of entries.
   *
   * @throws IllegalArgumentException naming the first entry that is none of the forms above
   */
  public static ChannelPatterns parse(List<String> entries) {
    boolean allChannels = false;
    boolean allMailboxes = false;
    Set<String> channels = new HashSet<>();
    List<String> channelPrefixes = new ArrayList<>();
    Set<String> mailboxes = new HashSet<>();
    List<String> mailboxPrefixes = new ArrayList<>();
    for (String entry : entries) {
      boolean mailbox = entry != null && entry.startsWith(MAILBOX);
      String name = entry == null ? "" : mailbox ? entry.substring(1) : entry;
      if (name.equals(ALL)) {
        if (mailbox) {
          allMailboxes = true;
        } else {
          allChannels = true;
        }
      } else if (Names.isPattern(name)) {
        (mailbox ? mailboxPrefixes : channelPrefixes).add(Names.patternPrefix(name));
      } else if (mailbox ? Names.isClient(name) : Names.isChannel(name)) {
        (mailbox ? mailboxes : channels).add(name);
      } else {
        throw new IllegalArgumentException(
            "\"" + entry + "\" is not a channel, a pattern (name.*), *, or a mailbox (@id, @name.*, @*)");
      }
    }
    return new ChannelPatterns(
        allChannels, channels, channelPrefixes, allMailboxes, mailboxes, mailboxPrefixes);
  }

  public boolean covers(Target target) {
    String name = target.name();
    return switch (target.kind()) {
      case CHANNEL -> allChannels || channels.contains(name) || startsWithAny(name, channelPrefixes);
      case PATTERN ->
          allChannels
              || (Names.isPattern(name) && startsWithAny(Names.patternPrefix(name), channelPrefixes));
      case MAILBOX -> allMailboxes || mailboxes.contains(name) || startsWithAny(name, mailboxPrefixes);
      case SERVER -> allChannels;
    };
  }

  private static boolean startsWithAny(String name, List<String> prefixes) {
    for (String prefix : prefixes) {
      if (name.startsWith(prefix)) {
        return true;
      }
    }
    return false;
  }
}
