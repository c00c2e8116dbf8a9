package dev.parkway.store.memory;

/**
 * What the in-memory store may hold beyond each channel's {@link dev.parkway.core.Retention}: how many
 * channels (and mailboxes) may exist at once, how many bytes of events one channel or mailbox may keep,
 * and how many all of them together may keep. Bytes are the events' wire size ({@code
 * Event.jsonBytes().length}). {@link #NONE} limits nothing.
 *
 * @param maxChannels channels and mailboxes that exist at once; a publish that would create one more is
 *     refused ({@link dev.parkway.core.ChannelLimitException}); 0 for no limit
 * @param channelBytes bytes one channel or mailbox keeps; past it its oldest events are dropped (a gap)
 * @param totalBytes bytes the whole store keeps; past it the oldest events of the store are dropped,
 *     whatever their channel (a gap for that channel's readers)
 */
public record MemoryLimits(int maxChannels, long channelBytes, long totalBytes) {
  public static final MemoryLimits NONE = new MemoryLimits(0, Long.MAX_VALUE, Long.MAX_VALUE);

  public MemoryLimits {
    if (maxChannels < 0 || channelBytes < 1 || totalBytes < 1) {
      throw new IllegalArgumentException("limits must be positive (maxChannels 0 for none)");
    }
  }
}
