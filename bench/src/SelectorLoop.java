import java.io.IOException;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.util.Iterator;
import java.util.concurrent.TimeUnit;
import java.util.function.BiConsumer;

/**
 * The selector loop the load tools share (one select, ready keys to a handler), and their time bound. Not thread-safe: one
 * selector thread calls {@link #selectOnce}.
 */
final class SelectorLoop {
  private SelectorLoop() {}

  /** What a tool does with one of its connections (the key's attachment) when it is ready. */
  interface Handler<T> {
    /** The connection is established. */
    void connected(T conn) throws IOException;

    void writable(T conn) throws IOException;

    void readable(T conn) throws IOException;

    /** Any of the above threw. */
    void failed(T conn, IOException e);
  }

  /** Something a handler does to a connection. */
  interface Action<T> {
    void apply(T conn) throws IOException;
  }

  /** A handler from its parts: on connect and on write the same {@code send}-like action is common. */
  static <T> Handler<T> handler(Action<T> connected, Action<T> writable, Action<T> readable,
      BiConsumer<T, IOException> failed) {
    return new Handler<>() {
      @Override
      public void connected(T conn) throws IOException {
        connected.apply(conn);
      }

      @Override
      public void writable(T conn) throws IOException {
        writable.apply(conn);
      }

      @Override
      public void readable(T conn) throws IOException {
        readable.apply(conn);
      }

      @Override
      public void failed(T conn, IOException e) {
        failed.accept(conn, e);
      }
    };
  }

  /** One {@code select} of at most {@code timeoutMs}, and every ready key handed to {@code handler}. */
  @SuppressWarnings("unchecked")
  static <T> void selectOnce(Selector selector, long timeoutMs, Handler<T> handler) throws IOException {
    selector.select(Math.max(1, timeoutMs));
    Iterator<SelectionKey> it = selector.selectedKeys().iterator();
    while (it.hasNext()) {
      SelectionKey k = it.next();
      it.remove();
      if (!k.isValid()) {
        continue;
      }
      T conn = (T) k.attachment();
      try {
        if (k.isConnectable()) {
          if (((SocketChannel) k.channel()).finishConnect()) {
            handler.connected(conn);
          }
        } else {
          if (k.isWritable()) {
            handler.writable(conn);
          }
          if (k.isValid() && k.isReadable()) {
            handler.readable(conn);
          }
        }
      } catch (IOException e) {
        handler.failed(conn, e);
      }
    }
  }

  /**
   * A daemon thread that, after {@code seconds}, prints {@code tool: ABORT: ...} and runs {@code
   * last} (a last line for scripts), then exits with code 3: every tool is bounded in time.
   */
  static void watchdog(String tool, long seconds, Runnable last) {
    Thread t = new Thread(() -> {
      try {
        Thread.sleep(TimeUnit.SECONDS.toMillis(seconds));
      } catch (InterruptedException e) {
        return;
      }
      System.err.println(tool + ": ABORT: deadline of " + seconds + " s exceeded");
      last.run();
      System.exit(3);
    }, tool + "-deadline");
    t.setDaemon(true);
    t.start();
  }
}
