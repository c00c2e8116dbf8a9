import dev.parkway.config.Config;
import dev.parkway.core.Retention;
import dev.parkway.store.file.JournalStore;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;

/**
 * The file store's benchmark: publish throughput (1 and 16 publishing threads, fsync=always and
 * fsync=interval) and restart time with 1,000,000 events, for Parkway's own journal and, side by side,
 * for the same store built on H2's MVStore (an embedded B-tree store), to choose between them.
 *
 * <p>Both candidates are driven the same way: publishers call {@code append(channel, data)} and wait;
 * one writer thread takes whatever is queued, stores it, and with fsync=always forces the file once per
 * batch (group commit) before releasing the publishers; with fsync=interval it releases them after the
 * write and forces at most 50 ms later. Restart is "open the directory until the store can answer":
 * the journal replays its segments and rebuilds its index; MVStore opens its file and loads the channel
 * heads (it reads events from its B-tree on demand).
 *
 * <p>Run it from the project directory with the test class path and H2 MVStore on it: {@code
 * bench/journal.sh} does that (see bench/README.md). Bounded: every throughput cell runs
 * {@code --seconds} (5), the fill of {@code --events} (1,000,000) stops at {@code --deadline} (600 s).
 * Writes only under {@code --dir} (default target/bench/journal).
 */
public final class JournalBench {
  private static final Retention KEEP_ALL = new Retention(10_000_000, Duration.ZERO, Duration.ofMinutes(10));

  interface Candidate extends AutoCloseable {
    void append(String channel, String data);

    @Override
    void close();
  }

  interface Opener {
    Candidate open(Path dir, String fsync) throws Exception;
  }

  public static void main(String[] args) throws Exception {
    Map<String, String> opt = options(args);
    long events = Long.parseLong(opt.getOrDefault("events", "1000000"));
    int seconds = Integer.parseInt(opt.getOrDefault("seconds", "5"));
    int channels = Integer.parseInt(opt.getOrDefault("channels", "100"));
    int payload = Integer.parseInt(opt.getOrDefault("payload", "100"));
    int restarts = Integer.parseInt(opt.getOrDefault("restarts", "3"));
    long deadline = System.nanoTime() + Duration.ofSeconds(Long.parseLong(opt.getOrDefault("deadline", "600"))).toNanos();
    Path root = Path.of(opt.getOrDefault("dir", "target/bench/journal"));
    List<String> which = Arrays.asList(opt.getOrDefault("candidates", "journal,mvstore").split(","));
    String data = data(payload);

    Map<String, Opener> candidates = new java.util.LinkedHashMap<>();
    candidates.put("journal", (dir, fsync) -> journal(dir, fsync));
    candidates.put("mvstore", (dir, fsync) -> MvStoreCandidate.open(dir, fsync));

    System.out.printf(Locale.ROOT, "JournalBench: %d CPUs, java %s, %d channels, data %d bytes, %d s per cell%n",
        Runtime.getRuntime().availableProcessors(), System.getProperty("java.version"), channels,
        data.length(), seconds);
    System.out.println();
    System.out.println("candidate  fsync     threads  publishes/s");
    for (String name : which) {
      for (String fsync : List.of("always", "interval")) {
        for (int threads : new int[] {1, 16}) {
          Path dir = fresh(root.resolve(name + "-" + fsync + "-" + threads));
          try (Candidate c = candidates.get(name).open(dir, fsync)) {
            run(c, threads, channels, data, 1, Long.MAX_VALUE, deadline); // warm-up
            long n = run(c, threads, channels, data, seconds, Long.MAX_VALUE, deadline);
            System.out.printf(Locale.ROOT, "%-10s %-9s %7d  %11.0f%n", name, fsync, threads, n / (double) seconds);
          }
          delete(dir);
        }
      }
    }
    System.out.println();
    System.out.println("candidate  events     fill s  disk MB  bytes/event  restart ms (each run)        heap after restart MB");
    for (String name : which) {
      Path dir = fresh(root.resolve(name + "-restart"));
      long started = System.nanoTime();
      long n;
      try (Candidate c = candidates.get(name).open(dir, "interval")) {
        n = run(c, 16, channels, data, Integer.MAX_VALUE, events, deadline);
      }
      double fill = (System.nanoTime() - started) / 1e9;
      long bytes = size(dir);
      List<Long> times = new ArrayList<>();
      long heap = 0;
      for (int i = 0; i < restarts; i++) {
        long before = usedHeap();
        long t0 = System.nanoTime();
        Candidate c = candidates.get(name).open(dir, "interval");
        times.add((System.nanoTime() - t0) / 1_000_000);
        heap = usedHeap() - before;
        c.close();
      }
      System.out.printf(Locale.ROOT, "%-10s %9d  %6.1f  %7.1f  %11.1f  %-28s %6.1f%n", name, n, fill,
          bytes / 1e6, bytes / (double) n, times, heap / 1e6);
      delete(dir);
    }
  }

  /** Publishes from {@code threads} threads for {@code seconds} or until {@code total}; returns how many. */
  private static long run(Candidate c, int threads, int channels, String data, int seconds, long total, long deadline)
      throws InterruptedException {
    AtomicLong done = new AtomicLong();
    AtomicLong claimed = new AtomicLong();
    long end = seconds == Integer.MAX_VALUE ? deadline : Math.min(deadline, System.nanoTime() + seconds * 1_000_000_000L);
    List<Thread> workers = new ArrayList<>();
    for (int t = 0; t < threads; t++) {
      Thread w = new Thread(() -> {
        long i;
        while ((i = claimed.getAndIncrement()) < total && System.nanoTime() < end) {
          c.append("bench." + (i % channels), data);
          done.incrementAndGet();
        }
      });
      w.start();
      workers.add(w);
    }
    for (Thread w : workers) {
      w.join();
    }
    return done.get();
  }

  private static Candidate journal(Path dir, String fsync) {
    JournalStore store = new JournalStore(
        new Config.FileStore(dir, fsync, Duration.ofMillis(50), 64 << 20), k -> KEEP_ALL, Clock.systemUTC());
    return new Candidate() {
      @Override
      public void append(String channel, String data) {
        store.append(channel, data, null);
      }

      @Override
      public void close() {
        store.close();
      }
    };
  }

  /**
   * The same store on H2 MVStore (the class path must hold
   * h2-mvstore). Events live in one map keyed by channel and seq, heads in another; one writer thread
   * puts a batch, commits, and with fsync=always syncs, like the journal's writer.
   */
  static final class MvStoreCandidate implements Candidate {
    private final org.h2.mvstore.MVStore store;
    private final org.h2.mvstore.MVMap<String, String> events;
    private final org.h2.mvstore.MVMap<String, Long> heads;
    private final Map<String, Long> headCache = new HashMap<>();
    private final boolean always;
    private final LinkedBlockingQueue<Object[]> queue = new LinkedBlockingQueue<>();
    private final Thread writer;
    private volatile boolean closing;
    private long lastSync = System.nanoTime();

    private MvStoreCandidate(Path dir, boolean always) throws IOException {
      Files.createDirectories(dir);
      // Auto-commit off: with MVStore's background thread on, commit() hands the chunk to executors and
      // returns before it is written, so sync() would not make the batch durable. Measured both ways:
      // the background thread did not shrink the file either (about 6.4 KB per event at 1,000,000).
      this.store = new org.h2.mvstore.MVStore.Builder()
          .fileName(dir.resolve("parkway.mv.db").toString())
          .autoCommitDisabled()
          .open();
      this.events = store.openMap("events");
      this.heads = store.openMap("heads");
      headCache.putAll(heads); // what a restart needs before it can answer: every channel's head
      this.always = always;
      this.writer = new Thread(this::write, "mvstore-writer");
      writer.start();
    }

    static Candidate open(Path dir, String fsync) throws IOException {
      return new MvStoreCandidate(dir, fsync.equals("always"));
    }

    @Override
    public void append(String channel, String data) {
      CompletableFuture<Long> done = new CompletableFuture<>();
      queue.add(new Object[] {channel, data, done});
      done.join();
    }

    @SuppressWarnings("unchecked")
    private void write() {
      List<Object[]> batch = new ArrayList<>();
      try {
        while (!closing || !queue.isEmpty()) {
          Object[] first = queue.poll(10, java.util.concurrent.TimeUnit.MILLISECONDS);
          if (first == null) {
            maybeSync();
            continue;
          }
          batch.add(first);
          queue.drainTo(batch);
          List<Long> seqs = new ArrayList<>(batch.size());
          for (Object[] e : batch) {
            String channel = (String) e[0];
            long seq = headCache.merge(channel, 1L, Long::sum);
            events.put(channel + '\u0000' + String.format("%019d", seq), System.currentTimeMillis() + ":" + e[1]);
            heads.put(channel, seq);
            seqs.add(seq);
          }
          store.commit();
          if (always) {
            store.sync();
          } else {
            maybeSync();
          }
          for (int i = 0; i < batch.size(); i++) {
            ((CompletableFuture<Long>) batch.get(i)[2]).complete(seqs.get(i));
          }
          batch.clear();
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }

    private void maybeSync() {
      if (!always && System.nanoTime() - lastSync > 50_000_000L) {
        store.sync();
        lastSync = System.nanoTime();
      }
    }

    @Override
    public void close() {
      closing = true;
      try {
        writer.join();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      store.close();
    }
  }

  private static String data(int bytes) {
    StringBuilder sb = new StringBuilder("{\"text\":\"");
    while (sb.length() < bytes - 2) {
      sb.append((char) ('a' + sb.length() % 26));
    }
    return sb.append("\"}").toString();
  }

  private static long usedHeap() {
    for (int i = 0; i < 3; i++) {
      System.gc();
    }
    Runtime r = Runtime.getRuntime();
    return r.totalMemory() - r.freeMemory();
  }

  private static Path fresh(Path dir) throws IOException {
    delete(dir);
    Files.createDirectories(dir);
    return dir;
  }

  private static long size(Path dir) throws IOException {
    try (Stream<Path> files = Files.walk(dir)) {
      return files.filter(Files::isRegularFile).mapToLong(p -> p.toFile().length()).sum();
    }
  }

  private static void delete(Path dir) throws IOException {
    if (!Files.exists(dir)) {
      return;
    }
    try (Stream<Path> files = Files.walk(dir)) {
      for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
        Files.delete(p);
      }
    }
  }

  private static Map<String, String> options(String[] args) {
    Map<String, String> out = new HashMap<>();
    for (int i = 0; i < args.length; i++) {
      if (args[i].equals("--help")) {
        System.out.println("options: --events N --seconds S --channels C --payload B --restarts R --deadline S"
            + " --dir D --candidates journal,mvstore");
        System.exit(0);
      }
      if (!args[i].startsWith("--") || i + 1 >= args.length) {
        System.err.println("bad argument " + args[i] + " (--help)");
        System.exit(2);
      }
      out.put(args[i].substring(2), args[++i]);
    }
    return out;
  }
}
