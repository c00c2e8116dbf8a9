package dev.parkway.fuzz;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.parkway.core.Broker;
import dev.parkway.testing.EmbeddedParkway;
import java.time.Duration;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.atomic.LongAdder;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * Sends {@code -Dparkway.fuzz.requests} (10,000) generated malformed and odd requests over raw sockets to a
 * Parkway with short limits, and checks every answer ({@link AnswerChecker}): no 500, no other 5xx but 503
 * shutting_down/store_unavailable and the Gin route's 504 timeout, every 4xx a JSON error except the
 * container's own refusals, nothing hanging. The run's seed is printed; {@code -Dparkway.fuzz.seed=N}
 * replays it (request {@code i} depends only on the seed and {@code i}). The first failure stops the run
 * and is reported with the exact request.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class RequestFuzzTest {
  static final int TIMEOUT_MILLIS = 5000;
  private static final int WORKERS = 48;

  private EmbeddedParkway server;

  static Map<String, String> shortLimits() {
    return EmbeddedParkway.settings(
        "parkway.poll.timeout.max", "1",
        "parkway.poll.timeout.default", "0.05",
        "parkway.body.max", Integer.toString(RequestGenerator.BODY_MAX),
        "parkway.sse.heartbeat", "0.2",
        "parkway.compat.gin.timeout", "0.05",
        "parkway.compat.broadcast.timeout", "0.05",
        "parkway.compat.chat.timeout", "0.05",
        "parkway.compat.golongpoll.timeout.max", "1",
        "parkway.poll.container-margin", "1");
  }

  @BeforeAll
  void start() {
    server = EmbeddedParkway.start(shortLimits());
  }

  @AfterAll
  void stop() {
    if (server != null) {
      server.close();
    }
  }

  @Test
  void everyOddRequestGetsAWellFormedAnswerAndNothingStaysParked() throws Exception {
    long seed = Long.getLong("parkway.fuzz.seed", ThreadLocalRandom.current().nextLong());
    long requests = Long.getLong("parkway.fuzz.requests", 10_000);
    long only = Long.getLong("parkway.fuzz.only", -1); // replays just request N of the seed
    System.out.println("parkway fuzz: seed " + seed + " (replay with -Dparkway.fuzz.seed=" + seed + "), "
        + requests + " requests");

    Map<String, LongAdder> classes = new ConcurrentHashMap<>();
    AtomicLong next = new AtomicLong(Math.max(only, 0));
    if (only >= 0) {
      requests = only + 1;
    }
    AtomicReference<String> firstFailure = new AtomicReference<>();
    FuzzClient client = new FuzzClient(server.port(), TIMEOUT_MILLIS);
    AnswerChecker checker = new AnswerChecker();
    long started = System.nanoTime();

    ExecutorService pool = Executors.newFixedThreadPool(WORKERS);
    try {
      Future<?>[] workers = new Future<?>[WORKERS];
      for (int w = 0; w < WORKERS; w++) {
        long end = requests;
        workers[w] = pool.submit(() -> {
          long i;
          while (firstFailure.get() == null && (i = next.getAndIncrement()) < end) {
            FuzzRequest request = new RequestGenerator(seed, i).next();
            String failure = null;
            try {
              FuzzClient.Result result = client.exchange(request);
              try {
                String kind = checker.check(request, result);
                classes.computeIfAbsent(kind, k -> new LongAdder()).increment();
              } catch (AnswerChecker.Violation v) {
                failure = v.getMessage() + "\n--- answer ---\n" + result.statusLine() + "\n" + result.headers()
                    + "\n" + FuzzRequest.escape(result.body(), 2000);
              }
            } catch (Exception e) {
              failure = "the exchange failed: " + e;
            }
            if (failure != null) {
              firstFailure.compareAndSet(null, "request " + i + " of seed " + seed
                  + " (replay: -Dparkway.fuzz.seed=" + seed + "): " + failure
                  + "\n--- request (escaped) ---\n" + request.escaped());
            }
          }
          return null;
        });
      }
      for (Future<?> worker : workers) {
        worker.get(10, TimeUnit.MINUTES);
      }
    } finally {
      pool.shutdownNow();
    }
    long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started);
    System.out.println("parkway fuzz: " + (Math.min(next.get(), requests) - Math.max(only, 0)) + " requests in " + millis + " ms: "
        + new TreeMap<>(toCounts(classes)));

    assertThat(firstFailure.get()).as("first failure").isNull();

    FuzzClient.Result health = client.exchange(new FuzzRequest(FuzzRequest.ascii(
        "GET /health HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n"), "GET", "/health",
        false, false, false, false));
    assertThat(health.status()).as("GET /health after the run").isEqualTo(200);

    Broker broker = server.broker();
    await("parked polls drain").pollDelay(Duration.ZERO).pollInterval(Duration.ofMillis(10))
        .atMost(Duration.ofSeconds(15)).until(() -> broker.parkedCount() == 0);
    await("open streams drain").pollDelay(Duration.ZERO).pollInterval(Duration.ofMillis(10))
        .atMost(Duration.ofSeconds(15)).until(() -> broker.watcherCount() == 0);
  }

  private static Map<String, Long> toCounts(Map<String, LongAdder> classes) {
    Map<String, Long> counts = new TreeMap<>();
    classes.forEach((k, v) -> counts.put(k, v.sum()));
    return counts;
  }
}
