package dev.parkway.core;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Which waiters cover which channel: one concurrent set per exact channel and one per pattern prefix.
 *
 * <p>A channel {@code a.b.c} is looked up under {@code a.b.c}, then under the prefixes {@code a.} and
 * {@code a.b.}, so a publish costs O(depth) lookups however many patterns exist. Sets are created and
 * dropped inside {@code compute}, so a waiter registering while the last one of a channel leaves is never
 * added to a set that is being thrown away. Thread-safe.
 */
final class WaiterIndex {
  private final ConcurrentHashMap<String, Set<Waiter>> byChannel = new ConcurrentHashMap<>();
  private final ConcurrentHashMap<String, Set<Waiter>> byPrefix = new ConcurrentHashMap<>();

  void register(Waiter waiter) {
    Subscription s = waiter.subscription();
    s.channels().forEach(channel -> add(byChannel, channel, waiter));
    s.prefixes().forEach(prefix -> add(byPrefix, prefix, waiter));
  }

  void unregister(Waiter waiter) {
    Subscription s = waiter.subscription();
    s.channels().forEach(channel -> remove(byChannel, channel, waiter));
    s.prefixes().forEach(prefix -> remove(byPrefix, prefix, waiter));
  }

  /**
   * A snapshot of the distinct waiters covering {@code channel}, by name or by pattern. Every waiter
   * registered before this call began is included.
   */
  List<Waiter> waitersFor(String channel) {
    return new ArrayList<>(distinct(channel));
  }

  /** Waiters covering {@code channel} by name only (a deletion concerns only those). */
  List<Waiter> exactWaitersFor(String channel) {
    List<Waiter> out = new ArrayList<>();
    Set<Waiter> set = byChannel.get(channel);
    if (set != null) {
      out.addAll(set);
    }
    return out;
  }

  /** A snapshot of every registered waiter, each once. */
  List<Waiter> all() {
    java.util.Set<Waiter> all = new java.util.LinkedHashSet<>();
    byChannel.values().forEach(all::addAll);
    byPrefix.values().forEach(all::addAll);
    return new ArrayList<>(all);
  }

  /** How many distinct waiters cover {@code channel}, by name or pattern. */
  int count(String channel) {
    return distinct(channel).size();
  }

  /**
   * The sets covering {@code channel}, merged. The common case (one set, or none) returns that set
   * as is; a waiter that covers the channel both by name and by a pattern is counted once.
   */
  private java.util.Collection<Waiter> distinct(String channel) {
    Set<Waiter> only = byChannel.get(channel);
    Set<Waiter> merged = null;
    for (int dot = channel.indexOf('.'); dot >= 0; dot = channel.indexOf('.', dot + 1)) {
      Set<Waiter> set = byPrefix.get(channel.substring(0, dot + 1));
      if (set == null || set.isEmpty()) {
        continue;
      }
      if (only == null || only.isEmpty()) {
        only = set;
      } else {
        if (merged == null) {
          merged = new java.util.LinkedHashSet<>(only);
        }
        merged.addAll(set);
      }
    }
    return merged != null ? merged : only != null ? only : Set.of();
  }

  private static void add(ConcurrentHashMap<String, Set<Waiter>> map, String key, Waiter waiter) {
    map.compute(
        key,
        (k, set) -> {
          Set<Waiter> s = set != null ? set : ConcurrentHashMap.newKeySet();
          s.add(waiter);
          return s;
        });
  }

  private static void remove(ConcurrentHashMap<String, Set<Waiter>> map, String key, Waiter waiter) {
    map.computeIfPresent(
        key,
        (k, set) -> {
          set.remove(waiter);
          return set.isEmpty() ? null : set;
        });
  }

}
