package dev.parkway.compat;

import dev.parkway.core.Names;
import java.nio.charset.StandardCharsets;
import java.util.Base64;

/**
 * A golongpoll category and the store channel it lives in.
 *
 * <p>A category that is a valid Parkway channel name ({@link Names#isChannel}) is that channel, so native
 * clients of {@code news} and golongpoll clients of category {@code news} see the same events. Any other
 * category (spaces, slashes, non-ASCII, over 200 characters...) lives under an internal key: {@code %}
 * followed by the URL-safe base64 of its UTF-8 bytes. {@code %} is outside the channel alphabet, so no
 * native client can name such a key, and no two categories share one.
 *
 * <p>A category is 1-1024 characters (Unicode code points), as the wire contract states. An unpaired UTF-16
 * surrogate (possible only through a JSON escape such as backslash-ud800) is replaced by U+FFFD first, as Go does,
 * so the UTF-8 form, and hence the key, is exact. Immutable.
 *
 * @param name the category as clients name it (after that replacement)
 * @param key the store channel
 */
record GolongpollCategory(String name, String key) {
  static final int MAX_LENGTH = 1024;
  static final String INTERNAL_PREFIX = "%";
  private static final Base64.Encoder KEY_ENCODER = Base64.getUrlEncoder().withoutPadding();

  /** The category, or null if it is not 1-1024 characters long. */
  static GolongpollCategory of(String raw) {
    if (raw == null || raw.isEmpty()) {
      return null;
    }
    String name = wellFormed(raw);
    int length = name.codePointCount(0, name.length());
    if (length > MAX_LENGTH) {
      return null;
    }
    return new GolongpollCategory(name, keyOf(name));
  }

  /** The store channel of a (well-formed) category name. */
  static String keyOf(String name) {
    return Names.isChannel(name)
        ? name
        : INTERNAL_PREFIX + KEY_ENCODER.encodeToString(name.getBytes(StandardCharsets.UTF_8));
  }

  /** The name as a JSON string literal, as golongpoll writes it. */
  String json() {
    return GolongpollWire.string(name);
  }

  private static String wellFormed(String s) {
    StringBuilder sb = null;
    for (int i = 0; i < s.length(); i++) {
      char ch = s.charAt(i);
      if (Character.isHighSurrogate(ch) && i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1))) {
        if (sb != null) {
          sb.append(ch).append(s.charAt(i + 1));
        }
        i++;
      } else if (Character.isSurrogate(ch)) {
        if (sb == null) {
          sb = new StringBuilder(s.length()).append(s, 0, i);
        }
        sb.append('\uFFFD');
      } else if (sb != null) {
        sb.append(ch);
      }
    }
    return sb == null ? s : sb.toString();
  }
}
