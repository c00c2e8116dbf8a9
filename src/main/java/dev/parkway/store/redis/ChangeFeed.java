package dev.parkway.store.redis;

import dev.parkway.core.EventStore.ChangeListener;
import dev.parkway.core.StoreUnavailableException;
import java.io.IOException;
import java.lang.System.Logger.Level;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;
import redis.clients.jedis.Connection;
import redis.clients.jedis.JedisPubSub;

/**
 * The store's ear for the other nodes: one dedicated connection SUBSCRIBEd to the notices channel, read
 * by its own thread ({@code parkway-redis-feed}, a daemon). Every append and deletion script PUBLISHes a
 * notice {@code <node> a <seq> <channel>} or {@code <node> d <channel>} in the same atomic step that
 * stores it, so a notice can only arrive once its change is readable. A notice from another node calls
 * the {@link ChangeListener}; this node's own are skipped, because the store already called the listener
 * right after its append returned.
 *
 * <p><b>Nothing missed.</b> Pub/Sub forgets what it published while a subscriber was away. So whenever the
 * subscription is established again after a loss (Redis restarted, the network dropped, the link went
 * silent), the feed calls {@link ChangeListener#resync()} once, after the SUBSCRIBE is confirmed: every
 * local waiter re-reads after its cursor, which finds whatever was published in between; anything
 * published later arrives as a notice.
 *
 * <pre>
 *   link lost ── (notices published now are lost) ── SUBSCRIBE confirmed ── resync: waiters re-read
 *   every change before the confirmation is found by the re-read, every one after it is a notice
 * </pre>
 *
 * <p><b>Reconnecting.</b> The thread reconnects with backoff (50 ms doubling to 2 s, reset once
 * subscribed). A connection that is silently dead (no RST, a half-open socket) is found by the watch
 * thread, which PINGs through the subscription every second ({@link #check}) and force-closes it when no
 * PONG came back within the allowed silence. Thread-safe; {@link #close} stops the thread.
 */
final class ChangeFeed implements AutoCloseable {
  private static final System.Logger LOG = System.getLogger(ChangeFeed.class.getName());
  private static final long MIN_BACKOFF_MILLIS = 50;
  private static final long MAX_BACKOFF_MILLIS = 2_000;

  private final RedisEndpoint endpoint;
  private final String notices;
  private final String nodeId;
  private final Supplier<ChangeListener> listener;
  private final Thread thread;
  private final CountDownLatch firstSubscription = new CountDownLatch(1);
  private final Object pause = new Object();
  private final AtomicLong subscriptions = new AtomicLong();
  private volatile boolean closed;
  private volatile boolean subscribed;
  private volatile Connection connection;
  private volatile Link link;
  private volatile long lastPongNanos;
  /** Feed thread only. */
  private long backoffMillis = MIN_BACKOFF_MILLIS;

  ChangeFeed(RedisEndpoint endpoint, String notices, String nodeId, Supplier<ChangeListener> listener) {
    this.endpoint = endpoint;
    this.notices = notices;
    this.nodeId = nodeId;
    this.listener = listener;
    this.thread = new Thread(this::run, "parkway-redis-feed");
    this.thread.setDaemon(true);
  }

  /** Starts the thread and waits for the first subscription, so no notice after start-up is missed. */
  void start(Duration wait) {
    thread.start();
    boolean ok;
    try {
      ok = firstSubscription.await(wait.toMillis(), TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      ok = false;
    }
    if (!ok) {
      close();
      throw new StoreUnavailableException(
          "could not subscribe to Redis at " + endpoint + " within " + wait.toMillis() + " ms", null);
    }
  }

  boolean subscribed() {
    return subscribed;
  }

  /** Times the subscription was established (1 after start; more after each reconnect). */
  long subscriptions() {
    return subscriptions.get();
  }

  /**
   * The watch thread's probe: PINGs through the subscription, and drops a link that stayed silent longer
   * than {@code silence}, so the feed thread reconnects.
   */
  void check(Duration silence) {
    Link current = link;
    if (current == null || !subscribed) {
      return;
    }
    if (System.nanoTime() - lastPongNanos > silence.toNanos()) {
      LOG.log(Level.WARNING,
          "Redis subscription silent for over " + silence.toMillis() + " ms; reconnecting");
      drop();
      return;
    }
    try {
      current.ping();
    } catch (RuntimeException e) {
      drop();
    }
  }

  @Override
  public void close() {
    closed = true;
    drop();
    synchronized (pause) {
      pause.notifyAll();
    }
    try {
      thread.join(endpoint.timeout().toMillis() + 1_000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private void run() {
    boolean lost = false;
    while (!closed) {
      Connection c = null;
      try {
        c = new Connection(endpoint.address(), endpoint.client());
        connection = c;
        // close() sets closed, then reads connection; we set connection, then read closed: one of us
        // sees the other, so a connection opened while closing is always closed.
        if (closed) {
          break;
        }
        Link current = new Link();
        link = current;
        current.proceed(c, notices); // returns or throws when the link ends
      } catch (RuntimeException e) {
        if (!closed && !lost) {
          LOG.log(Level.WARNING, "Redis subscription lost (" + e.getMessage() + "); reconnecting");
        }
      } finally {
        subscribed = false;
        link = null;
        connection = null;
        if (c != null) {
          c.disconnect();
        }
      }
      lost = true;
      synchronized (pause) {
        if (!closed) {
          try {
            pause.wait(backoffMillis);
          } catch (InterruptedException e) {
            return;
          }
        }
      }
      backoffMillis = Math.min(MAX_BACKOFF_MILLIS, backoffMillis * 2);
    }
  }

  private void drop() {
    Connection c = connection;
    if (c != null) {
      try {
        c.forceDisconnect();
      } catch (IOException | RuntimeException e) {
        LOG.log(Level.DEBUG, "closing the subscription connection", e);
      }
    }
  }

  /** One subscription's callbacks, on the feed thread. */
  private final class Link extends JedisPubSub {
    @Override
    public void onSubscribe(String channel, int count) {
      lastPongNanos = System.nanoTime();
      subscribed = true;
      backoffMillis = MIN_BACKOFF_MILLIS;
      if (subscriptions.incrementAndGet() > 1) {
        LOG.log(Level.INFO, "Redis subscription restored; waking every waiter to re-read");
        tell(ChangeListener::resync);
      }
      firstSubscription.countDown();
    }

    @Override
    public void onPong(String pattern) {
      lastPongNanos = System.nanoTime();
    }

    @Override
    public void onMessage(String channel, String message) {
      lastPongNanos = System.nanoTime();
      String[] parts = message.split(" ", 4);
      if (parts.length < 3 || parts[0].equals(nodeId)) {
        return; // our own (the store told the listener when the append returned), or not a notice
      }
      if (parts[1].equals("a") && parts.length == 4 && parts[2].matches("[0-9]{1,18}")) {
        long seq = Long.parseLong(parts[2]);
        tell(l -> l.appended(parts[3], seq));
      } else if (parts[1].equals("d")) {
        tell(l -> l.deleted(parts[2]));
      }
    }

    private void tell(java.util.function.Consumer<ChangeListener> call) {
      try {
        call.accept(listener.get());
      } catch (RuntimeException e) {
        LOG.log(Level.WARNING, "the change listener failed", e);
      }
    }
  }
}
