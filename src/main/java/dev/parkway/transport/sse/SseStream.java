package dev.parkway.transport.sse;

import dev.parkway.core.Batch;
import dev.parkway.core.Broker;
import dev.parkway.core.Cursor;
import dev.parkway.core.Event;
import dev.parkway.core.Gap;
import dev.parkway.core.InvalidCursorException;
import dev.parkway.core.StoreUnavailableException;
import dev.parkway.core.Subscription;
import dev.parkway.core.Timer;
import dev.parkway.core.Waiter;
import jakarta.servlet.AsyncContext;
import jakarta.servlet.AsyncEvent;
import jakarta.servlet.AsyncListener;
import jakarta.servlet.ServletOutputStream;
import jakarta.servlet.WriteListener;
import java.io.IOException;
import java.lang.System.Logger.Level;
import java.util.ArrayDeque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.ReentrantLock;

/**
 * One open SSE stream: a {@link Waiter} registered with {@link Broker#watch}, writing with Servlet
 * non-blocking IO. Like a parked poll it carries a cursor, never a message: a wake means "re-read after
 * my cursor", so a wake that loses a race loses nothing.
 *
 * <p><b>One worker at a time, no thread ever blocks.</b> Everything that can happen to a stream (an
 * append, the container saying it can write again, a heartbeat tick, a close) only records a request in
 * a volatile flag and calls {@link #signal}. The first signaller becomes the worker and runs {@link
 * #work} until no request is left; a signal arriving meanwhile only bumps a counter, and the worker
 * loops once more for it. So the cursor and the queue are confined to one thread at a time without a
 * lock (the counter's atomic operations order one worker's writes before the next one's reads), and a
 * delivery thread that wakes a busy stream returns at once:
 *
 * <pre>
 *   delivery: readNeeded = true ─ signal (0→1: worker) ─ read ─ drain ─ (1→0) done
 *   timer:                    heartbeatDue = true ─ signal (1→2: returns at once)
 *   delivery worker:                                      ... (2→1: one more round) ─ tick ─ (1→0) done
 * </pre>
 *
 * <p><b>Writing.</b> Frames wait in a queue and are written only while {@code isReady()} says the
 * container can take them without blocking; when it says no, the container calls {@code
 * onWritePossible} later, which signals. Nothing is written before the container's first {@code
 * onWritePossible} (until then the request thread may still be in {@code service}).
 *
 * <p><b>Slow readers.</b> A read adds frames only while fewer than {@code bufferMax} bytes wait in the
 * queue; the rest stays in the store. A stream whose queue is full while the connection takes nothing
 * and events are waiting is closed ({@link Reason#TOO_SLOW}): the client reconnects with its {@code
 * Last-Event-ID} and loses nothing the store still holds. A stream whose connection took nothing for
 * {@link #STALL_TICKS} heartbeat intervals while frames wait is closed the same way: that is how a dead
 * client is found (a failed write finds it sooner).
 *
 * <p><b>Never touch a response the container is finishing.</b> When Tomcat notices a client gone (a
 * read sees the connection closed, or a write fails), a container thread calls {@code onError}, then
 * completes the request and recycles its objects for the next connection. A worker still inside {@code
 * write} or {@code flush} on another thread at that moment would write into, or break, that next
 * connection (seen as a fresh stream cut off after its first frame; {@code SseChurnTest} guards it). So every
 * call on the output stream and the async context happens under {@link #io}, after checking {@link
 * #ioClosed}; {@code onError} takes the same lock, so it returns only once no worker is inside the
 * response, and sets {@code ioClosed} so none enters again. This cannot deadlock: non-blocking writes
 * take none of the locks the container holds while it calls listeners. {@code onComplete} does not wait
 * (Tomcat calls it holding its async state lock, which {@code complete()} needs); it only sets the flag,
 * and by then an error has already passed through {@code onError}, or the completion was our own.
 *
 * <p><b>One exit.</b> {@link #end} is idempotent: the first caller unregisters the stream and cancels its
 * heartbeat at once (so {@link Broker#watcherCount()} drops without waiting for the worker), then the
 * worker writes the last frame if there is one and completes the response.
 */
final class SseStream implements Waiter, WriteListener, AsyncListener {
  private static final System.Logger LOG = System.getLogger(SseStream.class.getName());
  /** Heartbeat intervals without any progress, while frames wait, after which the client is dropped. */
  static final int STALL_TICKS = 2;
  static final byte[] OPENING = SseFrames.comment("open");
  static final byte[] HEARTBEAT = SseFrames.comment("ping");

  /** Why a stream ended. */
  enum Reason {
    /** The client went away, or a write failed. */
    CLIENT_GONE,
    /** The client did not keep up; see the class comment. */
    TOO_SLOW,
    /** A channel the stream names was deleted. */
    DELETED,
    /** The server is stopping. */
    SHUTDOWN,
    /** The container's async timeout (none is set, so only if the container imposes one). */
    CONTAINER_TIMEOUT,
    /** The store refused the stream's cursor; should not happen. */
    FAILED
  }

  private record Close(Reason reason, byte[] lastFrame) {}

  private final Broker broker;
  private final Subscription subscription;
  private final SseFormat format;
  private final AsyncContext async;
  private final ServletOutputStream out;
  private final Timer timer;
  private final long heartbeatMillis;
  private final int bufferMax;
  private final int readLimit;
  private final byte[] shutdownFrame;
  /** The remote address holding a slot of the broker's quota; given back in {@link #end}. */
  private final String origin;

  // ---- requests, from any thread ----
  private final AtomicInteger signals = new AtomicInteger();
  private final AtomicReference<Close> close = new AtomicReference<>();
  private volatile boolean readNeeded = true; // the first read is the recheck after watch()
  private volatile boolean heartbeatDue;
  private volatile boolean writable;
  /** Held around every call on the response; see the class comment. */
  private final ReentrantLock io = new ReentrantLock();
  /** The container reported an error or completed the request: the response must not be touched. */
  private volatile boolean ioClosed;
  private volatile Timer.Cancellable heartbeat;

  // ---- confined to the worker ----
  private final ArrayDeque<byte[]> queue = new ArrayDeque<>();
  private long queued;
  private Cursor cursor;
  private boolean done;
  private boolean readFailed;
  private long written;
  private long writtenAtLastTick;
  private int stalledTicks;

  SseStream(
      Broker broker,
      Subscription subscription,
      Cursor start,
      SseFormat format,
      AsyncContext async,
      ServletOutputStream out,
      Timer timer,
      long heartbeatMillis,
      int bufferMax,
      int readLimit,
      byte[] shutdownFrame,
      String origin) {
    this.broker = broker;
    this.subscription = subscription;
    this.cursor = start;
    this.format = format;
    this.async = async;
    this.out = out;
    this.timer = timer;
    this.heartbeatMillis = heartbeatMillis;
    this.bufferMax = bufferMax;
    this.readLimit = readLimit;
    this.shutdownFrame = shutdownFrame;
    this.origin = origin;
    enqueue(OPENING); // the first flush: proxies and browsers see the stream open at once
  }

  /** Registers with the broker, then reads after the cursor (register-then-recheck), then ticks. */
  void start() {
    broker.watch(this);
    signal();
    scheduleHeartbeat();
  }

  // ---- Waiter: called on delivery threads; never blocks ----

  @Override
  public Subscription subscription() {
    return subscription;
  }

  @Override
  public void onAppended(String channel) {
    readNeeded = true;
    signal();
  }

  @Override
  public void onDeleted(String channel) {
    end(Reason.DELETED, format.deleted(channel));
  }

  /** Ends cleanly; the last frame asks the client to wait a jittered moment before reconnecting. */
  @Override
  public void onShutdown() {
    end(Reason.SHUTDOWN, shutdownFrame);
  }

  // ---- WriteListener and AsyncListener: container threads ----

  @Override
  public void onWritePossible() {
    writable = true;
    signal();
  }

  @Override
  public void onError(Throwable t) {
    LOG.log(Level.DEBUG, "stream write failed; client gone", t);
    closeIo();
    end(Reason.CLIENT_GONE, null);
  }

  @Override
  public void onError(AsyncEvent event) {
    closeIo();
    end(Reason.CLIENT_GONE, null);
  }

  @Override
  public void onComplete(AsyncEvent event) {
    ioClosed = true; // must not wait here: see the class comment
    end(Reason.CLIENT_GONE, null);
  }

  /** Waits until no worker is inside the response, and keeps every worker out from now on. */
  private void closeIo() {
    io.lock();
    try {
      ioClosed = true;
    } finally {
      io.unlock();
    }
  }

  @Override
  public void onTimeout(AsyncEvent event) {
    end(Reason.CONTAINER_TIMEOUT, null);
  }

  @Override
  public void onStartAsync(AsyncEvent event) {
    // never re-dispatched
  }

  /**
   * Ends the stream. Idempotent: only the first call counts. Unregisters at once; the worker then writes
   * {@code lastFrame} (if any, and if the connection takes it) and completes the response.
   *
   * @return whether this call ended the stream
   */
  boolean end(Reason reason, byte[] lastFrame) {
    if (!close.compareAndSet(null, new Close(reason, lastFrame))) {
      return false;
    }
    broker.unwatch(this);
    broker.quota().release(origin);
    Timer.Cancellable tick = heartbeat;
    if (tick != null) {
      tick.cancel();
    }
    LOG.log(reason == Reason.TOO_SLOW ? Level.INFO : Level.DEBUG, "stream closed: " + reason);
    signal();
    return true;
  }

  boolean ended() {
    return close.get() != null;
  }

  // ---- the worker ----

  /** Runs {@link #work} on this thread unless another thread is running it (which then runs it again). */
  private void signal() {
    if (signals.getAndIncrement() != 0) {
      return;
    }
    int missed = 1;
    while (true) {
      try {
        work();
      } catch (RuntimeException e) {
        LOG.log(Level.WARNING, "an SSE stream failed", e);
        end(Reason.FAILED, null);
      }
      missed = signals.addAndGet(-missed);
      if (missed == 0) {
        return;
      }
    }
  }

  private void work() {
    if (done) {
      return;
    }
    if (ioClosed) {
      done = true;
      clearQueue();
      return;
    }
    Close ending = close.get();
    if (ending != null) {
      finish(ending);
      return;
    }
    if (heartbeatDue) {
      heartbeatDue = false;
      tick();
    }
    // Read while there is room, write what the connection takes; a fast reader catches up in one go
    // (a backlog is bounded by retention), a slow one stops at bufferMax and the rest stays in the store.
    do {
      if (readNeeded && queued < bufferMax) {
        read();
      }
      if (writable) {
        drain();
      }
    } while (readNeeded && queued < bufferMax && close.get() == null && !readFailed);
    if (writable && readNeeded && queued >= bufferMax && !readFailed) {
      // The queue is full, the connection takes nothing (else drain would have emptied it), and more
      // events wait in the store: this reader is slower than bufferMax bytes.
      end(Reason.TOO_SLOW, null);
    }
  }

  /**
   * Reads after the cursor and queues frames until the queue holds {@code bufferMax} bytes; the cursor
   * advances only past what was queued, so stopping early loses nothing.
   */
  private void read() {
    readNeeded = false;
    Batch batch;
    try {
      batch = broker.read(subscription, cursor, readLimit);
      readFailed = false;
    } catch (StoreUnavailableException e) {
      // Keep the cursor; the next heartbeat tick (or append) reads again.
      LOG.log(Level.DEBUG, "stream re-read failed; retrying at the next tick", e);
      readFailed = true;
      return;
    } catch (InvalidCursorException e) {
      LOG.log(Level.WARNING, "stream cursor refused: " + e.getMessage());
      end(Reason.FAILED, null);
      return;
    }
    Cursor end = batch.cursor();
    List<Event> events = batch.events();
    List<Gap> gaps = batch.gaps();
    // Positions before this read's events: each channel's events in a batch are consecutive, so a
    // channel's position before them is its first event's seq - 1 (after any gap was skipped).
    Map<String, Long> positions = new LinkedHashMap<>(end.positions());
    for (int i = events.size() - 1; i >= 0; i--) {
      positions.put(events.get(i).channel(), events.get(i).seq() - 1);
    }
    Cursor at = events.isEmpty() ? end : new Cursor(end.epoch(), end.issuedAt(), positions);
    for (int i = 0; i < gaps.size(); i++) {
      byte[] frame = format.gap(gaps.get(i), i == gaps.size() - 1 ? at : null);
      if (frame != null) {
        enqueue(frame);
      }
    }
    broker.counters().gaps.add(gaps.size());
    int sent = 0;
    for (int i = 0; i < events.size(); i++) {
      if (queued >= bufferMax) { // never at the first event of a read into an empty queue
        readNeeded = true; // the rest stays in the store until the connection takes what is queued
        break;
      }
      Event event = events.get(i);
      positions.put(event.channel(), event.seq());
      at = i == events.size() - 1 ? end : new Cursor(end.epoch(), end.issuedAt(), positions);
      enqueue(format.event(event, at));
      sent++;
    }
    broker.counters().delivered.add(sent);
    cursor = at;
    if (batch.more()) {
      readNeeded = true;
    }
  }

  /** Writes queued frames while the container takes them without blocking, then flushes. */
  private void drain() {
    io.lock();
    try {
      if (ioClosed) {
        return;
      }
      while (!queue.isEmpty()) {
        if (!out.isReady()) {
          return; // the container calls onWritePossible when it can take more
        }
        byte[] frame = queue.poll();
        queued -= frame.length;
        out.write(frame);
        written += frame.length;
      }
      if (out.isReady()) {
        out.flush();
      }
    } catch (IOException | RuntimeException e) {
      // The client went away mid-write: routine for streams, not an error. The container reports it
      // too (onError), and then completes the request itself.
      LOG.log(Level.DEBUG, "stream write failed; client gone", e);
      end(Reason.CLIENT_GONE, null);
    } finally {
      io.unlock();
    }
  }

  /** A heartbeat: a comment if nothing waits, else a check that the connection still moves. */
  private void tick() {
    if (readFailed) {
      readNeeded = true;
    }
    if (!writable) {
      return;
    }
    if (queue.isEmpty()) {
      enqueue(HEARTBEAT);
      stalledTicks = 0;
    } else if (written == writtenAtLastTick) {
      if (++stalledTicks >= STALL_TICKS) {
        end(Reason.TOO_SLOW, null);
      }
    } else {
      stalledTicks = 0;
    }
    writtenAtLastTick = written;
  }

  private void finish(Close ending) {
    done = true;
    boolean polite = ending.reason() == Reason.DELETED || ending.reason() == Reason.SHUTDOWN;
    if (polite && writable && ending.lastFrame() != null) {
      // Frames already queued go first; whatever the connection does not take now is dropped (the
      // client resumes from its Last-Event-ID).
      enqueue(ending.lastFrame());
      drain();
    }
    clearQueue();
    io.lock();
    try {
      if (!ioClosed) {
        ioClosed = true; // complete() is the last call this stream makes on the response
        async.complete();
      }
    } catch (IllegalStateException e) {
      LOG.log(Level.DEBUG, "stream already completed", e);
    } finally {
      io.unlock();
    }
  }

  private void enqueue(byte[] frame) {
    queue.add(frame);
    queued += frame.length;
  }

  private void clearQueue() {
    queue.clear();
    queued = 0;
  }

  private void scheduleHeartbeat() {
    if (close.get() != null) {
      return;
    }
    try {
      heartbeat =
          timer.schedule(
              () -> {
                if (close.get() == null) {
                  heartbeatDue = true;
                  signal();
                  scheduleHeartbeat();
                }
              },
              heartbeatMillis);
    } catch (RejectedExecutionException e) {
      return; // the scheduler is stopping: so is the server, and shutdown ends this stream
    }
    if (close.get() != null) {
      heartbeat.cancel(); // ended while we scheduled: end() may have cancelled the previous tick only
    }
  }
}
