package dev.parkway.core;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.zip.DataFormatException;
import java.util.zip.Deflater;
import java.util.zip.Inflater;

/**
 * A reader's position: the store epoch it was issued in, and for every channel it covers the seq of the
 * last event it has seen (0 for none).
 *
 * <p>It also records when it was issued ({@code issuedAt}, on the store's clock, taken before the channels
 * it covers were listed). A channel the cursor does not name did not exist, or was not matched, when the
 * cursor was issued: all its retained events are new to the reader, and only events that retention
 * dropped after {@code issuedAt} are a gap.
 *
 * <p>On the wire a cursor is opaque: URL-safe base64 of {@code epoch;issuedAt;channel=seq;...}, deflated
 * first (and marked with a leading {@code ~}) when that text is long, as a wildcard over many channels
 * makes it. Clients send it back unchanged as {@code after=}; they must not build or parse it.
 *
 * <p>Immutable and thread-safe; {@link #with} returns a new cursor.
 */
public final class Cursor {
  private static final Base64.Encoder ENCODER = Base64.getUrlEncoder().withoutPadding();
  private static final Base64.Decoder DECODER = Base64.getUrlDecoder();
  private static final int MAX_ENCODED_LENGTH = 64 * 1024;
  private static final int MAX_PLAIN_LENGTH = 1024 * 1024;
  private static final int DEFLATE_ABOVE = 192;
  private static final String DEFLATED = "~";
  /** The epoch of a cursor built from a bare seq past the head: it can only be from an earlier epoch. */
  public static final String UNKNOWN_EPOCH = "unknown";

  private final String epoch;
  private final long issuedAt;
  private final Map<String, Long> positions;
  private String encoded;

  /** A cursor whose issue time is unknown (0): every loss in a channel it does not name is a gap. */
  public Cursor(String epoch, Map<String, Long> positions) {
    this(epoch, 0, positions);
  }

  public Cursor(String epoch, long issuedAt, Map<String, Long> positions) {
    this.epoch = epoch;
    this.issuedAt = issuedAt;
    this.positions = Collections.unmodifiableMap(new LinkedHashMap<>(positions));
  }

  public String epoch() {
    return epoch;
  }

  /** When this cursor was issued, in store-clock milliseconds; 0 if unknown. */
  public long issuedAt() {
    return issuedAt;
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
    return new Cursor(epoch, issuedAt, merged);
  }

  /** The opaque wire form. */
  public String encode() {
    String e = encoded;
    if (e == null) {
      StringBuilder sb = new StringBuilder(epoch.length() + 16 + positions.size() * 24);
      sb.append(epoch).append(';').append(issuedAt);
      positions.forEach((channel, seq) -> sb.append(';').append(channel).append('=').append(seq));
      byte[] plain = sb.toString().getBytes(StandardCharsets.UTF_8);
      e = plain.length > DEFLATE_ABOVE
          ? DEFLATED + ENCODER.encodeToString(deflate(plain))
          : ENCODER.encodeToString(plain);
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
      plain =
          text.startsWith(DEFLATED)
              ? new String(inflate(DECODER.decode(text.substring(1))), StandardCharsets.UTF_8)
              : new String(DECODER.decode(text), StandardCharsets.UTF_8);
    } catch (IllegalArgumentException | DataFormatException e) {
      throw new InvalidCursorException("cursor is not one this server issued");
    }
    String[] parts = plain.split(";", -1);
    if (parts.length < 2 || parts[0].isEmpty() || !isEpoch(parts[0]) || !isDigits(parts[1])) {
      throw new InvalidCursorException("cursor is not one this server issued");
    }
    long issuedAt = Long.parseLong(parts[1]);
    Map<String, Long> positions = new LinkedHashMap<>();
    for (int i = 2; i < parts.length; i++) {
      int eq = parts[i].lastIndexOf('=');
      String channel = eq < 0 ? "" : parts[i].substring(0, eq);
      if (!Names.isChannel(channel) && !Mailboxes.isValidKey(channel)) {
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
    return new Cursor(parts[0], issuedAt, positions);
  }

  private static boolean isDigits(String s) {
    return !s.isEmpty() && s.length() <= 18 && s.chars().allMatch(c -> c >= '0' && c <= '9');
  }

  private static byte[] deflate(byte[] plain) {
    Deflater deflater = new Deflater(Deflater.BEST_SPEED, true);
    try {
      deflater.setInput(plain);
      deflater.finish();
      ByteArrayOutputStream out = new ByteArrayOutputStream(plain.length / 2 + 16);
      byte[] buffer = new byte[1024];
      while (!deflater.finished()) {
        out.write(buffer, 0, deflater.deflate(buffer));
      }
      return out.toByteArray();
    } finally {
      deflater.end();
    }
  }

  /** Inflates at most {@link #MAX_PLAIN_LENGTH} bytes, so a crafted cursor cannot inflate without bound. */
  private static byte[] inflate(byte[] packed) throws DataFormatException {
    Inflater inflater = new Inflater(true);
    try {
      inflater.setInput(packed);
      ByteArrayOutputStream out = new ByteArrayOutputStream(packed.length * 4);
      byte[] buffer = new byte[4096];
      while (!inflater.finished()) {
        int n = inflater.inflate(buffer);
        if (n == 0 && (inflater.needsInput() || inflater.needsDictionary())) {
          throw new DataFormatException("truncated");
        }
        if (out.size() + n > MAX_PLAIN_LENGTH) {
          throw new DataFormatException("too long");
        }
        out.write(buffer, 0, n);
      }
      return out.toByteArray();
    } finally {
      inflater.end();
    }
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
    return o instanceof Cursor c
        && c.epoch.equals(epoch)
        && c.issuedAt == issuedAt
        && c.positions.equals(positions);
  }

  @Override
  public int hashCode() {
    return (epoch.hashCode() * 31 + Long.hashCode(issuedAt)) * 31 + positions.hashCode();
  }

  @Override
  public String toString() {
    return "Cursor[" + epoch + " @" + issuedAt + " " + positions + "]";
  }
}
