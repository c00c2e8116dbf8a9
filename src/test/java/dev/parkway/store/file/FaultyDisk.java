package dev.parkway.store.file;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.ReadableByteChannel;
import java.nio.channels.WritableByteChannel;
import java.nio.file.OpenOption;
import java.nio.file.Path;
import java.util.Set;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A {@link Disk} whose files can be told to fail: writes that stop half-way with "No space left on
 * device", fsyncs that fail, and fsyncs that wait for the test ({@link #holdForces}). Counts fsyncs.
 * Thread-safe.
 */
final class FaultyDisk implements Disk {
  volatile boolean failWrites;
  volatile boolean failForces;
  final AtomicInteger forces = new AtomicInteger();
  final AtomicInteger forcesWaiting = new AtomicInteger();
  private volatile Semaphore gate;

  /** From now on each fsync waits until {@link #releaseForces} (counted in {@link #forcesWaiting}). */
  void holdForces() {
    gate = new Semaphore(0);
  }

  void releaseForces() {
    Semaphore g = gate;
    gate = null;
    g.release(Integer.MAX_VALUE / 2);
  }

  @Override
  public FileChannel open(Path path, Set<? extends OpenOption> options) throws IOException {
    return new Faulty(FileChannel.open(path, options));
  }

  private final class Faulty extends FileChannel {
    private final FileChannel file;

    Faulty(FileChannel file) {
      this.file = file;
    }

    private int writeSome(ByteBuffer src, long position) throws IOException {
      if (!failWrites) {
        return position < 0 ? file.write(src) : file.write(src, position);
      }
      // A disk that fills up in the middle of a record: half of it lands, then the error.
      ByteBuffer half = src.duplicate();
      half.limit(half.position() + half.remaining() / 2);
      int n = position < 0 ? file.write(half) : file.write(half, position);
      src.position(src.position() + n);
      throw new IOException("No space left on device");
    }

    @Override
    public int write(ByteBuffer src) throws IOException {
      return writeSome(src, -1);
    }

    @Override
    public int write(ByteBuffer src, long position) throws IOException {
      return writeSome(src, position);
    }

    @Override
    public void force(boolean metaData) throws IOException {
      Semaphore g = gate;
      if (g != null) {
        forcesWaiting.incrementAndGet();
        g.acquireUninterruptibly();
        forcesWaiting.decrementAndGet();
      }
      if (failForces) {
        throw new IOException("Input/output error");
      }
      file.force(metaData);
      forces.incrementAndGet();
    }

    @Override
    public long write(ByteBuffer[] srcs, int offset, int length) throws IOException {
      throw new UnsupportedOperationException("the journal does not gather writes");
    }

    @Override
    public int read(ByteBuffer dst) throws IOException {
      return file.read(dst);
    }

    @Override
    public long read(ByteBuffer[] dsts, int offset, int length) throws IOException {
      return file.read(dsts, offset, length);
    }

    @Override
    public int read(ByteBuffer dst, long position) throws IOException {
      return file.read(dst, position);
    }

    @Override
    public long position() throws IOException {
      return file.position();
    }

    @Override
    public FileChannel position(long newPosition) throws IOException {
      file.position(newPosition);
      return this;
    }

    @Override
    public long size() throws IOException {
      return file.size();
    }

    @Override
    public FileChannel truncate(long size) throws IOException {
      file.truncate(size);
      return this;
    }

    @Override
    public long transferTo(long position, long count, WritableByteChannel target) throws IOException {
      return file.transferTo(position, count, target);
    }

    @Override
    public long transferFrom(ReadableByteChannel src, long position, long count) throws IOException {
      return file.transferFrom(src, position, count);
    }

    @Override
    public MappedByteBuffer map(MapMode mode, long position, long size) throws IOException {
      return file.map(mode, position, size);
    }

    @Override
    public FileLock lock(long position, long size, boolean shared) throws IOException {
      return file.lock(position, size, shared);
    }

    @Override
    public FileLock tryLock(long position, long size, boolean shared) throws IOException {
      return file.tryLock(position, size, shared);
    }

    @Override
    protected void implCloseChannel() throws IOException {
      file.close();
    }
  }
}
