package dev.parkway.core;

import java.util.ArrayList;
import java.util.List;
import java.util.NavigableMap;
import java.util.function.Predicate;

/**
 * The rules for channel names, channel patterns and client ids.
 *
 * <p>A channel is 1-200 characters of {@code [A-Za-z0-9._:-]}; {@code .} separates hierarchy levels. A
 * pattern is a channel name followed by {@code .*} and matches every channel strictly under that prefix
 * ({@code news.*} matches {@code news.sport} and {@code news.sport.live}, not {@code news}). A client id
 * is 1-128 characters of the same alphabet. Stateless and thread-safe.
 */
public final class Names {
  public static final int MAX_CHANNEL_LENGTH = 200;
  public static final int MAX_CLIENT_LENGTH = 128;
  private static final String WILDCARD_SUFFIX = ".*";

  private Names() {}

  public static boolean isChannel(String name) {
    return isName(name, MAX_CHANNEL_LENGTH);
  }

  public static boolean isClient(String id) {
    return isName(id, MAX_CLIENT_LENGTH);
  }

  /** True for {@code prefix.*} where {@code prefix} is itself a valid channel name. */
  public static boolean isPattern(String pattern) {
    return pattern != null
        && pattern.endsWith(WILDCARD_SUFFIX)
        && isChannel(pattern.substring(0, pattern.length() - WILDCARD_SUFFIX.length()));
  }

  /** The prefix a pattern matches, with its trailing dot: {@code news.*} gives {@code news.}. */
  public static String patternPrefix(String pattern) {
    return pattern.substring(0, pattern.length() - 1);
  }

  private static boolean isName(String s, int max) {
    if (s == null || s.isEmpty() || s.length() > max) {
      return false;
    }
    for (int i = 0; i < s.length(); i++) {
      if (!isNameChar(s.charAt(i))) {
        return false;
      }
    }
    return true;
  }

  static boolean isNameChar(char c) {
    return (c >= 'a' && c <= 'z')
        || (c >= 'A' && c <= 'Z')
        || (c >= '0' && c <= '9')
        || c == '.'
        || c == '_'
        || c == ':'
        || c == '-';
  }

  /**
   * The names in {@code byName} strictly under {@code prefix} (a pattern prefix, ending in a dot) whose
   * value {@code live} accepts, in name order: the stores' {@code channelsUnder}, found by key range,
   * not by scanning every channel. Every name under the prefix sorts between {@code prefix} and {@code
   * prefix} followed by a character above the name alphabet.
   */
  public static <V> List<String> under(
      NavigableMap<String, V> byName, String prefix, Predicate<V> live) {
    List<String> out = new ArrayList<>();
    byName.subMap(prefix, true, prefix + Character.MAX_VALUE, false)
        .forEach((name, value) -> {
          if (live.test(value)) {
            out.add(name);
          }
        });
    return out;
  }
}
