package dev.parkway.compat;

import java.nio.charset.StandardCharsets;
import java.util.OptionalLong;
import java.util.UUID;

/**
 * UUIDs for events, for the routes whose clients expect UUID ids (chat, golongpoll).
 *
 * <p>An id is an RFC 9562 version 8 (custom) UUID: its first 48 bits are the event's seq, so ids compare
 * (as UUIDs and as strings) in publish order; the rest, apart from the version and variant bits, is a
 * hash of the channel and the store epoch, so an id from another channel or from before a restart is
 * recognised as foreign instead of being misread as a position. Stateless; thread-safe.
 */
public final class EventIds {
  private static final long MAX_SEQ = (1L << 48) - 1;

  private EventIds() {}

  public static UUID of(String epoch, String channel, long seq) {
    long tag = tag(epoch, channel);
    long msb = (seq << 16) | 0x8000L | ((tag >>> 52) & 0x0FFFL);
    long lsb = 0x8000_0000_0000_0000L | (tag & 0x3FFF_FFFF_FFFF_FFFFL);
    return new UUID(msb, lsb);
  }

  /** The seq an id of {@link #of} names, if it was made for this epoch and channel. */
  public static OptionalLong seqOf(String epoch, String channel, UUID id) {
    long seq = id.getMostSignificantBits() >>> 16;
    if (seq > MAX_SEQ || seq == 0 || !of(epoch, channel, seq).equals(id)) {
      return OptionalLong.empty();
    }
    return OptionalLong.of(seq);
  }

  /** Parses a UUID string, or empty for anything that is not one. */
  public static java.util.Optional<UUID> parse(String text) {
    if (text == null || text.length() != 36) {
      return java.util.Optional.empty();
    }
    try {
      return java.util.Optional.of(UUID.fromString(text));
    } catch (IllegalArgumentException e) {
      return java.util.Optional.empty();
    }
  }

  private static long tag(String epoch, String channel) {
    // FNV-1a, 64 bits: cheap and well spread; this is a namespace tag, not a security measure.
    long h = 0xcbf29ce484222325L;
    for (byte b : (epoch + '\0' + channel).getBytes(StandardCharsets.UTF_8)) {
      h ^= b & 0xff;
      h *= 0x100000001b3L;
    }
    return h;
  }
}
