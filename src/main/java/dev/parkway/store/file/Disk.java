package dev.parkway.store.file;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.OpenOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Set;

/**
 * How the journal opens files: the one seam between the file store and the file system, so a test can
 * make writes fail (a full disk, an I/O error) without filling a disk. Implementations are thread-safe.
 */
interface Disk {
  /** The real file system. */
  Disk DEFAULT = (path, options) -> FileChannel.open(path, options);

  FileChannel open(Path path, Set<? extends OpenOption> options) throws IOException;

  /** Makes a file created in, renamed into or deleted from {@code dir} durable (fsync of the directory). */
  default void forceDirectory(Path dir) throws IOException {
    try (FileChannel ch = FileChannel.open(dir, StandardOpenOption.READ)) {
      ch.force(true);
    }
  }
}
