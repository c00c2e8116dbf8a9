import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.util.Arrays;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Throughput benchmark: M pollers follow one channel in a closed loop (each answer is followed at once
 * by the next poll, after the position it gave) while P publishers publish as fast as the server
 * answers them (each on its own keep-alive connection, the next publish when the last is answered).
 * Reports events delivered per second (summed over the pollers) and the publish-to-receive latency of
 * every delivered event: each event carries {@code "t": System.nanoTime()} taken just before its
 * publish was written, and its receive time is when the answer holding it has been read. Publisher
 * and pollers share this JVM's clock.
 *
 * <p>Run: {@code java -cp target/bench-tools Throughput --server parkway --port 8080}. Against Nchan
 * use {@code --mode batch}: each answer then holds every waiting message, as a Parkway answer holds up
 * to {@code limit}; with {@code --mode poll} Nchan answers one message per poll.
 *
 * <p>Bounded: warm-up plus measuring time, and a deadline. Loopback only. The pollers run on one
 * selector thread; the publishers on their own threads. The last line, {@code RESULT throughput ...},
 * is for scripts. Exit codes: 0 done; 1 a poller or publisher failed; 2 bad arguments.
 */
public final class Throughput {
  private static final Pattern T = Pattern.compile("\"t\":(\\d+)");

  static final class Poller {
    final Dialect.Follow follow = new Dialect.Follow();
    SocketChannel ch;
    SelectionKey key;
    ByteBuffer out;
    byte[] in = new byte[4096];
    int inLen;
  }

  public static void main(String[] args) throws Exception {
    Options o = Options.parse("Throughput", args, Options.defaults("host", "127.0.0.1", "port", "8080",
        "server", "parkway", "mode", "poll", "channel", "throughput", "pollers", "100",
        "publishers", "2", "warmup", "3", "seconds", "10"));
    int port = o.number("port", 1, 65535);
    int pollers = o.number("pollers", 1, 10_000);
    int publishers = o.number("publishers", 1, 64);
    int warmup = o.number("warmup", 0, 60);
    int seconds = o.number("seconds", 1, 300);
    InetAddress addr = HttpWire.loopback("Throughput", o.text("host"));
    Dialect dialect = Dialect.of(o.text("server"), o.text("mode"), o.text("channel"),
        addr.getHostAddress() + ":" + port);
    if (dialect == null || dialect.streaming()) {
      o.fail("--server must be parkway, direct or nchan, --mode poll or batch");
    }
    SelectorLoop.watchdog("Throughput", warmup + seconds + 60, () -> { });
    System.exit(new Throughput(dialect, new InetSocketAddress(addr, port), pollers, publishers)
        .run(warmup, seconds));
  }

  private final Dialect dialect;
  private final InetSocketAddress target;
  private final Poller[] pollers;
  private final int publisherCount;
  private final Selector selector;
  private final ByteBuffer readBuf = ByteBuffer.allocateDirect(256 * 1024);
  private final Latencies latencies = new Latencies();
  private final AtomicLong published = new AtomicLong();
  private volatile boolean stop;
  private volatile String failure;
  private long measureFrom;
  private long measureUntil;
  private long delivered;

  Throughput(Dialect dialect, InetSocketAddress target, int pollers, int publishers) throws IOException {
    this.dialect = dialect;
    this.target = target;
    this.pollers = new Poller[pollers];
    this.publisherCount = publishers;
    this.selector = Selector.open();
  }

  int run(int warmup, int seconds) throws Exception {
    try (HttpWire.Connection side = new HttpWire.Connection(target, 10_000)) {
      side.send("POST", dialect.publishPath(), dialect.publishHeaders(), "{\"bench\":\"seed\"}", null);
      for (int i = 0; i < pollers.length; i++) {
        pollers[i] = new Poller();
        open(pollers[i]);
      }
      // Every poller parked before the publishers start (bounded: 30 s).
      long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
      while (dialect.subscribers(side) < pollers.length && System.nanoTime() < until) {
        pump(System.nanoTime() + 20_000_000L);
      }
    }
    long start = System.nanoTime();
    measureFrom = start + TimeUnit.SECONDS.toNanos(warmup);
    measureUntil = measureFrom + TimeUnit.SECONDS.toNanos(seconds);
    long publishedAtStart = -1;
    Thread[] threads = new Thread[publisherCount];
    for (int k = 0; k < threads.length; k++) {
      int id = k;
      threads[k] = new Thread(() -> publish(id), "throughput-publisher-" + k);
      threads[k].setDaemon(true);
      threads[k].start();
    }
    while (System.nanoTime() < measureUntil && failure == null) {
      pump(Math.min(measureUntil, System.nanoTime() + 50_000_000L));
      if (publishedAtStart < 0 && System.nanoTime() >= measureFrom) {
        publishedAtStart = published.get();
      }
    }
    long publishedInWindow = published.get() - Math.max(0, publishedAtStart);
    stop = true;
    for (Thread t : threads) {
      t.join(5_000);
    }
    for (Poller p : pollers) {
      close(p);
    }
    String server = dialect.server;
    System.out.printf(Locale.ROOT,
        "Throughput: %s mode=%s pollers=%d publishers=%d, %d s measured after %d s warm-up%n",
        server, dialect.mode.name().toLowerCase(Locale.ROOT), pollers.length, publisherCount, seconds, warmup);
    double deliveredPerS = delivered / (double) seconds;
    double publishedPerS = publishedInWindow / (double) seconds;
    double complete = publishedInWindow == 0 ? 0 : delivered / (double) (publishedInWindow * pollers.length);
    System.out.printf(Locale.ROOT,
        "  published %.0f/s, delivered %.0f events/s (%.1f%% of published x pollers),"
            + " latency p50 %.2f ms p99 %.2f ms max %.1f ms%n",
        publishedPerS, deliveredPerS, 100 * complete, latencies.percentileMs(0.5),
        latencies.percentileMs(0.99), latencies.maxMs());
    if (failure != null) {
      System.out.println("  failure: " + failure);
    }
    System.out.printf(Locale.ROOT,
        "RESULT throughput server=%s mode=%s pollers=%d publishers=%d published_per_s=%.0f"
            + " delivered_per_s=%.0f complete=%.3f p50_ms=%.2f p99_ms=%.2f max_ms=%.1f failed=%s%n",
        server, dialect.mode.name().toLowerCase(Locale.ROOT), pollers.length, publisherCount,
        publishedPerS, deliveredPerS, complete, latencies.percentileMs(0.5),
        latencies.percentileMs(0.99), latencies.maxMs(), failure == null ? "no" : "yes");
    return failure == null ? 0 : 1;
  }

  /** One publisher: publish, wait for the answer, publish again, until told to stop. */
  private void publish(int id) {
    try (HttpWire.Connection c = new HttpWire.Connection(target, 10_000)) {
      for (long i = 0; !stop; i++) {
        String body = "{\"t\":" + System.nanoTime() + ",\"p\":" + id + ",\"i\":" + i + "}";
        HttpWire.Response r = c.send("POST", dialect.publishPath(), dialect.publishHeaders(), body, null);
        if (!dialect.published(r)) {
          failure = "publish answered " + r.status() + " " + HttpWire.abbreviate(r.body());
          return;
        }
        published.incrementAndGet();
      }
    } catch (IOException e) {
      if (!stop) {
        failure = "publisher " + id + ": " + e;
      }
    }
  }

  private void pump(long until) throws IOException {
    long left = until - System.nanoTime();
    if (left > 0) {
      SelectorLoop.selectOnce(selector, left / 1_000_000, handler);
    }
  }

  private final SelectorLoop.Handler<Poller> handler =
      SelectorLoop.handler(this::send, this::flush, this::read,
      (p, e) -> {
        failure = "poller: " + e;
        close(p);
      });

  private void open(Poller p) throws IOException {
    p.ch = SocketChannel.open();
    p.ch.configureBlocking(false);
    p.ch.setOption(StandardSocketOptions.TCP_NODELAY, true);
    p.inLen = 0;
    if (p.ch.connect(target)) {
      p.key = p.ch.register(selector, 0, p);
      send(p);
    } else {
      p.key = p.ch.register(selector, SelectionKey.OP_CONNECT, p);
    }
  }

  private void send(Poller p) throws IOException {
    p.out = ByteBuffer.wrap(dialect.subscribe(p.follow, 30));
    flush(p);
  }

  private void flush(Poller p) throws IOException {
    p.ch.write(p.out);
    p.key.interestOps(p.out.hasRemaining() ? SelectionKey.OP_WRITE | SelectionKey.OP_READ : SelectionKey.OP_READ);
  }

  private void read(Poller p) throws IOException {
    while (true) {
      readBuf.clear();
      int n = p.ch.read(readBuf);
      if (n < 0) {
        throw new IOException("connection closed by the server");
      }
      if (n == 0) {
        return;
      }
      readBuf.flip();
      if (p.inLen + n > p.in.length) {
        p.in = Arrays.copyOf(p.in, Math.max(p.in.length * 2, p.inLen + n));
      }
      readBuf.get(p.in, p.inLen, n);
      p.inLen += n;
      HttpWire.Response r = HttpWire.parse(p.in, p.inLen);
      if (r == null) {
        continue;
      }
      long now = System.nanoTime();
      p.inLen = 0;
      Dialect.Outcome outcome = dialect.answered(p.follow, r);
      if (outcome == Dialect.Outcome.ERROR) {
        throw new IOException("poll answered " + r.status() + " " + HttpWire.abbreviate(r.body()));
      }
      if (outcome == Dialect.Outcome.EVENTS && now >= measureFrom && now < measureUntil) {
        Matcher m = T.matcher(r.body());
        while (m.find()) {
          latencies.record(now - Long.parseLong(m.group(1)));
          delivered++;
        }
      }
      if (r.close()) {
        close(p);
        open(p);
      } else {
        send(p);
      }
      return;
    }
  }

  private void close(Poller p) {
    if (p.key != null) {
      p.key.cancel();
    }
    try {
      p.ch.close();
    } catch (IOException e) {
      // closing anyway
    }
  }
}
