package dev.parkway.client;

import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * A running long-poll loop (see {@link ParkwayClient#subscribe} and {@link ParkwayClient#mailbox}). It
 * polls on its own thread, follows the cursor of every answer, calls its {@link SubscriptionListener},
 * and after a failure backs off (exponential, full jitter, at least the server's {@code Retry-After})
 * and tries again, until it is closed or meets an error that retrying cannot fix.
 */
public final class Subscription implements AutoCloseable {
  private final ParkwayClient client;
  private final String path;
  private final List<String> fixedQuery;
  private final SubscriptionListener listener;
  private final SubscribeOptions options;
  private final boolean mailbox;

  private volatile String cursor;
  private volatile boolean closed;
  private volatile CompletableFuture<HttpResponse<String>> inFlight;
  private volatile Thread thread;

  Subscription(ParkwayClient client, String path, List<String> fixedQuery, SubscriptionListener listener,
      SubscribeOptions options, boolean mailbox) {
    this.client = client;
    this.path = path;
    this.fixedQuery = List.copyOf(fixedQuery);
    this.listener = listener;
    this.options = options;
    this.mailbox = mailbox;
    this.cursor = options.after();
  }

  void start(ThreadFactory factory) {
    Thread t = factory.newThread(this::run);
    if (t == null) {
      throw new IllegalStateException("the thread factory made no thread");
    }
    thread = t;
    t.start();
  }

  /**
   * The cursor after the last answer the listener fully handled (null before the first answer when the
   * subscription started at the head). Persist it and pass it to {@link SubscribeOptions#after} to
   * resume where this subscription stopped.
   */
  public String cursor() {
    return cursor;
  }

  /** True until the subscription thread has ended. */
  public boolean isRunning() {
    Thread t = thread;
    return t != null && t.isAlive();
  }

  /**
   * Stops the subscription: cancels the poll in flight, interrupts the subscription thread (a listener
   * call under way sees the interrupt) and waits for it to end (up to the client's close timeout). A
   * mailbox first acknowledges the messages its listener handled. Idempotent; may be called from a
   * listener, and then returns without waiting.
   */
  @Override
  public void close() {
    closed = true;
    CompletableFuture<HttpResponse<String>> f = inFlight;
    if (f != null) {
      f.cancel(true);
    }
    Thread t = thread;
    if (t == null || t == Thread.currentThread()) {
      return;
    }
    t.interrupt();
    try {
      t.join(client.closeTimeout().toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private void run() {
    String pollCursor = options.after();
    long since = options.since();
    int failures = 0;
    boolean unacknowledged = false;
    Throwable cause = null;
    try {
      while (!closed) {
        HttpResponse<String> resp;
        try {
          resp = poll(pollCursor, since, options.timeout());
        } catch (CancellationException | InterruptedException e) {
          if (closed) {
            break;
          }
          continue; // interrupted by someone else: poll again
        } catch (ExecutionException e) {
          Throwable error = e.getCause() != null ? e.getCause() : e;
          if (closed) {
            break;
          }
          error(error);
          if (!pause(++failures, null)) {
            break;
          }
          continue;
        }
        if (resp.statusCode() != 200) {
          ParkwayException refusal = ParkwayClient.refusal(resp);
          error(refusal);
          if (!refusal.retryable()) {
            cause = refusal;
            break;
          }
          if (!pause(++failures, refusal.retryAfter().orElse(null))) {
            break;
          }
          continue;
        }
        unacknowledged = false; // the server acknowledged everything up to pollCursor
        PollAnswer answer;
        try {
          answer = PollAnswer.parse(resp.body());
        } catch (JsonException e) {
          error(new ParkwayException("unreadable poll answer: " + e.getMessage(), e));
          if (!pause(++failures, null)) {
            break;
          }
          continue;
        }
        try {
          for (Gap gap : answer.gaps) {
            listener.onGap(gap);
          }
          for (Event event : answer.events) {
            listener.onEvent(event);
          }
        } catch (Throwable t) {
          if (closed) {
            break; // not acknowledged: a mailbox will deliver these again
          }
          error(t);
          if (t instanceof Error && !(t instanceof AssertionError)) {
            cause = t;
            break;
          }
          if (!pause(++failures, null)) {
            break;
          }
          continue; // the same cursor again: the same events again
        }
        failures = 0;
        pollCursor = answer.cursor;
        since = -1;
        cursor = answer.cursor;
        unacknowledged = mailbox && !answer.events.isEmpty();
        if (answer.superseded) {
          safely(listener::onSuperseded);
          break;
        }
      }
      if (unacknowledged) {
        acknowledge(pollCursor);
      }
    } catch (Throwable t) {
      cause = t;
    } finally {
      inFlight = null;
      client.forget(this);
      Throwable c = cause;
      safely(() -> listener.onClosed(c));
    }
  }

  private HttpResponse<String> poll(String after, long since, Duration timeout)
      throws InterruptedException, ExecutionException {
    StringBuilder q = new StringBuilder();
    for (String part : fixedQuery) {
      q.append(q.length() == 0 ? '?' : '&').append(part);
    }
    if (after != null) {
      q.append(q.length() == 0 ? '?' : '&').append("after=").append(ParkwayClient.encode(after));
    } else if (since >= 0) {
      q.append(q.length() == 0 ? '?' : '&').append("since=").append(since);
    }
    q.append(q.length() == 0 ? '?' : '&').append("timeout=").append(seconds(timeout));
    if (options.limit() > 0) {
      q.append("&limit=").append(options.limit());
    }
    HttpRequest req = client.request(URI.create(path + q), timeout.plus(client.pollMargin())).GET().build();
    CompletableFuture<HttpResponse<String>> f =
        client.http().sendAsync(req, HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
    inFlight = f;
    try {
      if (closed) {
        f.cancel(true);
        throw new CancellationException();
      }
      return f.get();
    } catch (InterruptedException e) {
      f.cancel(true);
      throw e;
    } finally {
      inFlight = null;
    }
  }

  /** A last {@code timeout=0} poll with the handled answer's cursor, so the server deletes those messages. */
  private void acknowledge(String after) {
    Thread.interrupted(); // close() interrupted this thread; the acknowledgement must still go out
    try {
      HttpRequest req = client.request(
              URI.create(path + "?after=" + ParkwayClient.encode(after) + "&timeout=0&limit=1"),
              client.closeTimeout())
          .GET()
          .build();
      client.http()
          .sendAsync(req, HttpResponse.BodyHandlers.discarding())
          .get(client.closeTimeout().toMillis(), TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (ExecutionException | TimeoutException | RuntimeException e) {
      // not acknowledged: the messages will be delivered again, which is the safe side
    }
  }

  /** Waits the backoff delay; false if the subscription was closed meanwhile. */
  private boolean pause(int attempt, Duration retryAfter) {
    if (closed) {
      return false;
    }
    Duration delay = client.backoff().delay(attempt, retryAfter);
    try {
      client.backoff().sleep(delay);
    } catch (InterruptedException e) {
      return !closed;
    }
    return !closed;
  }

  private void error(Throwable t) {
    safely(() -> listener.onError(t));
  }

  private static void safely(Runnable r) {
    try {
      r.run();
    } catch (RuntimeException e) {
      // a listener's failure in onError/onSuperseded/onClosed has nowhere else to go
    }
  }

  /** Seconds with up to three decimals, as the server wants them: 500 ms is "0.5". */
  static String seconds(Duration d) {
    long ms = d.toMillis();
    long whole = ms / 1000;
    long frac = ms % 1000;
    if (frac == 0) {
      return Long.toString(whole);
    }
    String f = String.format("%03d", frac);
    while (f.endsWith("0")) {
      f = f.substring(0, f.length() - 1);
    }
    return whole + "." + f;
  }

  @Override
  public String toString() {
    return "Subscription[" + path + (fixedQuery.isEmpty() ? "" : "?" + String.join("&", fixedQuery))
        + ", running=" + isRunning() + "]";
  }
}
