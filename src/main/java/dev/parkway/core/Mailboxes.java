package dev.parkway.core;

import java.util.Map;

/**
 * Per-client queues: messages for one client, kept until that client acknowledges them (or the mailbox's
 * TTL or capacity evicts them, which the next poll reports as a gap).
 *
 * <p>A mailbox is a channel of the store under the key {@code @<client id>}: {@code @} is outside the
 * channel alphabet, so no channel can collide with a mailbox and no wildcard can match one. It therefore
 * shares everything a channel has (seq, cursors, gaps, waiters, the one exit) and adds two rules:
 *
 * <ul>
 *   <li>a poll with {@code after=<cursor>} first acknowledges every message up to that cursor (they are
 *       deleted), then reads after it; a poll without {@code after} starts at the oldest unacknowledged
 *       message, so a client that crashed after receiving gets the same messages again;
 *   <li>one parked poll per client: a newer poll supersedes the older (the parking lot is keyed by the
 *       mailbox key).
 * </ul>
 *
 * <p>Stateless apart from the broker; thread-safe.
 */
public final class Mailboxes {
  private static final String PREFIX = "@";

  private final Broker broker;

  public Mailboxes(Broker broker) {
    this.broker = broker;
  }

  /** The store key of a client's mailbox. */
  public static String key(String clientId) {
    return PREFIX + clientId;
  }

  public static boolean isMailboxKey(String key) {
    return key.startsWith(PREFIX);
  }

  /** A mailbox key around a valid client id. */
  public static boolean isValidKey(String key) {
    return isMailboxKey(key) && Names.isClient(key.substring(PREFIX.length()));
  }

  /** The JSON member that names where an event or gap belongs: {@code "channel":"x"} or {@code "client":"y"}. */
  public static String jsonOwner(String key) {
    return isMailboxKey(key)
        ? "\"client\":\"" + key.substring(PREFIX.length()) + '"'
        : "\"channel\":\"" + key + '"';
  }

  /** Queues a message; {@link Published#subscribers()} is 1 if the client had a poll parked. */
  public Published send(String clientId, String data) {
    return broker.publish(key(clientId), data, null);
  }

  /**
   * Acknowledges up to the given position (if it is a cursor or seq of this epoch), then answers or
   * parks the poll. {@link Start.Head} means "no after": the oldest unacknowledged message.
   *
   * @throws InvalidCursorException for a cursor of this epoch ahead of the mailbox's head (nothing is
   *     acknowledged then)
   */
  public ParkedPoll poll(
      String clientId, Start start, long timeoutMillis, int limit, PollResponder responder) {
    String key = key(clientId);
    Start effective = start;
    if (start instanceof Start.Head) {
      // The oldest unacknowledged message: read after the last acknowledged seq, so messages evicted
      // (by TTL or capacity) before they were ever acknowledged show as a gap, not as nothing.
      effective = new Start.AfterSeq(broker.acknowledge(key, 0));
    } else if (start instanceof Start.AfterSeq afterSeq) {
      long acked = broker.acknowledge(key, afterSeq.seq());
      effective = new Start.AfterSeq(Math.max(afterSeq.seq(), acked));
    } else if (start instanceof Start.After after && after.cursor().epoch().equals(broker.epoch())) {
      long position = after.cursor().position(key);
      // Read after whatever has been acknowledged, even by a newer cursor than this one: messages that
      // are gone because they were acknowledged are not a gap.
      long acked = broker.acknowledge(key, position);
      effective = new Start.After(after.cursor().with(Map.of(key, Math.max(position, acked))));
    }
    return broker.poll(
        new PollRequest(Subscription.of(key), effective, timeoutMillis, limit, key), responder);
  }

  /** Acknowledges one client's messages up to {@code seq} (adapters that deliver one at a time). */
  public void acknowledge(String clientId, long seq) {
    broker.acknowledge(key(clientId), seq);
  }
}
