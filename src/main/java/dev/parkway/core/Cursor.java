package dev.parkway.core;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A reader's position: the store epoch it was issued in, and for every channel it covers the seq of the
 * last event it has seen (0 for none).
 *
 * <p>On the wire a cursor is opaque: URL-safe base64 of {@code epoch;channel=seq;channel=seq...}. Clients
 * send it back unchanged as {@code after=}; they must not build or parse it. A channel the cursor does not
 * name is read from its first event: it did not exist, or was not matched, when the cursor was issued.
 *
 * <p>Immutable and thread-safe; {@link #with} returns a new cursor.
 */
public final class Cursor {
  private static final Base64.Encoder ENCODER = Base64.getUrlEncoder().withoutPadding();
  private static final Base64.Decoder DECODER = Base64.getUrlDecoder();
  private static final int MAX_ENCODED_LENGTH = 64 * 1024;

  private final String epoch;
  private final Map<String, Long> positions;
  private String encoded;

  public Cursor(String epoch, Map<String, Long> positions) {
    this.epoch = epoch;
    this.positions = Collections.unmodifiableMap(new LinkedHashMap<>(positions));
  }

  public String epoch() {
    return epoch;
  }

  /** Channel to last seen seq, in the order the channels were first covered. */
  public Map<String, Long> positions() {
    return positions;
  }

  /** The last seen seq of {@code channel}, or 0 if the cursor does not name it. */
  public long position(String channel) {
    Long seq = positions.get(channel);
    return seq == null ? 0 : seq;
  }

  public boolean covers(String channel) {
    return positions.containsKey(channel);
  }

  /** This cursor with the given positions replaced or added. */
  public Cursor with(Map<String, Long> changes) {
    if (changes.isEmpty()) {
      return this;
    }
    Map<String, Long> merged = new LinkedHashMap<>(positions);
    merged.putAll(changes);
    return new Cursor(epoch, merged);
  }

  /** The opaque wire form. */
  public String encode() {
    String e = encoded;
    if (e == null) {
      StringBuilder sb = new StringBuilder(epoch.length() + positions.size() * 24);
      sb.append(epoch);
      positions.forEach((channel, seq) -> sb.append(';').append(channel).append('=').append(seq));
      e = ENCODER.encodeToString(sb.toString().getBytes(StandardCharsets.UTF_8));
      encoded = e; // benign race: every thread computes the same string
    }
    return e;
  }

  /**
   * Decodes a cursor from its wire form.
   *
   * @throws InvalidCursorException if the text is not a cursor this server issued
   */
  public static Cursor decode(String text) {
    if (text == null || text.isEmpty() || text.length() > MAX_ENCODED_LENGTH) {
      throw new InvalidCursorException("cursor is empty or too long");
    }
    String plain;
    try {
      plain = new String(DECODER.decode(text), StandardCharsets.UTF_8);
    } catch (IllegalArgumentException e) {
      throw new InvalidCursorException("cursor is not one this server issued");
    }
    String[] parts = plain.split(";", -1);
    if (parts[0].isEmpty() || !isEpoch(parts[0])) {
      throw new InvalidCursorException("cursor is not one this server issued");
    }
    Map<String, Long> positions = new LinkedHashMap<>();
    for (int i = 1; i < parts.length; i++) {
      int eq = parts[i].lastIndexOf('=');
      String channel = eq < 0 ? "" : parts[i].substring(0, eq);
      if (!Names.isChannel(channel)) {
        throw new InvalidCursorException("cursor is not one this server issued");
      }
      long seq;
      try {
        seq = Long.parseLong(parts[i].substring(eq + 1));
      } catch (NumberFormatException e) {
        throw new InvalidCursorException("cursor is not one this server issued");
      }
      if (seq < 0 || positions.put(channel, seq) != null) {
        throw new InvalidCursorException("cursor is not one this server issued");
      }
    }
    return new Cursor(parts[0], positions);
  }

  private static boolean isEpoch(String s) {
    for (int i = 0; i < s.length(); i++) {
      if (!Names.isNameChar(s.charAt(i))) {
        return false;
      }
    }
    return s.length() <= 64;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Cursor c && c.epoch.equals(epoch) && c.positions.equals(positions);
  }

  @Override
  public int hashCode() {
    return epoch.hashCode() * 31 + positions.hashCode();
  }

  @Override
  public String toString() {
    return "Cursor[" + epoch + " " + positions + "]";
  }
}
