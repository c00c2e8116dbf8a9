package dev.parkway.core;

/**
 * A publish (or a first message to a mailbox) refused because it would create a channel beyond the
 * store's limit ({@code parkway.channels.max}). Nothing was stored; channels that exist still accept
 * events. The transport answers 507 {@code channel_limit_reached}.
 */
public final class ChannelLimitException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public ChannelLimitException(int max) {
    super("the server holds its maximum of " + max
        + " channels and mailboxes (parkway.channels.max); publish to one that exists, or delete one",
        null, false, false);
  }
}
