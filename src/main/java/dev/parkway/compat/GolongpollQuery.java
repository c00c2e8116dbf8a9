package dev.parkway.compat;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import java.util.OptionalLong;
import java.util.UUID;

/**
 * A query string read the way golongpoll's Go handler reads it, and the Go parsers it applies to values.
 *
 * <p>golongpoll calls {@code r.URL.Query().Get(name)}: Go's {@code net/url} splits on {@code &}, drops a
 * pair that holds a {@code ;} or a malformed {@code %}-escape (silently: the rest of the query still
 * counts), decodes {@code +} as a space, and {@code Get} returns the first value or {@code ""}. Parsing the
 * raw query here (rather than through the container's {@code getParameter}) keeps those rules, never reads
 * form parameters from a request body, and cannot fail on a malformed query. Invalid UTF-8 in a value is
 * replaced by U+FFFD. Immutable; thread-safe.
 */
final class GolongpollQuery {
  private final Map<String, String> first;

  private GolongpollQuery(Map<String, String> first) {
    this.first = first;
  }

  /** Parses a raw (still %-encoded) query string; null is an empty query. */
  static GolongpollQuery parse(String raw) {
    Map<String, String> first = new HashMap<>();
    if (raw != null) {
      for (String pair : raw.split("&", -1)) {
        if (pair.isEmpty() || pair.indexOf(';') >= 0) {
          continue; // Go 1.17+: a semicolon makes the pair invalid, and it is skipped
        }
        int eq = pair.indexOf('=');
        String key = unescape(eq < 0 ? pair : pair.substring(0, eq));
        String value = unescape(eq < 0 ? "" : pair.substring(eq + 1));
        if (key != null && value != null) {
          first.putIfAbsent(key, value);
        }
      }
    }
    return new GolongpollQuery(first);
  }

  /** The first value of {@code name}, or {@code ""} when absent (Go's {@code Values.Get}). */
  String get(String name) {
    return first.getOrDefault(name, "");
  }

  /** Go's {@code QueryUnescape}: {@code +} is a space, {@code %XX} a byte; null if an escape is broken. */
  private static String unescape(String s) {
    if (s.indexOf('%') < 0 && s.indexOf('+') < 0) {
      return s;
    }
    ByteArrayOutputStream bytes = new ByteArrayOutputStream(s.length());
    for (int i = 0; i < s.length(); i++) {
      char ch = s.charAt(i);
      if (ch == '%') {
        int hi = i + 2 < s.length() ? Character.digit(s.charAt(i + 1), 16) : -1;
        int lo = hi >= 0 ? Character.digit(s.charAt(i + 2), 16) : -1;
        if (hi < 0 || lo < 0 || s.charAt(i + 1) > 0x7f || s.charAt(i + 2) > 0x7f) {
          return null;
        }
        bytes.write(hi << 4 | lo);
        i += 2;
      } else if (ch == '+') {
        bytes.write(' ');
      } else if (ch < 0x80) {
        bytes.write(ch);
      } else {
        // The container hands over the raw query as text; keep any non-ASCII character as its UTF-8.
        bytes.writeBytes(String.valueOf(ch).getBytes(StandardCharsets.UTF_8));
      }
    }
    try {
      return StandardCharsets.UTF_8
          .newDecoder()
          .onMalformedInput(CodingErrorAction.REPLACE)
          .onUnmappableCharacter(CodingErrorAction.REPLACE)
          .decode(ByteBuffer.wrap(bytes.toByteArray()))
          .toString();
    } catch (java.nio.charset.CharacterCodingException e) {
      throw new IllegalStateException("a replacing decoder does not throw", e);
    }
  }

  /**
   * Go's {@code strconv.ParseInt(s, 10, 64)} (and {@code Atoi}): an optional sign, then ASCII digits only,
   * within 64 bits. Empty when Go would return an error.
   */
  static OptionalLong parseLong(String s) {
    int start = !s.isEmpty() && (s.charAt(0) == '+' || s.charAt(0) == '-') ? 1 : 0;
    if (s.length() == start) {
      return OptionalLong.empty();
    }
    for (int i = start; i < s.length(); i++) {
      char ch = s.charAt(i);
      if (ch < '0' || ch > '9') {
        return OptionalLong.empty(); // Long.parseLong would also take non-ASCII digits; Go does not
      }
    }
    try {
      return OptionalLong.of(Long.parseLong(s));
    } catch (NumberFormatException e) {
      return OptionalLong.empty(); // out of range
    }
  }

  /**
   * gofrs/uuid's {@code FromString}, which golongpoll uses for {@code last_id}: canonical
   * ({@code 6ba7b810-9dad-11d1-80b4-00c04fd430c8}), hash-like (32 hex digits), either of them in braces,
   * or after {@code urn:uuid:}; hex digits in either case. Null when gofrs would refuse it.
   */
  static UUID parseUuid(String s) {
    String plain;
    switch (s.length()) {
      case 32, 36 -> plain = s;
      case 34, 38 -> {
        if (s.charAt(0) != '{' || s.charAt(s.length() - 1) != '}') {
          return null;
        }
        plain = s.substring(1, s.length() - 1);
      }
      case 41, 45 -> {
        if (!s.startsWith("urn:uuid:")) {
          return null;
        }
        plain = s.substring(9);
      }
      default -> {
        return null;
      }
    }
    String hex;
    if (plain.length() == 36) {
      if (plain.charAt(8) != '-' || plain.charAt(13) != '-' || plain.charAt(18) != '-'
          || plain.charAt(23) != '-') {
        return null;
      }
      hex = plain.substring(0, 8) + plain.substring(9, 13) + plain.substring(14, 18)
          + plain.substring(19, 23) + plain.substring(24);
    } else if (plain.length() == 32) {
      hex = plain;
    } else {
      return null;
    }
    long msb = 0;
    long lsb = 0;
    for (int i = 0; i < 32; i++) {
      char ch = hex.charAt(i);
      int digit = ch < 0x80 ? Character.digit(ch, 16) : -1;
      if (digit < 0) {
        return null;
      }
      if (i < 16) {
        msb = msb << 4 | digit;
      } else {
        lsb = lsb << 4 | digit;
      }
    }
    return new UUID(msb, lsb);
  }
}
