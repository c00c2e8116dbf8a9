package dev.parkway.transport.sse;

import dev.parkway.config.Config;
import dev.parkway.core.Broker;
import dev.parkway.core.Cursor;
import dev.parkway.core.Start;
import dev.parkway.core.Subscription;
import dev.parkway.core.Timer;
import dev.parkway.core.TooManyPollsException;
import dev.parkway.transport.http.ApiException;
import jakarta.servlet.AsyncContext;
import jakarta.servlet.ServletOutputStream;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.lang.System.Logger.Level;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Opens SSE streams: the one entry to the stream machinery, shared by the native routes ({@link
 * NativeFormat}) and the compatibility routes (their own {@link SseFormat}). Holds no per-stream state
 * (open streams are counted by {@link Broker#watcherCount()}); thread-safe.
 */
public final class SseStreams {
  public static final String CONTENT_TYPE = "text/event-stream;charset=UTF-8";
  private static final System.Logger LOG = System.getLogger(SseStreams.class.getName());

  private final Broker broker;
  private final Timer timer;
  private final long heartbeatMillis;
  private final int bufferMax;
  private final int readLimit;
  private final long retryAfterMaxMillis;

  public SseStreams(Broker broker, Timer timer, Config config) {
    this.broker = broker;
    this.timer = timer;
    this.heartbeatMillis = config.sse().heartbeat().toMillis();
    this.bufferMax = config.sse().bufferMax();
    this.readLimit = config.pollLimitDefault();
    this.retryAfterMaxMillis = Math.max(1000, config.shutdownRetryAfter().toMillis());
  }

  /**
   * Opens a stream over {@code subscription} from {@code start}, in {@code format}, and returns at once
   * (the request stays open in async mode until the client goes, the server stops, or a channel it names
   * is deleted).
   *
   * <p>Everything that can refuse the stream happens before the response is touched, so the caller can
   * still answer with an error:
   *
   * @throws ApiException 503 {@code shutting_down} while the server stops; 429 {@code too_many_polls} if
   *     the client's address holds its maximum of parked polls and open streams
   * @throws dev.parkway.core.InvalidCursorException for a cursor ahead of a channel's head
   * @throws dev.parkway.core.StoreUnavailableException if the store cannot be read
   */
  public void open(
      HttpServletRequest req,
      HttpServletResponse resp,
      Subscription subscription,
      Start start,
      SseFormat format)
      throws IOException {
    if (broker.closing()) {
      throw shuttingDown();
    }
    Cursor cursor = broker.start(subscription, start);
    broker.read(subscription, cursor, 1); // refuses a bad cursor now, while we can still answer 400
    // A stream holds a connection as a parked poll does, so it counts against the same per-address
    // limit; the slot is given back in the stream's one exit (SseStream.end), or below if it never opens.
    String origin = req.getRemoteAddr();
    if (!broker.quota().tryAcquire(origin)) {
      throw ApiException.tooManyPolls(new TooManyPollsException(broker.quota().max()));
    }
    boolean opened = false;
    try {
      openAsync(req, resp, subscription, cursor, format, origin);
      opened = true;
    } finally {
      if (!opened) {
        broker.quota().release(origin);
      }
    }
  }

  private void openAsync(
      HttpServletRequest req,
      HttpServletResponse resp,
      Subscription subscription,
      Cursor cursor,
      SseFormat format,
      String origin)
      throws IOException {
    AsyncContext async = req.startAsync();
    async.setTimeout(0); // a stream lives until its client goes; heartbeats find dead clients
    resp.setStatus(200);
    resp.setContentType(CONTENT_TYPE);
    resp.setHeader("Cache-Control", format.cacheControl());
    resp.setHeader("X-Content-Type-Options", "nosniff");
    resp.setHeader("X-Accel-Buffering", "no"); // nginx: pass each frame on at once
    SseStream stream = null;
    try {
      ServletOutputStream out = resp.getOutputStream();
      stream =
          new SseStream(
              broker, subscription, cursor, format, async, out, timer, heartbeatMillis, bufferMax,
              readLimit, SseFrames.retry(jitteredRetryMillis()), origin);
      async.addListener(stream);
      out.setWriteListener(stream); // the container calls onWritePossible once service() returns
      stream.start();
    } catch (RuntimeException e) {
      // Past startAsync the caller can no longer answer with an error: end what was started here.
      LOG.log(Level.ERROR, "could not open a stream", e);
      if (stream != null) {
        stream.end(SseStream.Reason.FAILED, null); // gives the slot back
      } else {
        broker.quota().release(origin);
        async.complete();
      }
    }
  }

  /** Counts a refusal written without a {@code JsonWriter} (see {@code Rejections}). */
  void refused(ApiException e) {
    broker.counters().rejections.count(e.status(), e.code());
  }

  /** 503 {@code shutting_down}, with a jittered {@code Retry-After} as long polls get. */
  ApiException shuttingDown() {
    long seconds = ThreadLocalRandom.current().nextLong(1, retryAfterMaxMillis / 1000 + 1);
    return new ApiException(
        503,
        "shutting_down",
        "the server is stopping; reconnect shortly",
        Map.of("Retry-After", Long.toString(seconds)));
  }

  /** The reconnection delay a stream ended by shutdown asks for: spread so clients do not return at once. */
  private long jitteredRetryMillis() {
    return ThreadLocalRandom.current().nextLong(1000, retryAfterMaxMillis + 1);
  }
}
