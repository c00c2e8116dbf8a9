package dev.parkway.core;

import java.util.List;

/**
 * What a poll or stream covers: exact channel names, and pattern prefixes (each ending in a dot, from
 * {@code prefix.*}) that also cover channels created later. Immutable.
 */
public record Subscription(List<String> channels, List<String> prefixes) {
  public Subscription {
    channels = List.copyOf(channels);
    prefixes = List.copyOf(prefixes);
    if (channels.isEmpty() && prefixes.isEmpty()) {
      throw new IllegalArgumentException("a subscription covers at least one channel");
    }
  }

  /** A subscription to one channel. */
  public static Subscription of(String channel) {
    return new Subscription(List.of(channel), List.of());
  }

  /**
   * Builds a subscription from channel names and {@code .*} patterns, already validated by the caller
   * with {@link Names}. Duplicates are dropped.
   */
  public static Subscription parse(List<String> namesAndPatterns) {
    List<String> channels = new java.util.ArrayList<>();
    List<String> prefixes = new java.util.ArrayList<>();
    for (String s : namesAndPatterns) {
      List<String> target = Names.isPattern(s) ? prefixes : channels;
      String value = Names.isPattern(s) ? Names.patternPrefix(s) : s;
      if (!target.contains(value)) {
        target.add(value);
      }
    }
    return new Subscription(channels, prefixes);
  }

  public boolean matches(String channel) {
    if (channels.contains(channel)) {
      return true;
    }
    for (String prefix : prefixes) {
      if (channel.startsWith(prefix)) {
        return true;
      }
    }
    return false;
  }

  /** True for a subscription to exactly one channel and no pattern. */
  public boolean single() {
    return channels.size() == 1 && prefixes.isEmpty();
  }
}
