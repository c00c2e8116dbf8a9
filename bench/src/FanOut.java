import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.lang.management.ManagementFactory;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Fan-out benchmark for Parkway: N long polls parked on one channel, one publish, how long until the
 * last of them has its answer.
 *
 * <p>Run: {@code java bench/src/FanOut.java --port 8080 --n 1000 --rounds 5} (Java 17, no dependencies).
 *
 * <p>One thread drives every poller through one {@link Selector}: non-blocking {@link SocketChannel}s,
 * HTTP/1.1 keep-alive, responses parsed by hand (status line, {@code Content-Length} or chunked body).
 * Side requests ({@code /info}, the publish) use a plain blocking socket each. Per round:
 *
 * <ol>
 *   <li>every poller is parked: {@code GET /channels/{c}?after=<head>&timeout=<T>}, and we wait (bounded)
 *       until {@code /channels/{c}/info} reports {@code subscribers == N};
 *   <li>a publisher thread takes {@code t0 = System.nanoTime()} just before it writes {@code POST
 *       /channels/{c}}, while the selector thread keeps reading;
 *   <li>each poller's answer time is when its full response has been read and checked (200, the
 *       published seq); "last" is the slowest of the N, "median" the middle one;
 *   <li>once every poller has answered (or the round's bound has passed), they all re-park with {@code
 *       after=<new seq>}. Re-parking after the round, not as each answer arrives, keeps the poll traffic
 *       out of the measured window.
 * </ol>
 *
 * <p>Bounded: an overall deadline ({@code --deadline}, default 300 s) aborts the run with exit code 3;
 * every wait inside is bounded too. Loopback only: any target outside 127.0.0.0/8 is refused. When N is
 * over {@code --per-source} (20,000), connections are spread over the source addresses 127.0.0.1 ..
 * 127.0.0.k so no source address runs out of ephemeral ports.
 *
 * <p>Exit codes: 0 all answered correctly; 1 some poller failed (errors are counted in the table); 2 bad
 * arguments or set-up refused; 3 aborted (deadline, or the polls never all parked).
 */
public final class FanOut {
  private static final Pattern SEQ = Pattern.compile("\"seq\"\\s*:\\s*(\\d+)");
  private static final Pattern HEAD = Pattern.compile("\"head\"\\s*:\\s*(\\d+)");
  private static final Pattern SUBSCRIBERS = Pattern.compile("\"subscribers\"\\s*:\\s*(\\d+)");
  private static final Pattern TIMEOUT = Pattern.compile("\"timeout\"\\s*:\\s*true");
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
            --port 8080        Parkway's port
            --n 1000           parked polls (one connection each)
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
                               by as much)""");
      System.exit(2);
    }
  }

  // ---------------------------------------------------------------------------------------------
  // One poller: one keep-alive connection, one parked poll at a time

  enum State { CONNECTING, SENDING, PARKED, DONE, FAILED }

  static final class Poller {
    final int id;
    SocketChannel ch;
    SelectionKey key;
    State state;
    ByteBuffer out;
    byte[] in = new byte[1024];
    int inLen;
    boolean closeAfter; // the server said Connection: close
    long answeredAt; // nanoTime, 0 while unanswered this round
    String failure;

    Poller(int id) {
      this.id = id;
    }
  }

  /** A parsed HTTP response, or null while incomplete. */
  record Response(int status, String body, boolean close, int consumed) {}

  // ---------------------------------------------------------------------------------------------

  private final Options o;
  private final InetSocketAddress target;
  private final long deadlineNanos;
  private final Selector selector;
  private final ByteBuffer readBuf = ByteBuffer.allocateDirect(64 * 1024);
  private final Poller[] pollers;
  private final int sources;
  private long after; // the seq every poller parks after
  private long expectSeq;
  private int inFlight; // pollers connecting, sending or parked
  private int earlyTimeouts; // polls answered "timeout" (parked longer than --timeout): re-parked

  FanOut(Options o, InetSocketAddress target) throws IOException {
    this.o = o;
    this.target = target;
    this.deadlineNanos = System.nanoTime() + TimeUnit.SECONDS.toNanos(o.deadline);
    this.selector = Selector.open();
    this.pollers = new Poller[o.n];
    this.sources = o.n > o.perSource ? (o.n + o.perSource - 1) / o.perSource : 1;
  }

  public static void main(String[] args) throws Exception {
    Options o = Options.parse(args);
    InetAddress addr;
    try {
      addr = InetAddress.getByName(o.host);
    } catch (IOException e) {
      System.err.println("FanOut: cannot resolve " + o.host);
      System.exit(2);
      return;
    }
    if (!(addr instanceof Inet4Address) || (addr.getAddress()[0] & 0xff) != 127) {
      System.err.println("FanOut: refusing " + o.host + " (" + addr.getHostAddress()
          + "): loopback 127.0.0.0/8 only");
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

    Thread watchdog = new Thread(() -> {
      try {
        Thread.sleep(TimeUnit.SECONDS.toMillis(o.deadline));
      } catch (InterruptedException e) {
        return;
      }
      System.err.println("FanOut: ABORT: overall deadline of " + o.deadline + " s exceeded");
      System.exit(3);
    }, "fanout-deadline");
    watchdog.setDaemon(true);
    watchdog.start();

    FanOut bench = new FanOut(o, new InetSocketAddress(addr, o.port));
    int code;
    try {
      code = bench.run();
    } catch (Abort e) {
      System.err.println("FanOut: ABORT: " + e.getMessage());
      code = 3;
    } catch (IOException e) {
      System.err.println("FanOut: ABORT: " + e);
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
        "FanOut: %s:%d channel=%s n=%d rounds=%d timeout=%ds source addresses=%d%n",
        target.getAddress().getHostAddress(), o.port, o.channel, o.n, o.rounds, o.timeout, sources);
    after = ensureChannel();

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
    System.out.printf(Locale.ROOT, "FanOut: %d of %d polls parked in %.0f ms%n",
        live, o.n, ms(System.nanoTime() - rampStart));
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
    if (o.hold > 0) {
      System.out.printf("FanOut: holding %d polls parked for %d s%n", live, o.hold);
      pump(bound(o.hold), () -> false);
    }

    List<Round> results = new ArrayList<>();
    printHeader();
    for (int r = 1; r <= o.rounds; r++) {
      Round round = round(r);
      results.add(round);
      printRow(round);
      if (r < o.rounds) {
        repark();
      }
    }
    printSummary(results);
    return results.stream().allMatch(x -> x.errors == 0) ? 0 : 1;
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
    expectSeq = after + 1;

    String data = "{\"bench\":\"fanout\",\"round\":" + r + ",\"n\":" + o.n
        + (o.payload > 0 ? ",\"pad\":\"" + "x".repeat(o.payload) + "\"" : "") + "}";
    long[] t0 = new long[1];
    CompletableFuture<Blocking> publish = CompletableFuture.supplyAsync(() -> {
      try {
        return http("POST", "/channels/" + o.channel, data, 30_000, t0);
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
    Blocking pub;
    try {
      pub = publish.get(Math.max(1, (roundBound - System.nanoTime()) / 1_000_000), TimeUnit.MILLISECONDS);
    } catch (Exception e) {
      throw new Abort("round " + r + ": the publish failed: " + e);
    }
    long start = t0[0];
    if (pub.status != 201) {
      throw new Abort("round " + r + ": publish answered " + pub.status + " " + pub.body);
    }
    long seq = find(SEQ, pub.body);
    int woke = (int) find(SUBSCRIBERS, pub.body);
    if (seq != expectSeq) {
      // Someone else published on our channel: answers carried an unexpected seq.
      System.out.printf("FanOut: warning: publish got seq %d, expected %d (another publisher?)%n",
          seq, expectSeq);
    }
    double publishMs = ms(pub.finished - start);

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
    after = seq;
    int early = earlyTimeouts;
    earlyTimeouts = 0;
    return new Round(r, answered, errors,
        answered == 0 ? Double.NaN : ms(sorted[answered - 1]),
        answered == 0 ? Double.NaN : ms(sorted[(answered - 1) / 2]),
        answered == 0 ? Double.NaN : ms(sorted[(int) Math.ceil(answered * 0.99) - 1]),
        publishMs, woke, early, failures);
  }

  /** Every poller parks again after the new seq; a failed or closed one reconnects first. */
  private void repark() throws IOException {
    for (Poller p : pollers) {
      p.failure = null;
      if (p.state == State.DONE && !p.closeAfter && p.ch.isOpen()) {
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
      selector.select(Math.max(1, Math.min(50, left / 1_000_000)));
      Iterator<SelectionKey> it = selector.selectedKeys().iterator();
      while (it.hasNext()) {
        SelectionKey k = it.next();
        it.remove();
        Poller p = (Poller) k.attachment();
        if (!k.isValid()) {
          continue;
        }
        try {
          if (k.isConnectable()) {
            if (p.ch.finishConnect()) {
              send(p);
            }
          } else {
            if (k.isWritable()) {
              flush(p);
            }
            if (k.isValid() && k.isReadable()) {
              read(p);
            }
          }
        } catch (IOException e) {
          fail(p, e.getClass().getSimpleName() + ": " + e.getMessage());
        }
      }
    }
  }

  private void open(Poller p) throws IOException {
    p.failure = null;
    p.inLen = 0;
    p.closeAfter = false;
    p.answeredAt = 0;
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
    String req = "GET /channels/" + o.channel + "?after=" + after + "&timeout=" + o.timeout
        + " HTTP/1.1\r\nHost: " + o.host + ":" + o.port + "\r\nAccept: application/json\r\n\r\n";
    p.out = ByteBuffer.wrap(req.getBytes(StandardCharsets.US_ASCII));
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
      if (p.inLen + n > p.in.length) {
        p.in = Arrays.copyOf(p.in, Math.max(p.in.length * 2, p.inLen + n));
      }
      readBuf.get(p.in, p.inLen, n);
      p.inLen += n;
      Response resp = parse(p.in, p.inLen);
      if (resp != null) {
        long now = System.nanoTime();
        if (resp.consumed != p.inLen) {
          fail(p, "bytes after the response (" + (p.inLen - resp.consumed) + ")");
          return;
        }
        p.inLen = 0;
        p.closeAfter = resp.close;
        answered(p, resp, now);
        return;
      }
    }
  }

  private void answered(Poller p, Response resp, long now) throws IOException {
    if (p.state != State.PARKED && p.state != State.SENDING) {
      fail(p, "unexpected response " + resp.status + " in state " + p.state);
      return;
    }
    if (resp.status != 200) {
      fail(p, "HTTP " + resp.status + " " + abbreviate(resp.body));
      return;
    }
    if (TIMEOUT.matcher(resp.body).find()) {
      // Parked longer than --timeout (a slow ramp): park again after the same seq. If the publish has
      // already happened, the new poll is answered at once with it, late; the row reports how many.
      earlyTimeouts++;
      if (p.closeAfter) {
        close(p);
        open(p);
      } else {
        send(p);
      }
      return;
    }
    long seq = find(SEQ, resp.body);
    if (seq != expectSeq) {
      fail(p, "answer carried seq " + seq + ", expected " + expectSeq);
      return;
    }
    p.answeredAt = now;
    setState(p, State.DONE);
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

  /** Waits, reading as it goes, until /info reports exactly {@code expected} parked polls. */
  private void awaitSubscribers(int expected, String what) throws IOException {
    long until = bound(o.parkWait);
    long seen = -1;
    while (true) {
      pump(System.nanoTime() + 20_000_000L, () -> false);
      Blocking info = http("GET", "/channels/" + o.channel + "/info", null, 10_000, null);
      if (info.status != 200) {
        throw new Abort(what + ": /info answered " + info.status + " " + abbreviate(info.body));
      }
      seen = find(SUBSCRIBERS, info.body);
      int alive = live(0, o.n);
      if (alive != expected) {
        expected = alive; // a poll failed or was answered early while we waited
      }
      if (seen == expected) {
        return;
      }
      if (System.nanoTime() > until) {
        throw new Abort(what + ": /info reports " + seen + " subscribers, expected " + expected
            + " after " + o.parkWait + " s (another client on channel '" + o.channel + "'?)");
      }
    }
  }

  private long ensureChannel() throws IOException {
    String path = "/channels/" + o.channel;
    Blocking info = http("GET", path + "/info", null, 10_000, null);
    if (info.status == 404) {
      Blocking seed = http("POST", path, "{\"bench\":\"seed\"}", 10_000, null);
      if (seed.status != 201) {
        throw new Abort("seeding the channel answered " + seed.status + " " + abbreviate(seed.body));
      }
      info = http("GET", path + "/info", null, 10_000, null);
    }
    if (info.status != 200) {
      throw new Abort("/info answered " + info.status + " " + abbreviate(info.body));
    }
    long subscribers = find(SUBSCRIBERS, info.body);
    if (subscribers != 0) {
      throw new Abort("channel '" + o.channel + "' already has " + subscribers
          + " parked polls; use another --channel or wait for them to time out");
    }
    return find(HEAD, info.body);
  }

  private long bound(int seconds) {
    long b = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
    if (b - deadlineNanos > 0) {
      b = deadlineNanos;
    }
    return b;
  }

  // ---------------------------------------------------------------------------------------------
  // HTTP by hand

  /** Parses one response from {@code buf[0..len)}; null if it is not complete yet. */
  static Response parse(byte[] buf, int len) throws IOException {
    int headEnd = indexOf(buf, len, 0, "\r\n\r\n");
    if (headEnd < 0) {
      if (len > 64 * 1024) {
        throw new IOException("response head over 64 KiB");
      }
      return null;
    }
    String head = new String(buf, 0, headEnd, StandardCharsets.ISO_8859_1);
    String[] lines = head.split("\r\n");
    String[] status = lines[0].split(" ", 3);
    if (status.length < 2 || !status[0].startsWith("HTTP/1.")) {
      throw new IOException("bad status line: " + abbreviate(lines[0]));
    }
    int code = Integer.parseInt(status[1]);
    long length = -1;
    boolean chunked = false;
    boolean close = status[0].equals("HTTP/1.0");
    for (int i = 1; i < lines.length; i++) {
      int colon = lines[i].indexOf(':');
      if (colon <= 0) {
        continue;
      }
      String name = lines[i].substring(0, colon).trim().toLowerCase(Locale.ROOT);
      String value = lines[i].substring(colon + 1).trim();
      switch (name) {
        case "content-length" -> length = Long.parseLong(value);
        case "transfer-encoding" -> chunked = value.toLowerCase(Locale.ROOT).contains("chunked");
        case "connection" -> close = value.equalsIgnoreCase("close");
        default -> { }
      }
    }
    int bodyStart = headEnd + 4;
    if (chunked) {
      ByteArrayOutputStream body = new ByteArrayOutputStream();
      int pos = bodyStart;
      while (true) {
        int lineEnd = indexOf(buf, len, pos, "\r\n");
        if (lineEnd < 0) {
          return null;
        }
        String sizeLine = new String(buf, pos, lineEnd - pos, StandardCharsets.ISO_8859_1);
        int semi = sizeLine.indexOf(';');
        int size = Integer.parseInt((semi < 0 ? sizeLine : sizeLine.substring(0, semi)).trim(), 16);
        pos = lineEnd + 2;
        if (size == 0) {
          int end = indexOf(buf, len, pos, "\r\n"); // no trailers expected: just the final CRLF
          if (end < 0) {
            return null;
          }
          return new Response(code, body.toString(StandardCharsets.UTF_8), close, end + 2);
        }
        if (pos + size + 2 > len) {
          return null;
        }
        body.write(buf, pos, size);
        pos += size + 2;
      }
    }
    if (length < 0) {
      // No length and not chunked: only a 204/304 may do that on a keep-alive connection.
      if (code == 204 || code == 304) {
        return new Response(code, "", close, bodyStart);
      }
      throw new IOException("response without Content-Length (HTTP " + code + ")");
    }
    if (bodyStart + length > len) {
      return null;
    }
    return new Response(code, new String(buf, bodyStart, (int) length, StandardCharsets.UTF_8),
        close, bodyStart + (int) length);
  }

  private static int indexOf(byte[] buf, int len, int from, String s) {
    outer:
    for (int i = from; i <= len - s.length(); i++) {
      for (int j = 0; j < s.length(); j++) {
        if (buf[i + j] != s.charAt(j)) {
          continue outer;
        }
      }
      return i;
    }
    return -1;
  }

  record Blocking(int status, String body, long finished) {}

  /**
   * One request on its own blocking connection ({@code Connection: close}). When {@code t0} is given,
   * {@code t0[0]} is set to {@code System.nanoTime()} just before the request is written.
   */
  private Blocking http(String method, String path, String body, int timeoutMs, long[] t0)
      throws IOException {
    byte[] payload = body == null ? new byte[0] : body.getBytes(StandardCharsets.UTF_8);
    StringBuilder req = new StringBuilder()
        .append(method).append(' ').append(path).append(" HTTP/1.1\r\n")
        .append("Host: ").append(o.host).append(':').append(o.port).append("\r\n")
        .append("Accept: application/json\r\nConnection: close\r\n");
    if (body != null) {
      req.append("Content-Type: application/json\r\nContent-Length: ").append(payload.length)
          .append("\r\n");
    }
    req.append("\r\n");
    byte[] headBytes = req.toString().getBytes(StandardCharsets.US_ASCII);
    byte[] all = Arrays.copyOf(headBytes, headBytes.length + payload.length);
    System.arraycopy(payload, 0, all, headBytes.length, payload.length);
    try (Socket s = new Socket()) {
      s.setTcpNoDelay(true);
      s.setSoTimeout(timeoutMs);
      s.connect(target, timeoutMs);
      OutputStream out = s.getOutputStream();
      InputStream in = s.getInputStream();
      if (t0 != null) {
        t0[0] = System.nanoTime();
      }
      out.write(all);
      out.flush();
      byte[] buf = new byte[4096];
      int len = 0;
      while (true) {
        Response r = parse(buf, len);
        if (r != null) {
          return new Blocking(r.status, r.body, System.nanoTime());
        }
        if (len == buf.length) {
          buf = Arrays.copyOf(buf, buf.length * 2);
        }
        int n = in.read(buf, len, buf.length - len);
        if (n < 0) {
          throw new IOException(method + " " + path + ": connection closed before a full response");
        }
        len += n;
      }
    }
  }

  private static long find(Pattern p, String s) {
    Matcher m = p.matcher(s);
    return m.find() ? Long.parseLong(m.group(1)) : -1;
  }

  private static String abbreviate(String s) {
    s = s.replaceAll("[\\r\\n]+", " ");
    return s.length() > 160 ? s.substring(0, 160) + "..." : s;
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

  private void printSummary(List<Round> rounds) {
    double[] last = rounds.stream().mapToDouble(Round::lastMs).sorted().toArray();
    double[] median = rounds.stream().mapToDouble(Round::medianMs).sorted().toArray();
    int errors = rounds.stream().mapToInt(Round::errors).sum();
    System.out.printf(Locale.ROOT,
        "SUMMARY N=%d rounds=%d: last_ms median %.1f max %.1f | median_ms median %.1f max %.1f | errors %d%n",
        o.n, rounds.size(), medianOf(last), last[last.length - 1], medianOf(median),
        median[median.length - 1], errors);
  }

  private static double medianOf(double[] sorted) {
    int n = sorted.length;
    return n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
  }
}
