import java.net.InetAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Load tool for Parkway nodes sharing one store (the Redis store): publish throughput, and fan-out
 * latency across nodes. Java 17, no dependencies: {@code java bench/src/RedisLoad.java <mode> ...}.
 *
 * <ul>
 *   <li>{@code publish --nodes 8081,8082 --threads 4 --events 2000 --channels 3 --payload 100}: each thread
 *       publishes its share of {@code --events} one after another (each waits for its 201), on the nodes
 *       in turn (thread i on node i mod k), round robin over the channels. Prints events/s over the whole
 *       run and the latency percentiles of one publish. Non-201 answers are counted as errors.
 *   <li>{@code fanout --poll 8082 --publish 8081 --n 1000 --rounds 5}: N polls parked on one node, one
 *       publish on another; per round, the time from just before the publish is sent until the last (and
 *       the median) poller has its full answer, checked (200, the published seq). Between rounds every
 *       poller re-parks after the new seq, outside the measured window.
 * </ul>
 *
 * <p>Bounded: every request has a timeout, every wait a bound, and the run a deadline ({@code
 * --deadline}, default 300 s). Loopback only: the host must be in 127.0.0.0/8. java.net.http opens one
 * connection per parked poll, so N is bounded by {@code ulimit -n}; for tens of thousands of polls on
 * one node use {@code FanOut.java}. Exit codes: 0 clean, 1 some request failed, 2 bad arguments, 3
 * deadline passed or the polls never all parked.
 */
public final class RedisLoad {
  private static final Pattern SEQ = Pattern.compile("\"seq\"\\s*:\\s*(\\d+)");
  private static final Pattern SUBSCRIBERS = Pattern.compile("\"subscribers\"\\s*:\\s*(\\d+)");
  private static final Pattern HEAD = Pattern.compile("\"head\"\\s*:\\s*(\\d+)");

  private final String host;
  private final long deadline;
  private final HttpClient http;

  private RedisLoad(String host, int deadlineSeconds) {
    this.host = host;
    this.deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(deadlineSeconds);
    this.http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
        .connectTimeout(Duration.ofSeconds(10)).build();
  }

  public static void main(String[] args) throws Exception {
    if (args.length == 0 || args[0].equals("--help")) {
      System.out.println("usage: RedisLoad publish --nodes P1,P2 [--threads 4] [--events 2000] [--channels 3]"
          + " [--payload 100] | fanout --poll P --publish P [--n 1000] [--rounds 5] [--timeout 60];"
          + " common: [--host 127.0.0.1] [--deadline 300] [--channel bench]");
      System.exit(args.length == 0 ? 2 : 0);
    }
    String mode = args[0];
    String host = option(args, "--host", "127.0.0.1");
    if (!InetAddress.getByName(host).getHostAddress().startsWith("127.")) {
      System.err.println("RedisLoad: " + host + " is not a loopback address (127.0.0.0/8 only)");
      System.exit(2);
    }
    RedisLoad load = new RedisLoad(host, Integer.parseInt(option(args, "--deadline", "300")));
    String channel = option(args, "--channel", "bench");
    int code;
    switch (mode) {
      case "publish" -> code = load.publish(
          Arrays.stream(option(args, "--nodes", "8080").split(",")).mapToInt(Integer::parseInt).toArray(),
          Integer.parseInt(option(args, "--threads", "4")),
          Integer.parseInt(option(args, "--events", "2000")),
          Integer.parseInt(option(args, "--channels", "3")),
          Integer.parseInt(option(args, "--payload", "100")),
          channel);
      case "fanout" -> code = load.fanout(
          Integer.parseInt(option(args, "--poll", "8080")),
          Integer.parseInt(option(args, "--publish", "8080")),
          Integer.parseInt(option(args, "--n", "1000")),
          Integer.parseInt(option(args, "--rounds", "5")),
          Integer.parseInt(option(args, "--timeout", "60")),
          channel);
      default -> {
        System.err.println("RedisLoad: unknown mode " + mode);
        code = 2;
      }
    }
    System.exit(code);
  }

  // ---- publish throughput ----

  private int publish(int[] nodes, int threads, int events, int channels, int payload, String channel)
      throws InterruptedException {
    String data = "\"" + "x".repeat(Math.max(0, payload)) + "\"";
    long[][] latencies = new long[threads][];
    AtomicInteger errors = new AtomicInteger();
    List<Thread> workers = new ArrayList<>();
    long start = System.nanoTime();
    for (int t = 0; t < threads; t++) {
      int thread = t;
      int share = events / threads + (t < events % threads ? 1 : 0);
      latencies[t] = new long[share];
      Thread w = new Thread(() -> {
        int port = nodes[thread % nodes.length];
        for (int i = 0; i < share && System.nanoTime() < deadline; i++) {
          String target = channel + "." + ((thread + i) % channels);
          long t0 = System.nanoTime();
          HttpResponse<String> r = send(post(port, "/channels/" + target, data));
          latencies[thread][i] = System.nanoTime() - t0;
          if (r == null || r.statusCode() != 201) {
            if (errors.incrementAndGet() <= 5) {
              System.out.println("  error: " + (r == null ? "no answer" : r.statusCode() + " " + r.body()));
            }
          }
        }
      }, "publisher-" + t);
      w.start();
      workers.add(w);
    }
    for (Thread w : workers) {
      w.join(Math.max(1, TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime())));
    }
    double seconds = (System.nanoTime() - start) / 1e9;
    long[] all = Arrays.stream(latencies).flatMapToLong(Arrays::stream).filter(n -> n > 0).sorted().toArray();
    System.out.printf(Locale.ROOT,
        "publish: %d events, %d threads on %d node(s), %d channels, %d B payload: %.0f events/s"
            + " | latency ms p50 %.2f p90 %.2f p99 %.2f max %.2f | errors %d%n",
        all.length, threads, nodes.length, channels, payload, all.length / seconds,
        ms(all, 0.50), ms(all, 0.90), ms(all, 0.99), ms(all, 1.0), errors.get());
    return errors.get() == 0 && all.length == events ? 0 : 1;
  }

  // ---- fan-out across nodes ----

  private int fanout(int pollPort, int publishPort, int n, int rounds, int timeout, String channel)
      throws Exception {
    String c = channel + "-fanout-" + n;
    long after = head(pollPort, c);
    System.out.println("       N  round      last_ms    median_ms  errors  publish_ms");
    int failed = 0;
    List<Double> lasts = new ArrayList<>();
    for (int round = 1; round <= rounds; round++) {
      long[] done = new long[n];
      List<CompletableFuture<HttpResponse<String>>> polls = new ArrayList<>(n);
      for (int i = 0; i < n; i++) {
        int k = i;
        polls.add(http.sendAsync(get(pollPort, "/channels/" + c + "?after=" + after + "&timeout=" + timeout,
                timeout + 15), HttpResponse.BodyHandlers.ofString())
            .whenComplete((r, e) -> done[k] = System.nanoTime()));
      }
      if (!awaitSubscribers(pollPort, c, n)) {
        System.out.println("RedisLoad: the " + n + " polls never all parked");
        return 3;
      }
      long t0 = System.nanoTime();
      HttpResponse<String> published = send(post(publishPort, "/channels/" + c, "{\"round\":" + round + "}"));
      double publishMs = (System.nanoTime() - t0) / 1e6;
      if (published == null || published.statusCode() != 201) {
        System.out.println("RedisLoad: publish failed: " + (published == null ? "no answer" : published.body()));
        return 1;
      }
      long seq = number(SEQ, published.body());
      int errors = 0;
      long[] times = new long[n];
      for (int i = 0; i < n; i++) {
        HttpResponse<String> r;
        try {
          r = polls.get(i).get(Math.max(1, TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime())),
              TimeUnit.MILLISECONDS);
        } catch (Exception e) {
          r = null;
        }
        if (r == null || r.statusCode() != 200 || !r.body().contains("\"seq\":" + seq)) {
          errors++;
        }
        times[i] = done[i] - t0;
      }
      Arrays.sort(times);
      double last = times[n - 1] / 1e6;
      lasts.add(last);
      System.out.printf(Locale.ROOT, "%8d  %5d  %11.1f  %11.1f  %6d  %10.1f%n",
          n, round, last, times[n / 2] / 1e6, errors, publishMs);
      failed += errors;
      after = seq;
      if (System.nanoTime() > deadline) {
        System.out.println("RedisLoad: deadline passed");
        return 3;
      }
    }
    List<Double> sorted = new ArrayList<>(lasts);
    sorted.sort(null);
    System.out.printf(Locale.ROOT, "SUMMARY N=%d rounds=%d poll node %d publish node %d: last_ms median %.1f max %.1f | errors %d%n",
        n, rounds, pollPort, publishPort, sorted.get(sorted.size() / 2), sorted.get(sorted.size() - 1), failed);
    return failed == 0 ? 0 : 1;
  }

  private boolean awaitSubscribers(int port, String channel, int n) throws InterruptedException {
    long until = Math.min(deadline, System.nanoTime() + TimeUnit.SECONDS.toNanos(60));
    while (System.nanoTime() < until) {
      HttpResponse<String> info = send(get(port, "/channels/" + channel + "/info", 10));
      if (info != null && info.statusCode() == 200 && number(SUBSCRIBERS, info.body()) >= n) {
        return true;
      }
      Thread.sleep(20);
    }
    return false;
  }

  /** The channel's head, creating it with one event if it does not exist (so /info can count pollers). */
  private long head(int port, String channel) {
    HttpResponse<String> info = send(get(port, "/channels/" + channel + "/info", 10));
    if (info != null && info.statusCode() == 200) {
      return number(HEAD, info.body());
    }
    HttpResponse<String> created = send(post(port, "/channels/" + channel, "\"start\""));
    return created == null ? 0 : number(SEQ, created.body());
  }

  // ---- plumbing ----

  private HttpRequest get(int port, String path, int timeoutSeconds) {
    return HttpRequest.newBuilder(URI.create("http://" + host + ":" + port + path))
        .timeout(Duration.ofSeconds(timeoutSeconds)).GET().build();
  }

  private HttpRequest post(int port, String path, String json) {
    return HttpRequest.newBuilder(URI.create("http://" + host + ":" + port + path))
        .timeout(Duration.ofSeconds(30)).header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString(json)).build();
  }

  private HttpResponse<String> send(HttpRequest request) {
    try {
      return http.send(request, HttpResponse.BodyHandlers.ofString());
    } catch (Exception e) {
      return null;
    }
  }

  private static long number(Pattern pattern, String body) {
    Matcher m = pattern.matcher(body);
    return m.find() ? Long.parseLong(m.group(1)) : -1;
  }

  private static double ms(long[] sorted, double quantile) {
    if (sorted.length == 0) {
      return 0;
    }
    int index = (int) Math.min(sorted.length - 1, Math.ceil(quantile * sorted.length) - 1);
    return sorted[Math.max(0, index)] / 1e6;
  }

  private static String option(String[] args, String name, String fallback) {
    for (int i = 1; i + 1 < args.length; i++) {
      if (args[i].equals(name)) {
        return args[i + 1];
      }
    }
    return fallback;
  }
}
