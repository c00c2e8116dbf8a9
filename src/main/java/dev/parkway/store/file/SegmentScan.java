package dev.parkway.store.file;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;

/**
 * Reads a segment file from its start, record by record, checking each one's length and checksum, and
 * stops at the first record that is incomplete (a torn write) or corrupt. Not thread-safe; one per scan.
 */
final class SegmentScan {
  private static final int CHUNK = 4 << 20;

  /** Told each intact record, in file order. */
  interface Visitor {
    void record(int offset, JournalRecord record);
  }

  /**
   * How a scan ended: {@code goodEnd} is the offset just after the last intact record (0 if the header
   * itself is bad); {@code problem} is null for a clean end, else what was found at {@code goodEnd}.
   */
  record Outcome(long goodEnd, long size, String problem) {}

  private final FileChannel file;
  private final long size;
  private ByteBuffer buffer = ByteBuffer.allocate(CHUNK);
  private long bufferStart;

  private SegmentScan(FileChannel file) throws IOException {
    this.file = file;
    this.size = file.size();
    buffer.limit(0);
  }

  static Outcome scan(FileChannel file, Visitor visitor) throws IOException {
    return new SegmentScan(file).run(visitor);
  }

  private Outcome run(Visitor visitor) throws IOException {
    if (!ensure(0, Segment.HEADER)) {
      return new Outcome(0, size, "a header shorter than " + Segment.HEADER + " bytes");
    }
    if (buffer.getInt(0) != Segment.MAGIC || buffer.getInt(4) != Segment.VERSION) {
      return new Outcome(0, size, "not a Parkway journal segment (version " + Segment.VERSION + ")");
    }
    long pos = Segment.HEADER;
    while (pos < size) {
      if (!ensure(pos, RecordFormat.HEADER)) {
        return new Outcome(pos, size, "a partial record header (torn write)");
      }
      int at = (int) (pos - bufferStart);
      int length = RecordFormat.length(buffer, at);
      if (length < 0) {
        return new Outcome(pos, size, "a record length out of range (" + buffer.getInt(at) + ")");
      }
      if (!ensure(pos, RecordFormat.HEADER + length)) {
        return new Outcome(pos, size, "a record that runs past the end of the file (torn write)");
      }
      at = (int) (pos - bufferStart);
      if (!RecordFormat.intact(buffer, at, length)) {
        return new Outcome(pos, size, "a checksum mismatch");
      }
      JournalRecord record;
      try {
        record = RecordFormat.parse(buffer, at, length, false);
      } catch (IllegalArgumentException e) {
        return new Outcome(pos, size, "an unreadable record (" + e.getMessage() + ")");
      }
      visitor.record((int) pos, record);
      pos += RecordFormat.HEADER + length;
    }
    return new Outcome(pos, size, null);
  }

  /** Makes bytes {@code [pos, pos + n)} available in the buffer; false if the file ends first. */
  private boolean ensure(long pos, int n) throws IOException {
    if (pos >= bufferStart && pos + n <= bufferStart + buffer.limit()) {
      return true;
    }
    if (pos + n > size) {
      return false;
    }
    if (n > buffer.capacity()) {
      buffer = ByteBuffer.allocate(n);
    }
    buffer.clear();
    bufferStart = pos;
    long want = Math.min(buffer.capacity(), size - pos);
    while (buffer.position() < want) {
      if (file.read(buffer, pos + buffer.position()) < 0) {
        break;
      }
    }
    buffer.flip();
    return buffer.limit() >= n;
  }
}
