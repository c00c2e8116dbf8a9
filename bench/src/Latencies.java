/**
 * A latency histogram: 10 µs buckets up to 10 s, and the exact maximum. Percentiles are bucket upper
 * bounds, so they read at most 10 µs high. Not thread-safe: one recording thread.
 */
final class Latencies {
  private static final long BUCKET_NANOS = 10_000;
  private final long[] buckets = new long[1_000_000];
  private long count;
  private long max;

  void record(long nanos) {
    long b = Math.max(0, nanos) / BUCKET_NANOS;
    buckets[(int) Math.min(buckets.length - 1, b)]++;
    count++;
    max = Math.max(max, nanos);
  }

  long count() {
    return count;
  }

  /** The q-quantile (0 < q <= 1) in milliseconds; NaN when nothing was recorded. */
  double percentileMs(double q) {
    if (count == 0) {
      return Double.NaN;
    }
    long rank = (long) Math.ceil(q * count);
    long seen = 0;
    for (int i = 0; i < buckets.length; i++) {
      seen += buckets[i];
      if (seen >= rank) {
        return Math.min((i + 1) * BUCKET_NANOS, max) / 1e6;
      }
    }
    return max / 1e6;
  }

  double maxMs() {
    return count == 0 ? Double.NaN : max / 1e6;
  }
}
