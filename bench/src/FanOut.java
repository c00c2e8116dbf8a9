import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.regex.Pattern;

/**
 * Fan-out benchmark: N subscribers waiting on one channel, one publish, how long until the last of
 * them has the event. Against Parkway's servlet port, Parkway's direct port or Nchan ({@code --server
 * parkway | direct | nchan}), with long polls on one channel, long polls over two channels, or
 * Server-Sent Events streams ({@code --mode}; not on the direct port); {@link Dialect} has the requests
 * of each.
 *
 * <p>Run: {@code java -cp target/bench-tools FanOut --port 8080 --n 1000 --rounds 5} (Java 17, no
 * dependencies; {@code bench/common.sh} compiles {@code bench/src/{FanOut,Dialect,HttpWire}.java}).
 *
 * <p>One thread drives every subscriber through one {@link Selector}: non-blocking {@link
 * SocketChannel}s, HTTP/1.1 keep-alive, responses parsed by hand ({@link HttpWire}). Side requests
 * (channel info, the publish) use blocking keep-alive connections. Per round:
 *
 * <ol>
 *   <li>every subscriber is waiting: a poll parked after the position its last answer gave it (the
 *       first poll starts at the head), or a stream open; and we wait (bounded) until the server counts
 *       {@code subscribers == N} on the channel;
 *   <li>a publisher thread takes {@code t0 = System.nanoTime()} just before it writes the publish,
 *       while the selector thread keeps reading;
 *   <li>each subscriber's time is when its full answer (for a stream: the frame) carrying this round's
 *       event has been read; "last" is the slowest of the N, "median" the middle one;
 *   <li>once every subscriber has answered (or the round's bound has passed), the pollers re-park,
 *       following on from their answer (Parkway: its {@code cursor}; Nchan: its {@code Last-Modified}
 *       and {@code Etag} as {@code If-Modified-Since} and {@code If-None-Match}). Re-parking after the
 *       round, not as each answer arrives, keeps the poll traffic out of the measured window. Streams
 *       stay open.
 * </ol>
 *
 * <p>Bounded: an overall deadline ({@code --deadline}, default 300 s) aborts the run with exit code 3;
 * every wait inside is bounded too. Loopback only: any target outside 127.0.0.0/8 is refused. When N is
 * over {@code --per-source} (20,000), connections are spread over the source addresses 127.0.0.1 ..
 * 127.0.0.k so no source address runs out of ephemeral ports.
 *
 * <p>{@code --parked-hook CMD} runs {@code sh -c CMD} once all N are waiting, before round 1 (the bench
 * scripts measure the server's memory there). The last line, {@code RESULT fanout ...}, is for scripts.
 *
 * <p>Exit codes: 0 all answered correctly; 1 some poller failed (errors are counted in the table); 2 bad
 * arguments or set-up refused; 3 aborted (deadline, or the polls never all parked).
 */
public final class FanOut {
  private static final Pattern CHANNEL = Pattern.compile("[A-Za-z0-9._:-]{1,200}");

  // ---------------------------------------------------------------------------------------------
  // Options

  static final class Options {
    String host = "127.0.0.1";
    int port = 8080;
    int n = 1000;
    int rounds = 5;
    int timeout = 60;
    String channel = "bench";
    int batch = 100;
    int perSource = 20_000;
    int deadline = 300;
    int parkWait = 60;
    int hold = 0;
    int payload = 0;
    int warmup = 0;
    String server = "parkway";
    String mode = "poll";
    String parkedHook;

    static Options parse(String[] args) {
      Options o = new Options();
      for (int i = 0; i < args.length; i++) {
        String a = args[i];
        if (a.equals("-h") || a.equals("--help")) {
          usage(null);
        }
        if (i + 1 >= args.length) {
          usage("missing value for " + a);
        }
        String v = args[++i];
        switch (a) {
          case "--host" -> o.host = v;
          case "--port" -> o.port = number(a, v, 1, 65535);
          case "--n" -> o.n = number(a, v, 1, 1_000_000);
          case "--rounds" -> o.rounds = number(a, v, 1, 1000);
          case "--timeout" -> o.timeout = number(a, v, 1, 3600);
          case "--channel" -> o.channel = v;
          case "--batch" -> o.batch = number(a, v, 1, 100_000);
          case "--per-source" -> o.perSource = number(a, v, 1, 60_000);
          case "--deadline" -> o.deadline = number(a, v, 1, 86_400);
          case "--park-wait" -> o.parkWait = number(a, v, 1, 3600);
          case "--hold" -> o.hold = number(a, v, 0, 3600);
          case "--payload" -> o.payload = number(a, v, 0, 60_000);
          case "--warmup" -> o.warmup = number(a, v, 0, 1000);
          case "--server" -> o.server = v;
          case "--mode" -> o.mode = v;
          case "--parked-hook" -> o.parkedHook = v;
          default -> usage("unknown option " + a);
        }
      }
      if (!CHANNEL.matcher(o.channel).matches()) {
        usage("--channel must be 1-200 characters of A-Z a-z 0-9 . _ : -");
      }
      return o;
    }

    private static int number(String name, String v, int min, int max) {
      try {
        int x = Integer.parseInt(v);
        if (x >= min && x <= max) {
          return x;
        }
      } catch (NumberFormatException e) {
        // reported below
      }
      usage(name + " must be an integer from " + min + " to " + max);
      return 0;
    }

    private static void usage(String problem) {
      if (problem != null) {
        System.err.println("FanOut: " + problem);
      }
      System.err.println(
          """
          usage: java bench/src/FanOut.java [options]
            --host 127.0.0.1   target (loopback only: 127.0.0.0/8)
            --port 8080        the server's port
            --server parkway   parkway | direct (Parkway's direct port: no sse) |
                               nchan (bench/nchan/nginx.conf.template's locations)
            --mode poll        poll (one channel) | multi (a poll over two channels) | sse (streams)
            --n 1000           subscribers (one connection each)
            --rounds 5         publishes measured
            --timeout 60       poll timeout in seconds (must cover parking + one round)
            --channel bench    channel to use (nobody else should poll it)
            --batch 100        connections opened per ramp step (each step waits until they are parked;
                               keep it at or under the server's accept backlog)
            --per-source 20000 connections per source address before spreading over 127.0.0.2, .3, ...
            --deadline 300     overall bound in seconds; exceeded -> exit 3
            --park-wait 60     bound in seconds for all polls to be parked before a round
            --hold 0           seconds to keep the N polls parked before the first round (time to
                               inspect the server, e.g. jcmd <pid> GC.class_histogram)
            --payload 0        bytes of padding added to each published event (the answers grow
                               by as much)
            --warmup 0         rounds run first on the same connections and not counted in SUMMARY
                               and RESULT (a fresh server's JIT warms up over the first rounds)
            --parked-hook CMD  run `sh -c CMD` once all N are waiting, before round 1""");
      System.exit(2);
    }
  }

  // ---------------------------------------------------------------------------------------------
  // One subscriber: one keep-alive connection, one parked poll at a time (or one open stream)

  enum State { CONNECTING, SENDING, PARKED, DONE, FAILED }

  static final class Poller {
    final int id;
    final Dialect.Follow follow = new Dialect.Follow();
    SocketChannel ch;
    SelectionKey key;
    State state;
    ByteBuffer out;
    byte[] in = new byte[1024];
    int inLen;
    HttpWire.Stream stream; // sse mode: the open stream's decoded text
    boolean closeAfter; // the server said Connection: close
    long answeredAt; // nanoTime, 0 while unanswered this round
    String failure;

    Poller(int id) {
      this.id = id;
    }
  }

  // ---------------------------------------------------------------------------------------------

  private final Options o;
  private final Dialect dialect;
  private final InetSocketAddress target;
  private final long deadlineNanos;
  private final Selector selector;
  private final ByteBuffer readBuf = ByteBuffer.allocateDirect(64 * 1024);
  private final byte[] chunk = new byte[64 * 1024];
  private final Poller[] pollers;
  private final int sources;
  private final HttpWire.Connection info; // the selector thread's side requests
  private final HttpWire.Connection publisher; // the publisher thread's
  private String marker = "\u0000"; // this round's event, as it appears in an answer or a frame
  private int inFlight; // pollers connecting, sending or parked
  private int earlyTimeouts; // polls answered "timeout" (parked longer than --timeout): re-parked

  FanOut(Options o, Dialect dialect, InetSocketAddress target) throws IOException {
    this.o = o;
    this.dialect = dialect;
    this.target = target;
    this.deadlineNanos = System.nanoTime() + TimeUnit.SECONDS.toNanos(o.deadline);
    this.selector = Selector.open();
    this.pollers = new Poller[o.n];
    this.sources = o.n > o.perSource ? (o.n + o.perSource - 1) / o.perSource : 1;
    this.info = new HttpWire.Connection(target, 10_000);
    this.publisher = new HttpWire.Connection(target, 30_000);
  }

  public static void main(String[] args) throws Exception {
    Options o = Options.parse(args);
    InetAddress addr = HttpWire.loopback("FanOut", o.host);
    Dialect dialect = Dialect.of(o.server, o.mode, o.channel, addr.getHostAddress() + ":" + o.port);
    if (dialect == null) {
      System.exit(2);
    }
    int sources = o.n > o.perSource ? (o.n + o.perSource - 1) / o.perSource : 1;
    if (sources > 254) {
      System.err.println("FanOut: --n / --per-source needs more than 254 source addresses");
      System.exit(2);
    }
    long fdMax = maxFileDescriptors();
    if (fdMax > 0 && o.n + 64 > fdMax) {
      System.err.println("FanOut: --n " + o.n + " needs about " + (o.n + 64)
          + " file descriptors; this process may open " + fdMax + " (raise ulimit -n)");
      System.exit(2);
    }

    SelectorLoop.watchdog("FanOut", o.deadline, () -> System.out.printf(Locale.ROOT,
        "RESULT fanout server=%s mode=%s n=%d aborted=deadline%n", o.server, o.mode, o.n));

    FanOut bench = new FanOut(o, dialect, new InetSocketAddress(addr, o.port));
    int code;
    try {
      code = bench.run();
    } catch (Abort | IOException e) {
      System.err.println("FanOut: ABORT: " + (e instanceof Abort ? e.getMessage() : e.toString()));
      int opened = 0;
      for (Poller p : bench.pollers) {
        opened += p == null ? 0 : 1;
      }
      System.out.printf(Locale.ROOT, "RESULT fanout server=%s mode=%s n=%d parked=%d opened=%d aborted=%s%n",
          o.server, o.mode, o.n, bench.live(0, o.n), opened,
          e.getMessage() == null ? "error" : e.getMessage().replaceAll("\\s+", "_"));
      code = 3;
    } finally {
      bench.closeAll();
    }
    System.exit(code);
  }

  /** Thrown to stop the run: set-up failed or a bound was exceeded. */
  static final class Abort extends RuntimeException {
    private static final long serialVersionUID = 1L;

    Abort(String message) {
      super(message);
    }
  }

  int run() throws Exception {
    System.out.printf(Locale.ROOT,
        "FanOut: %s:%d server=%s mode=%s channel=%s n=%d rounds=%d timeout=%ds source addresses=%d%n",
        target.getAddress().getHostAddress(), o.port, o.server, o.mode, o.channel, o.n, o.rounds,
        o.timeout, sources);
    // A seed event, so the channel exists (Parkway's /info answers 404 for a channel with no event).
    HttpWire.Response seed = info.send("POST", dialect.publishPath(), dialect.publishHeaders(),
        "{\"bench\":\"seed\"}", null);
    if (!dialect.published(seed)) {
      throw new Abort("seeding the channel answered " + seed.status() + " " + HttpWire.abbreviate(seed.body()));
    }
    int already = dialect.subscribers(info);
    if (already != 0) {
      throw new Abort("channel '" + o.channel + "' already has " + already
          + " subscribers; use another --channel or wait for them to time out");
    }

    // Ramp up: open a batch, wait until its polls are parked, open the next.
    long rampStart = System.nanoTime();
    for (int from = 0; from < o.n; from += o.batch) {
      int to = Math.min(o.n, from + o.batch);
      for (int i = from; i < to; i++) {
        pollers[i] = new Poller(i);
        open(pollers[i]);
      }
      int fFrom = from;
      int fTo = to;
      pump(bound(30), () -> allSent(fFrom, fTo));
      failStragglers(from, to, "connect or request not done within 30 s");
      int live = live(0, to);
      awaitSubscribers(live, "ramp to " + to);
    }
    int live = live(0, o.n);
    double parkedMs = ms(System.nanoTime() - rampStart);
    System.out.printf(Locale.ROOT, "FanOut: %d of %d %s in %.0f ms%n",
        live, o.n, dialect.streaming() ? "streams open" : "polls parked", parkedMs);
    if (live == 0) {
      throw new Abort("no poll could be parked; first failure: " + pollers[0].failure);
    }
    if (live < o.n) {
      for (Poller p : pollers) {
        if (p.failure != null) {
          System.out.printf("FanOut: %d polls failed to park; first: poller %d: %s%n",
              o.n - live, p.id, p.failure);
          break;
        }
      }
    }
    if (o.parkedHook != null) {
      runHook();
    }
    if (o.hold > 0) {
      System.out.printf("FanOut: holding %d polls parked for %d s%n", live, o.hold);
      pump(bound(o.hold), () -> false);
    }

    List<Round> results = new ArrayList<>();
    boolean warmupClean = true;
    printHeader();
    // Warm-up rounds first, numbered 1..warmup and not counted; each round's event is its own number.
    for (int r = 1; r <= o.warmup + o.rounds; r++) {
      if (o.warmup > 0 && r == o.warmup + 1) {
        System.out.printf("FanOut: %d warm-up rounds above, not counted; measured rounds below%n", o.warmup);
      }
      Round round = round(r);
      if (r > o.warmup) {
        results.add(round);
      } else {
        warmupClean &= round.errors == 0;
      }
      printRow(round);
      if (r < o.warmup + o.rounds) {
        repark();
      }
    }
    printSummary(results, live, parkedMs);
    return warmupClean && results.stream().allMatch(x -> x.errors == 0) && live == o.n ? 0 : 1;
  }

  /** Runs --parked-hook while the selector keeps reading (bounded: 120 s). */
  private void runHook() throws IOException {
    Process hook = new ProcessBuilder("sh", "-c", o.parkedHook).inheritIO().start();
    pump(bound(120), () -> !hook.isAlive());
    if (hook.isAlive()) {
      hook.destroy();
      System.out.println("FanOut: --parked-hook still running after 120 s; stopped");
    }
  }

  // ---------------------------------------------------------------------------------------------
  // A round

  record Round(int round, int answered, int errors, double lastMs, double medianMs, double p99Ms,
      double publishMs, int woke, int earlyTimeouts, List<String> failures) {}

  private Round round(int r) throws Exception {
    int live = live(0, o.n);
    awaitSubscribers(live, "round " + r);
    for (Poller p : pollers) {
      p.answeredAt = 0;
    }
    marker = "\"round\":" + r + ",";

    String data = "{\"bench\":\"fanout\",\"round\":" + r + ",\"n\":" + o.n
        + (o.payload > 0 ? ",\"pad\":\"" + "x".repeat(o.payload) + "\"" : "") + "}";
    long[] t0 = new long[1];
    long[] t1 = new long[1];
    CompletableFuture<HttpWire.Response> publish = CompletableFuture.supplyAsync(() -> {
      try {
        HttpWire.Response answer =
            publisher.send("POST", dialect.publishPath(), dialect.publishHeaders(), data, t0);
        t1[0] = System.nanoTime();
        return answer;
      } catch (IOException e) {
        throw new RuntimeException(e);
      }
    }, command -> {
      Thread t = new Thread(command, "fanout-publisher");
      t.setDaemon(true);
      t.start();
    });

    // Measure: the selector thread reads answers while the publisher writes the POST.
    long roundBound = bound(o.timeout + 15);
    pump(roundBound, () -> publish.isDone() && pending() == 0);
    HttpWire.Response pub;
    try {
      pub = publish.get(Math.max(1, (roundBound - System.nanoTime()) / 1_000_000), TimeUnit.MILLISECONDS);
    } catch (Exception e) {
      throw new Abort("round " + r + ": the publish failed: " + e);
    }
    long start = t0[0];
    if (!dialect.published(pub)) {
      throw new Abort("round " + r + ": publish answered " + pub.status() + " " + pub.body());
    }
    int woke = (int) Dialect.find(Dialect.SUBSCRIBERS, pub.body());
    double publishMs = ms(t1[0] - start); // taken on the publisher thread, when its answer was read

    List<String> failures = new ArrayList<>();
    long[] times = new long[o.n];
    int answered = 0;
    int errors = 0;
    for (Poller p : pollers) {
      if (p.state == State.DONE && p.answeredAt != 0) {
        times[answered++] = p.answeredAt - start;
      } else {
        errors++;
        String why = p.failure != null ? p.failure
            : p.state == State.PARKED ? "no answer within " + (o.timeout + 15) + " s"
            : "state " + p.state;
        if (p.failure == null && p.state == State.PARKED) {
          fail(p, why);
        }
        if (failures.size() < 5) {
          failures.add("poller " + p.id + ": " + why);
        }
      }
    }
    long[] sorted = Arrays.copyOf(times, answered);
    Arrays.sort(sorted);
    int early = earlyTimeouts;
    earlyTimeouts = 0;
    return new Round(r, answered, errors,
        answered == 0 ? Double.NaN : ms(sorted[answered - 1]),
        answered == 0 ? Double.NaN : ms(sorted[(answered - 1) / 2]),
        answered == 0 ? Double.NaN : ms(sorted[(int) Math.ceil(answered * 0.99) - 1]),
        publishMs, woke, early, failures);
  }

  /** Every poller parks again after its answer (a stream waits on); a failed or closed one reconnects. */
  private void repark() throws IOException {
    for (Poller p : pollers) {
      p.failure = null;
      boolean usable = p.state == State.DONE && !p.closeAfter && p.ch.isOpen();
      if (usable && dialect.streaming()) {
        setState(p, State.PARKED);
      } else if (usable) {
        send(p);
      } else {
        close(p);
        open(p);
      }
    }
    pump(bound(30), () -> allSent(0, o.n));
    failStragglers(0, o.n, "re-park: connect or request not done within 30 s");
  }

  private void failStragglers(int from, int to, String why) {
    for (int i = from; i < to; i++) {
      State s = pollers[i].state;
      if (s == State.CONNECTING || s == State.SENDING) {
        fail(pollers[i], why);
      }
    }
  }

  /** Pollers still waiting for an answer (connecting, sending or parked): O(1), checked per select. */
  private int pending() {
    return inFlight;
  }

  private void setState(Poller p, State s) {
    boolean was = p.state != null && p.state != State.DONE && p.state != State.FAILED;
    boolean is = s != State.DONE && s != State.FAILED;
    inFlight += (is ? 1 : 0) - (was ? 1 : 0);
    p.state = s;
  }

  // ---------------------------------------------------------------------------------------------
  // The selector loop

  /** Runs the selector until {@code done} holds or {@code until} (nanoTime) passes. */
  private void pump(long until, BooleanSupplier done) throws IOException {
    while (!done.getAsBoolean()) {
      long left = until - System.nanoTime();
      if (left <= 0) {
        return;
      }
      SelectorLoop.selectOnce(selector, Math.min(50, left / 1_000_000), handler);
    }
  }

  private final SelectorLoop.Handler<Poller> handler =
      SelectorLoop.handler(this::send, this::flush, this::read,
      (p, e) -> fail(p, e.getClass().getSimpleName() + ": " + e.getMessage()));

  private void open(Poller p) throws IOException {
    p.failure = null;
    p.inLen = 0;
    p.closeAfter = false;
    p.answeredAt = 0;
    p.stream = dialect.streaming() ? new HttpWire.Stream() : null;
    p.ch = SocketChannel.open();
    p.ch.configureBlocking(false);
    p.ch.setOption(StandardSocketOptions.TCP_NODELAY, true);
    if (sources > 1) {
      p.ch.bind(new InetSocketAddress("127.0.0." + (1 + p.id % sources), 0));
    }
    setState(p, State.CONNECTING);
    try {
      if (p.ch.connect(target)) {
        p.key = p.ch.register(selector, 0, p);
        send(p);
      } else {
        p.key = p.ch.register(selector, SelectionKey.OP_CONNECT, p);
      }
    } catch (IOException e) {
      fail(p, "connect: " + e.getMessage());
    }
  }

  private void send(Poller p) throws IOException {
    p.out = ByteBuffer.wrap(dialect.subscribe(p.follow, o.timeout));
    setState(p, State.SENDING);
    p.inLen = 0;
    flush(p);
  }

  private void flush(Poller p) throws IOException {
    p.ch.write(p.out);
    if (p.out.hasRemaining()) {
      p.key.interestOps(SelectionKey.OP_WRITE | SelectionKey.OP_READ);
    } else {
      p.out = null;
      if (p.state == State.SENDING) {
        setState(p, State.PARKED);
      }
      p.key.interestOps(SelectionKey.OP_READ);
    }
  }

  private void read(Poller p) throws IOException {
    while (true) {
      readBuf.clear();
      int n = p.ch.read(readBuf);
      if (n < 0) {
        fail(p, p.state == State.PARKED ? "connection closed by the server while parked"
            : "connection closed by the server");
        return;
      }
      if (n == 0) {
        return;
      }
      readBuf.flip();
      if (p.stream != null) {
        readBuf.get(chunk, 0, n);
        frames(p, n);
        if (p.state == State.FAILED) {
          return;
        }
        continue;
      }
      if (p.inLen + n > p.in.length) {
        p.in = Arrays.copyOf(p.in, Math.max(p.in.length * 2, p.inLen + n));
      }
      readBuf.get(p.in, p.inLen, n);
      p.inLen += n;
      HttpWire.Response resp = HttpWire.parse(p.in, p.inLen);
      if (resp != null) {
        long now = System.nanoTime();
        if (resp.consumed() != p.inLen) {
          fail(p, "bytes after the response (" + (p.inLen - resp.consumed()) + ")");
          return;
        }
        p.inLen = 0;
        p.closeAfter = resp.close();
        answered(p, resp, now);
        return;
      }
    }
  }

  /** A stream's bytes: its head must be a 200; the round's event is done when its frame has arrived. */
  private void frames(Poller p, int n) throws IOException {
    long now = System.nanoTime();
    p.stream.feed(chunk, 0, n);
    HttpWire.Head head = p.stream.head();
    if (head == null) {
      return;
    }
    if (head.status() != 200) {
      fail(p, "stream answered HTTP " + head.status());
      return;
    }
    StringBuilder text = p.stream.text;
    int at = text.indexOf(marker);
    if (at >= 0) {
      // The frame ends with a blank line; Parkway and Nchan write a frame in one piece, so it is here.
      text.delete(0, at + marker.length());
      if (p.state == State.PARKED) {
        p.answeredAt = now;
        setState(p, State.DONE);
      }
    } else if (text.length() > 4096) {
      text.delete(0, text.length() - 256); // heartbeats and older frames; keep a tail longer than a marker
    }
  }

  private void answered(Poller p, HttpWire.Response resp, long now) throws IOException {
    if (p.state != State.PARKED && p.state != State.SENDING) {
      fail(p, "unexpected response " + resp.status() + " in state " + p.state);
      return;
    }
    switch (dialect.answered(p.follow, resp)) {
      case ERROR -> fail(p, "HTTP " + resp.status() + " " + HttpWire.abbreviate(resp.body()));
      case TIMEOUT -> {
        // Parked longer than the poll timeout (a slow ramp): park again where it was. If the publish
        // has already happened, the new poll is answered at once with it, late; the row says how many.
        earlyTimeouts++;
        if (p.closeAfter) {
          close(p);
          open(p);
        } else {
          send(p);
        }
      }
      case EVENTS -> {
        if (!resp.body().contains(marker)) {
          fail(p, "answer without this round's event: " + HttpWire.abbreviate(resp.body()));
          return;
        }
        p.answeredAt = now;
        setState(p, State.DONE);
      }
    }
  }

  private void fail(Poller p, String why) {
    if (p.failure == null) {
      p.failure = why;
    }
    setState(p, State.FAILED);
    close(p);
  }

  private void close(Poller p) {
    if (p.key != null) {
      p.key.cancel();
    }
    if (p.ch != null) {
      try {
        p.ch.close();
      } catch (IOException e) {
        // closing anyway
      }
    }
  }

  private void closeAll() {
    for (Poller p : pollers) {
      if (p != null) {
        close(p);
      }
    }
    info.close();
    publisher.close();
    try {
      selector.close();
    } catch (IOException e) {
      // exiting anyway
    }
  }

  private boolean allSent(int from, int to) {
    for (int i = from; i < to; i++) {
      State s = pollers[i].state;
      if (s == State.CONNECTING || s == State.SENDING) {
        return false;
      }
    }
    return true;
  }

  private int live(int from, int to) {
    int n = 0;
    for (int i = from; i < to; i++) {
      if (pollers[i] != null && pollers[i].state == State.PARKED) {
        n++;
      }
    }
    return n;
  }

  /** Waits, reading as it goes, until the server counts exactly {@code expected} subscribers. */
  private void awaitSubscribers(int expected, String what) throws IOException {
    long until = bound(o.parkWait);
    long seen;
    while (true) {
      pump(System.nanoTime() + 20_000_000L, () -> false);
      seen = dialect.subscribers(info);
      int alive = live(0, o.n);
      if (alive != expected) {
        expected = alive; // a poll failed or was answered early while we waited
      }
      if (seen == expected) {
        return;
      }
      if (System.nanoTime() > until) {
        throw new Abort(what + ": the server counts " + seen + " subscribers, expected " + expected
            + " after " + o.parkWait + " s (another client on channel '" + o.channel + "'?)");
      }
    }
  }

  private long bound(int seconds) {
    long b = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
    if (b - deadlineNanos > 0) {
      b = deadlineNanos;
    }
    return b;
  }

  private static double ms(long nanos) {
    return nanos / 1e6;
  }

  private static long maxFileDescriptors() {
    var os = ManagementFactory.getOperatingSystemMXBean();
    if (os instanceof com.sun.management.UnixOperatingSystemMXBean unix) {
      return unix.getMaxFileDescriptorCount();
    }
    return -1;
  }

  // ---------------------------------------------------------------------------------------------
  // Output

  private static void printHeader() {
    System.out.printf(Locale.ROOT, "%8s %6s %12s %14s %7s %10s %11s %7s%n",
        "N", "round", "last_ms", "median_ms", "errors", "p99_ms", "publish_ms", "woke");
  }

  private void printRow(Round r) {
    System.out.printf(Locale.ROOT, "%8d %6d %12.1f %14.1f %7d %10.1f %11.1f %7d%n",
        o.n, r.round, r.lastMs, r.medianMs, r.errors, r.p99Ms, r.publishMs, r.woke);
    if (r.earlyTimeouts > 0) {
      System.out.printf("         (%d polls answered timeout:true before this round's event and were re-parked)%n",
          r.earlyTimeouts);
    }
    for (String f : r.failures) {
      System.out.println("         error: " + f);
    }
    if (r.errors > r.failures.size()) {
      System.out.println("         ... and " + (r.errors - r.failures.size()) + " more errors");
    }
  }

  private void printSummary(List<Round> rounds, int live, double parkedMs) {
    double[] last = rounds.stream().mapToDouble(Round::lastMs).sorted().toArray();
    double[] median = rounds.stream().mapToDouble(Round::medianMs).sorted().toArray();
    int errors = rounds.stream().mapToInt(Round::errors).sum();
    System.out.printf(Locale.ROOT,
        "SUMMARY N=%d rounds=%d: last_ms median %.1f max %.1f | median_ms median %.1f max %.1f | errors %d%n",
        o.n, rounds.size(), medianOf(last), last[last.length - 1], medianOf(median),
        median[median.length - 1], errors);
    System.out.printf(Locale.ROOT,
        "RESULT fanout server=%s mode=%s n=%d parked=%d park_ms=%.0f rounds=%d warmup=%d last_median=%.1f"
            + " last_max=%.1f median_median=%.1f median_max=%.1f errors=%d%n",
        o.server, o.mode, o.n, live, parkedMs, rounds.size(), o.warmup, medianOf(last), last[last.length - 1],
        medianOf(median), median[median.length - 1], errors);
  }

  private static double medianOf(double[] sorted) {
    int n = sorted.length;
    return n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
  }
}
