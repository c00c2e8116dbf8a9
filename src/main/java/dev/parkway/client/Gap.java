package dev.parkway.client;

/**
 * Events the server could no longer deliver: retention trimmed them, a mailbox evicted them, or the
 * server's in-memory store restarted (then {@code requested} may be larger than {@code oldest}, since
 * numbers started again at 1). Delivery continues from {@code oldest}.
 *
 * @param channel the channel concerned, or null for a mailbox gap
 * @param client the client whose mailbox lost messages, or null for a channel gap
 * @param requested the first seq the client asked for
 * @param oldest the oldest seq the server still holds
 */
public record Gap(String channel, String client, long requested, long oldest) {
  /** The channel, or the client id for a mailbox gap. */
  public String source() {
    return channel != null ? channel : client;
  }

  /** True when the numbers started again (the server's store restarted), so nothing can be counted. */
  public boolean restarted() {
    return requested > oldest;
  }
}
