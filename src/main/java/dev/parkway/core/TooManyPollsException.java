package dev.parkway.core;

/**
 * A poll or stream refused because its remote address already holds {@link AddressQuota#max()} parked
 * polls and open streams. Thrown before anything is parked or opened; the transport answers 429 {@code
 * too_many_polls}.
 */
public final class TooManyPollsException extends RuntimeException {
  private static final long serialVersionUID = 1L;
  private final int max;

  public TooManyPollsException(int max) {
    super("this address already holds " + max + " parked polls and open streams (parkway.parked.per-address.max)",
        null, false, false);
    this.max = max;
  }

  public int max() {
    return max;
  }
}
