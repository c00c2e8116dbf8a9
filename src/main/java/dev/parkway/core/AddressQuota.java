package dev.parkway.core;

import java.util.concurrent.ConcurrentHashMap;

/**
 * How many polls are parked and streams open at once per remote address, up to a maximum ({@code
 * parkway.parked.per-address.max}; 0 means no limit, and then nothing is counted).
 *
 * <p><b>Contract.</b> Every {@link #tryAcquire} that returned true is matched by exactly one {@link
 * #release} of the same address; the broker does it in the one exit of a parked poll ({@code
 * Broker.finish}) and a stream in its one exit ({@code end}), so a count goes down exactly when what it
 * counts ends, whichever way it ends. A null address (a caller that does not know it) is never limited
 * and never counted.
 *
 * <p>Thread-safe: each check-and-increment is one {@link ConcurrentHashMap#compute}, so two polls from
 * one address racing for its last slot cannot both get it. An address whose count falls to 0 is removed,
 * so the map holds only addresses that have something open now.
 */
public final class AddressQuota {
  private final int max;
  private final ConcurrentHashMap<String, Integer> open = new ConcurrentHashMap<>();

  /** @param max the most an address may hold at once; 0 for no limit */
  public AddressQuota(int max) {
    this.max = Math.max(0, max);
  }

  /** Takes one slot for {@code address}; false (and nothing taken) if it holds the maximum already. */
  public boolean tryAcquire(String address) {
    if (address == null || max == 0) {
      return true;
    }
    boolean[] admitted = {false};
    open.compute(
        address,
        (a, n) -> {
          int held = n == null ? 0 : n;
          if (held >= max) {
            return n;
          }
          admitted[0] = true;
          return held + 1;
        });
    return admitted[0];
  }

  /** Gives back one slot taken by {@link #tryAcquire}. */
  public void release(String address) {
    if (address == null || max == 0) {
      return;
    }
    open.computeIfPresent(address, (a, n) -> n <= 1 ? null : n - 1);
  }

  /** Slots {@code address} holds now. */
  public int held(String address) {
    return address == null ? 0 : open.getOrDefault(address, 0);
  }

  /** Slots held by every address together (0 when there is no limit: nothing is counted then). */
  public int total() {
    return open.values().stream().mapToInt(Integer::intValue).sum();
  }

  /** The maximum per address; 0 for none. */
  public int max() {
    return max;
  }
}
