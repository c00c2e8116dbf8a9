import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Idle latency: one poller follows a channel, one publisher publishes one event at a time, each only
 * once the poller has had the last one and a short gap ({@code --gap-ms}, default 2) has passed for
 * it to park again. Publish-to-receive latency: from just before the publish is written to when the
 * poll answer holding the event has been read (both in this JVM). p50, p99 and max over {@code
 * --events} events, after {@code --warmup} events that are not counted.
 *
 * <p>Run: {@code java -cp target/bench-tools IdleLatency --server parkway --port 8080}. Blocking
 * sockets, keep-alive, two threads. Bounded by a deadline. The last line, {@code RESULT idle ...}, is
 * for scripts. Exit codes: 0 done; 1 failed (a wrong answer, a lost event); 2 bad arguments.
 */
public final class IdleLatency {
  private static final Pattern T = Pattern.compile("\"t\":(\\d+)");

  public static void main(String[] args) throws Exception {
    Options o = Options.parse("IdleLatency", args, Options.defaults("host", "127.0.0.1",
        "port", "8080", "server", "parkway", "channel", "idle", "events", "2000", "warmup", "300",
        "gap-ms", "2"));
    int port = o.number("port", 1, 65535);
    int events = o.number("events", 1, 1_000_000);
    int warmup = o.number("warmup", 0, 1_000_000);
    int gapMs = o.number("gap-ms", 0, 1000);
    String server = o.text("server");
    InetAddress addr = HttpWire.loopback("IdleLatency", o.text("host"));
    Dialect dialect = Dialect.of(server, "poll", o.text("channel"), addr.getHostAddress() + ":" + port);
    if (dialect == null) {
      o.fail("--server must be parkway, direct or nchan");
    }
    InetSocketAddress target = new InetSocketAddress(addr, port);
    long deadline = 60 + (long) (events + warmup) * (gapMs + 20) / 1000;
    SelectorLoop.watchdog("IdleLatency", deadline, () -> { });
    System.exit(run(dialect, target, server, events, warmup, gapMs));
  }

  private static int run(Dialect dialect, InetSocketAddress target, String server, int events,
      int warmup, int gapMs) throws Exception {
    int total = events + warmup;
    Latencies latencies = new Latencies();
    AtomicLong received = new AtomicLong(); // events the poller has had
    String[] failure = new String[1];
    Object lock = new Object();

    try (HttpWire.Connection pub = new HttpWire.Connection(target, 10_000)) {
      pub.send("POST", dialect.publishPath(), dialect.publishHeaders(), "{\"bench\":\"seed\"}", null);
      Thread poller = new Thread(() -> {
        Dialect.Follow follow = new Dialect.Follow();
        try (HttpWire.Connection c = new HttpWire.Connection(target, 60_000)) {
          while (received.get() < total) {
            HttpWire.Response r = c.send(dialect.subscribe(follow, 30), null);
            long now = System.nanoTime();
            Dialect.Outcome outcome = dialect.answered(follow, r);
            if (outcome == Dialect.Outcome.ERROR) {
              throw new IOException("poll answered " + r.status() + " " + HttpWire.abbreviate(r.body()));
            }
            Matcher m = T.matcher(r.body());
            while (m.find()) {
              if (received.get() >= warmup) {
                latencies.record(now - Long.parseLong(m.group(1)));
              }
              received.incrementAndGet();
            }
            synchronized (lock) {
              lock.notifyAll();
            }
          }
        } catch (IOException e) {
          failure[0] = e.toString();
          synchronized (lock) {
            lock.notifyAll();
          }
        }
      }, "idle-poller");
      poller.setDaemon(true);
      poller.start();
      // Let the first poll park before the first publish.
      long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
      while (dialect.subscribers(pub) < 1 && System.nanoTime() < until) {
        Thread.sleep(1);
      }
      for (int i = 0; i < total && failure[0] == null; i++) {
        long bound = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        synchronized (lock) {
          while (received.get() < i && failure[0] == null && System.nanoTime() < bound) {
            lock.wait(10);
          }
        }
        if (received.get() < i) {
          failure[0] = failure[0] != null ? failure[0] : "event " + (i - 1) + " not received within 10 s";
          break;
        }
        if (gapMs > 0) {
          Thread.sleep(gapMs); // time for the poll to park again: idle means nothing is queued
        }
        String body = "{\"t\":" + System.nanoTime() + ",\"i\":" + i + "}";
        HttpWire.Response r = pub.send("POST", dialect.publishPath(), dialect.publishHeaders(), body, null);
        if (!dialect.published(r)) {
          failure[0] = "publish answered " + r.status() + " " + HttpWire.abbreviate(r.body());
        }
      }
      poller.join(10_000);
    }
    System.out.printf(Locale.ROOT,
        "IdleLatency: %s, %d events measured after %d warm-up, gap %d ms: p50 %.3f ms p99 %.3f ms max %.2f ms%n",
        server, latencies.count(), warmup, gapMs, latencies.percentileMs(0.5),
        latencies.percentileMs(0.99), latencies.maxMs());
    if (failure[0] != null) {
      System.out.println("IdleLatency: failed: " + failure[0]);
    }
    System.out.printf(Locale.ROOT,
        "RESULT idle server=%s events=%d warmup_events=%d p50_ms=%.3f p99_ms=%.3f max_ms=%.2f failed=%s%n",
        server, latencies.count(), warmup, latencies.percentileMs(0.5), latencies.percentileMs(0.99),
        latencies.maxMs(), failure[0] == null ? "no" : "yes");
    return failure[0] == null && latencies.count() == events ? 0 : 1;
  }
}
