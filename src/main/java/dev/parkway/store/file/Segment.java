package dev.parkway.store.file;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.EnumSet;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * One journal file, {@code <id>.journal}: an 8-byte header ({@link #MAGIC}, version) and records.
 *
 * <p><b>Ownership.</b> Only the journal's writer thread writes, truncates, forces, closes and deletes.
 * Any thread reads records ({@link #read}) with positional reads, which need no lock. A reader thread
 * that is interrupted during a read closes the shared {@link FileChannel} (NIO does that); the next read
 * opens it again, so one interrupted reader does not break the others.
 *
 * <p><b>Liveness.</b> {@link #live} counts the retained events stored here and {@link #keysUntil} is
 * when its last idempotency key expires; both are kept by the channels. A closed segment with no live
 * event and no key left may be deleted, once every channel's marks have been written again after it
 * (see {@link Housekeeping}).
 */
final class Segment {
  static final int MAGIC = 0x504b574a; // "PKWJ"
  static final int VERSION = 1;
  static final int HEADER = 8;
  private static final int FIRST_READ = 4096;

  final int id;
  final Path path;
  private final Disk disk;
  final AtomicInteger live = new AtomicInteger();
  private final AtomicLong keysUntil = new AtomicLong();
  private volatile FileChannel reader;
  private volatile boolean deleted;
  /** Writer thread only: the open file while this is the active segment, else null. */
  private FileChannel writer;
  /** Writer thread only: bytes in the file. */
  private long size;
  /** Writer thread only: the end of the last batch the journal promised; a failed batch is cut back to it. */
  private long goodEnd;

  private Segment(int id, Path path, Disk disk) {
    this.id = id;
    this.path = path;
    this.disk = disk;
  }

  static Path pathOf(Path dir, int id) {
    return dir.resolve(String.format("%010d.journal", Integer.toUnsignedLong(id)));
  }

  /** Creates a new empty segment (header written and forced, directory forced) to append to. */
  static Segment create(Path dir, int id, Disk disk) throws IOException {
    Segment s = new Segment(id, pathOf(dir, id), disk);
    FileChannel ch =
        disk.open(s.path, EnumSet.of(StandardOpenOption.CREATE_NEW, StandardOpenOption.READ, StandardOpenOption.WRITE));
    try {
      ByteBuffer header = ByteBuffer.allocate(HEADER).putInt(MAGIC).putInt(VERSION).flip();
      while (header.hasRemaining()) {
        ch.write(header);
      }
      ch.force(true);
      disk.forceDirectory(dir);
    } catch (IOException | RuntimeException e) {
      ch.close();
      Files.deleteIfExists(s.path);
      throw e;
    }
    s.writer = ch;
    s.size = HEADER;
    s.goodEnd = HEADER;
    return s;
  }

  /** An existing segment, for reading; {@link #openForAppend} makes it the active one. */
  static Segment existing(int id, Path path, Disk disk) {
    return new Segment(id, path, disk);
  }

  void openForAppend(long end) throws IOException {
    writer = disk.open(path, EnumSet.of(StandardOpenOption.READ, StandardOpenOption.WRITE));
    size = end;
    goodEnd = end;
  }

  // ---- writer thread ---------------------------------------------------------------------------

  long size() {
    return size;
  }

  void write(ByteBuffer bytes) throws IOException {
    while (bytes.hasRemaining()) {
      size += writer.write(bytes, size);
    }
  }

  void force() throws IOException {
    writer.force(false);
  }

  /** Marks everything written so far as promised to publishers. */
  void promised() {
    goodEnd = size;
  }

  /** Cuts whatever a failed batch left after the last promised byte, and forces the file. */
  void cutToPromised() throws IOException {
    writer.truncate(goodEnd);
    writer.force(true);
    size = goodEnd;
  }

  void closeWriter() throws IOException {
    FileChannel w = writer;
    writer = null;
    if (w != null) {
      w.close();
    }
  }

  void delete() throws IOException {
    deleted = true;
    closeReader();
    Files.deleteIfExists(path);
  }

  // ---- any thread ------------------------------------------------------------------------------

  void keyUntil(long expiry) {
    keysUntil.accumulateAndGet(expiry, Math::max);
  }

  long keysUntil() {
    return keysUntil.get();
  }

  /**
   * The record at {@code offset}, checked against its checksum, as a buffer whose position 0 is the
   * record's header.
   *
   * @throws SegmentGoneException if the segment was deleted (its events were dropped meanwhile)
   * @throws IOException if it cannot be read, or the record is corrupt
   */
  ByteBuffer read(int offset) throws IOException {
    boolean interrupted = false;
    try {
      for (int attempt = 0; ; attempt++) {
        try {
          return readOnce(channel(), offset);
        } catch (ClosedChannelException e) {
          // Closed by delete(), or by NIO because some reader was interrupted: open it again, unless
          // deleted. An interrupted reader reads on without the flag and gets it back at the end.
          if (deleted) {
            throw new SegmentGoneException();
          }
          if (attempt >= 3) {
            throw e;
          }
          interrupted |= Thread.interrupted();
        } catch (NoSuchFileException e) {
          throw new SegmentGoneException();
        }
      }
    } finally {
      if (interrupted) {
        Thread.currentThread().interrupt();
      }
    }
  }

  private ByteBuffer readOnce(FileChannel ch, int offset) throws IOException {
    ByteBuffer first = ByteBuffer.allocate(FIRST_READ);
    fill(ch, first, offset, RecordFormat.HEADER);
    int length = RecordFormat.length(first, 0);
    if (length < 0) {
      throw new IOException("corrupt record header in " + path + " at " + offset);
    }
    ByteBuffer record = first;
    if (RecordFormat.HEADER + length > first.capacity()) {
      record = ByteBuffer.allocate(RecordFormat.HEADER + length);
      first.flip();
      record.put(first);
    }
    fill(ch, record, offset, RecordFormat.HEADER + length);
    record.flip();
    if (!RecordFormat.intact(record, 0, length)) {
      throw new IOException("checksum mismatch in " + path + " at " + offset);
    }
    return record;
  }

  /** Reads until {@code buffer} holds at least {@code atLeast} bytes from {@code offset}. */
  private static void fill(FileChannel ch, ByteBuffer buffer, long offset, int atLeast) throws IOException {
    while (buffer.position() < atLeast) {
      int n = ch.read(buffer, offset + buffer.position());
      if (n < 0) {
        throw new IOException("record runs past the end of the file");
      }
    }
  }

  private FileChannel channel() throws IOException {
    FileChannel ch = reader;
    if (ch != null && ch.isOpen()) {
      return ch;
    }
    synchronized (this) {
      if (deleted) {
        throw new SegmentGoneException();
      }
      if (reader == null || !reader.isOpen()) {
        reader = disk.open(path, EnumSet.of(StandardOpenOption.READ));
      }
      return reader;
    }
  }

  synchronized void closeReader() throws IOException {
    if (reader != null) {
      reader.close();
      reader = null;
    }
  }

  @Override
  public String toString() {
    return path.getFileName().toString();
  }

  /** The segment was deleted while a reader held a location in it. */
  static final class SegmentGoneException extends IOException {
    private static final long serialVersionUID = 1L;

    SegmentGoneException() {
      super("segment deleted", null);
    }
  }
}
