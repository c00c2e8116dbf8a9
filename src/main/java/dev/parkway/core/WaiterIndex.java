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
   * A snapshot of the waiters covering {@code channel}. A waiter that covers it twice (by name and by
   * pattern) appears twice; waiters tolerate repeated wakes. Every waiter registered before this call
   * began is included.
   */
  List<Waiter> waitersFor(String channel) {
    List<Waiter> out = new ArrayList<>(count(channel));
    addAll(out, byChannel.get(channel));
    for (int dot = channel.indexOf('.'); dot >= 0; dot = channel.indexOf('.', dot + 1)) {
      addAll(out, byPrefix.get(channel.substring(0, dot + 1)));
    }
    return out;
  }

  /** Waiters covering {@code channel} by name only (a deletion concerns only those). */
  List<Waiter> exactWaitersFor(String channel) {
    List<Waiter> out = new ArrayList<>();
    addAll(out, byChannel.get(channel));
    return out;
  }

  /** How many waiters cover {@code channel}, by name or pattern. */
  int count(String channel) {
    int n = size(byChannel.get(channel));
    for (int dot = channel.indexOf('.'); dot >= 0; dot = channel.indexOf('.', dot + 1)) {
      n += size(byPrefix.get(channel.substring(0, dot + 1)));
    }
    return n;
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

  private static void addAll(List<Waiter> out, Set<Waiter> set) {
    if (set != null) {
      out.addAll(set);
    }
  }

  private static int size(Set<Waiter> set) {
    return set == null ? 0 : set.size();
  }
}
