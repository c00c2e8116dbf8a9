package dev.parkway.store.file;

/**
 * Where a record is in the journal, packed in a long: the segment id in the high 32 bits, the byte offset
 * in the segment in the low 32 (segments stay below 2 GiB: at most {@code parkway.file.segment.bytes},
 * 1 GiB, plus one batch).
 */
final class Location {
  private Location() {}

  static long of(int segment, long offset) {
    if (offset < 0 || offset > Integer.MAX_VALUE) {
      throw new IllegalArgumentException("segment offset out of range: " + offset);
    }
    return ((long) segment << 32) | offset;
  }

  static int segment(long location) {
    return (int) (location >>> 32);
  }

  static int offset(long location) {
    return (int) location;
  }
}
