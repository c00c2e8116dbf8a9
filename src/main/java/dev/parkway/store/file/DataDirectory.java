package dev.parkway.store.file;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The file store's directory: held with an exclusive lock ({@code parkway.lock}) while a store has it
 * open, so two servers never write one journal; the store's {@code epoch}, created once and kept for
 * the directory's life; and the segment files ({@code <id>.journal}).
 *
 * <p>The operating system releases the lock when the process dies, even by {@code kill -9}. Not
 * thread-safe; used while the store opens and closes.
 */
final class DataDirectory implements AutoCloseable {
  private static final Pattern SEGMENT = Pattern.compile("(\\d{10})\\.journal");
  private static final Pattern EPOCH = Pattern.compile("[A-Za-z0-9]{1,64}");

  private final Path dir;
  private final FileChannel lockFile;
  private final FileLock lock;
  private final String epoch;

  private DataDirectory(Path dir, FileChannel lockFile, FileLock lock, String epoch) {
    this.dir = dir;
    this.lockFile = lockFile;
    this.lock = lock;
    this.epoch = epoch;
  }

  /** Creates the directory if needed, locks it, and reads (or creates) its epoch. */
  static DataDirectory open(Path dir, Disk disk) throws IOException {
    Files.createDirectories(dir);
    FileChannel lockFile =
        FileChannel.open(dir.resolve("parkway.lock"), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
    FileLock lock;
    try {
      lock = lockFile.tryLock();
    } catch (OverlappingFileLockException e) {
      lock = null;
    }
    if (lock == null) {
      lockFile.close();
      throw new IOException(dir + " is in use by another Parkway (parkway.lock is held)");
    }
    try {
      return new DataDirectory(dir, lockFile, lock, epoch(dir, disk));
    } catch (IOException | RuntimeException e) {
      lockFile.close();
      throw e;
    }
  }

  /**
   * The directory's epoch. Written to a temporary file, forced, renamed into place and the directory
   * forced, so a crash leaves either no epoch file or a whole one. A new directory gets {@code f} and 12
   * random hex digits (memory epochs start with {@code m}).
   */
  private static String epoch(Path dir, Disk disk) throws IOException {
    Path file = dir.resolve("epoch");
    if (Files.exists(file)) {
      String epoch = Files.readString(file, StandardCharsets.US_ASCII).trim();
      if (!EPOCH.matcher(epoch).matches()) {
        throw new IOException(file + " does not hold an epoch (1-64 letters and digits): remove it to start a new history");
      }
      return epoch;
    }
    byte[] random = new byte[6];
    new SecureRandom().nextBytes(random);
    String epoch = "f" + HexFormat.of().formatHex(random);
    Path tmp = dir.resolve("epoch.tmp");
    try (FileChannel ch =
        FileChannel.open(tmp, StandardOpenOption.CREATE, StandardOpenOption.TRUNCATE_EXISTING, StandardOpenOption.WRITE)) {
      ch.write(java.nio.ByteBuffer.wrap((epoch + "\n").getBytes(StandardCharsets.US_ASCII)));
      ch.force(true);
    }
    Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE);
    disk.forceDirectory(dir);
    return epoch;
  }

  Path path() {
    return dir;
  }

  String epoch() {
    return epoch;
  }

  /** Segment ids on disk, oldest first. */
  List<Integer> segmentIds() throws IOException {
    List<Integer> ids = new ArrayList<>();
    try (Stream<Path> files = Files.list(dir)) {
      files.forEach(
          p -> {
            Matcher m = SEGMENT.matcher(p.getFileName().toString());
            if (m.matches()) {
              ids.add((int) Long.parseLong(m.group(1)));
            }
          });
    }
    ids.sort(Integer::compareUnsigned);
    return ids;
  }

  @Override
  public void close() {
    try {
      lock.release();
      lockFile.close();
    } catch (IOException e) {
      // closing: the OS releases the lock with the file anyway
    }
  }
}
