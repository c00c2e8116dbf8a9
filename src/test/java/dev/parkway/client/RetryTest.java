package dev.parkway.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.random.RandomGenerator;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Backoff and close against a scripted server (the JDK's own HttpServer): each request takes the next
 * scripted answer; when the script is used up, requests are held open like parked polls.
 */
class RetryTest {
  private static final Duration PATIENCE = Duration.ofSeconds(20);
  private static final String UNAVAILABLE = "{\"error\":\"store_unavailable\",\"message\":\"try again shortly\"}";
  /** Jitter that always picks (nearly) the top of the range, so the chosen delays show the growth. */
  private static final RandomGenerator TOP = new RandomGenerator() {
    @Override
    public long nextLong() {
      return Long.MAX_VALUE;
    }

    @Override
    public double nextDouble() {
      return 0.999;
    }
  };

  private record Scripted(int status, String retryAfter, String body) {}

  private final Deque<Scripted> script = new ArrayDeque<>();
  private final List<String> requests = new CopyOnWriteArrayList<>();
  private final List<Duration> delays = new CopyOnWriteArrayList<>();
  private final CountDownLatch release = new CountDownLatch(1);
  private HttpServer server;
  private ExecutorService executor;
  private ParkwayClient client;

  @BeforeEach
  void startServer() throws IOException {
    executor = Executors.newCachedThreadPool();
    server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.setExecutor(executor);
    server.createContext("/", this::handle);
    server.start();
    client = ParkwayClient.builder("http://127.0.0.1:" + server.getAddress().getPort())
        .backoff(Backoff.exponential(Duration.ofMillis(10), Duration.ofSeconds(1))
            .withRandom(TOP)
            .withSleeper(delays::add)) // record the delay instead of waiting
        .build();
  }

  @AfterEach
  void stopServer() {
    client.close();
    release.countDown();
    server.stop(0);
    executor.shutdownNow();
  }

  private void handle(HttpExchange exchange) throws IOException {
    requests.add(exchange.getRequestURI().toString());
    Scripted answer;
    synchronized (script) {
      answer = script.poll();
    }
    if (answer == null) {
      try {
        release.await(30, TimeUnit.SECONDS); // a parked poll, until the test ends
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      answer = new Scripted(200, null, "{\"events\":[],\"cursor\":\"held\",\"more\":false,\"timeout\":true}");
    }
    byte[] body = answer.body().getBytes(StandardCharsets.UTF_8);
    exchange.getResponseHeaders().set("Content-Type", "application/json;charset=UTF-8");
    if (answer.retryAfter() != null) {
      exchange.getResponseHeaders().set("Retry-After", answer.retryAfter());
    }
    try (OutputStream out = exchange.getResponseBody()) {
      exchange.sendResponseHeaders(answer.status(), body.length);
      out.write(body);
    } catch (IOException e) {
      // the client went away (a cancelled poll)
    }
  }

  private void script(int status, String retryAfter, String body) {
    synchronized (script) {
      script.add(new Scripted(status, retryAfter, body));
    }
  }

  @Test
  void backsOffExponentiallyHonoursRetryAfterAndStartsOverAfterASuccess() {
    script(503, null, UNAVAILABLE);
    script(503, null, UNAVAILABLE);
    script(503, null, UNAVAILABLE);
    script(503, "2", "{\"error\":\"shutting_down\",\"message\":\"stopping\"}");
    script(429, "1", "{\"error\":\"too_many\",\"message\":\"slow down\"}");
    script(200, null, "{\"events\":[{\"channel\":\"news\",\"seq\":1,\"timestamp\":5,\"data\":{\"a\":1}}],\"cursor\":\"c1\",\"more\":false}");
    script(502, null, "<html>bad gateway</html>");
    Recorder recorder = new Recorder();

    client.subscribe(List.of("news"), recorder, SubscribeOptions.defaults().withTimeout(Duration.ofMillis(500)));

    await().atMost(PATIENCE).until(() -> requests.size() == 8); // the eighth is held open
    assertThat(recorder.events).extracting(Event::dataJson).containsExactly("{\"a\":1}");
    assertThat(delays).hasSize(6);
    assertThat(delays.subList(0, 3)).isSorted().doesNotHaveDuplicates();
    assertThat(delays.get(0)).isEqualTo(Duration.ofMillis(9)); // 0.999 of 10 ms, 20 ms, 40 ms
    assertThat(delays.get(1)).isEqualTo(Duration.ofMillis(19));
    assertThat(delays.get(2)).isEqualTo(Duration.ofMillis(39));
    assertThat(delays.get(3)).isEqualTo(Duration.ofSeconds(2)); // Retry-After beats the 79 ms backoff
    assertThat(delays.get(4)).isEqualTo(Duration.ofSeconds(1)); // and again on 429
    assertThat(delays.get(5)).isEqualTo(Duration.ofMillis(9)); // a success resets the growth
    assertThat(recorder.errors).extracting(e -> ((ParkwayException) e).status())
        .containsExactly(503, 503, 503, 503, 429, 502);
    assertThat(((ParkwayException) recorder.errors.get(3)).error()).isEqualTo("shutting_down");
    assertThat(((ParkwayException) recorder.errors.get(5)).error()).isNull();
    assertThat(requests.subList(0, 6)).allMatch(uri -> uri.equals("/channels/news?timeout=0.5"));
    assertThat(requests.subList(6, 8)).allMatch(uri -> uri.equals("/channels/news?after=c1&timeout=0.5"));
  }

  @Test
  void backoffIsCappedAndFullyJittered() {
    Backoff backoff = Backoff.exponential(Duration.ofMillis(100), Duration.ofSeconds(3)).withRandom(TOP);
    assertThat(backoff.delay(30, null)).isEqualTo(Duration.ofMillis(2997));
    assertThat(backoff.delay(1000, null)).isEqualTo(Duration.ofMillis(2997));
    Backoff low = backoff.withRandom(new RandomGenerator() {
      @Override
      public long nextLong() {
        return 0;
      }

      @Override
      public double nextDouble() {
        return 0.0;
      }
    });
    assertThat(low.delay(5, null)).isZero();
    assertThat(low.delay(5, Duration.ofSeconds(4))).isEqualTo(Duration.ofSeconds(4));
    assertThat(ParkwayClient.retryAfter("7")).isEqualTo(Duration.ofSeconds(7));
    assertThat(ParkwayClient.retryAfter("Wed, 21 Oct 2015 07:28:00 GMT")).isZero();
    assertThat(ParkwayClient.retryAfter("soon")).isNull();
  }

  @Test
  void closeCancelsTheRequestInFlightAndNothingIsSentAfterIt() {
    Recorder recorder = new Recorder();
    Subscription sub = client.subscribe(List.of("news", "scores.*"), recorder, SubscribeOptions.after("cur").withTimeout(Duration.ofSeconds(30)));
    await().atMost(PATIENCE).until(() -> requests.size() == 1); // held open by the server

    assertTimeoutPreemptively(Duration.ofSeconds(5), sub::close); // not the 30 s poll

    assertThat(sub.isRunning()).isFalse();
    assertThat(recorder.closedCalls).hasValue(1);
    assertThat(recorder.closedCause.get()).isNull();
    assertThat(recorder.errors).isEmpty();
    release.countDown(); // the server now answers the abandoned poll; the client must not poll again
    assertThat(sub.isRunning()).isFalse();
    assertThat(requests).containsExactly("/poll?channel=news&channel=scores.*&after=cur&timeout=30");
    assertThat(sub.cursor()).isEqualTo("cur");
  }

  @Test
  void aListenerThatClosesItsOwnSubscriptionEndsItCleanly() {
    script(200, null, "{\"events\":[{\"client\":\"me\",\"seq\":1,\"timestamp\":5,\"data\":1}],\"cursor\":\"c1\",\"more\":false}");
    script(200, null, "{\"events\":[],\"cursor\":\"c1\",\"more\":false,\"timeout\":true}"); // the acknowledgement
    Recorder recorder = new Recorder();
    Subscription[] self = new Subscription[1];
    CountDownLatch started = new CountDownLatch(1);
    self[0] = client.mailbox("me", new SubscriptionListener() {
      @Override
      public void onEvent(Event event) throws Exception {
        started.await();
        recorder.onEvent(event);
        self[0].close();
      }

      @Override
      public void onClosed(Throwable cause) {
        recorder.onClosed(cause);
      }
    }, SubscribeOptions.defaults().withTimeout(Duration.ofMillis(500)));
    started.countDown();
    await().atMost(PATIENCE).until(() -> recorder.closedCalls.get() == 1);
    await().atMost(PATIENCE).until(() -> !self[0].isRunning());
    assertThat(recorder.events).hasSize(1);
    // the handled message was acknowledged on the way out
    assertThat(requests).containsExactly("/clients/me/messages?timeout=0.5", "/clients/me/messages?after=c1&timeout=0&limit=1");
  }
}
