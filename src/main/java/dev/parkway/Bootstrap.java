package dev.parkway;

import dev.parkway.auth.Authorizer;
import dev.parkway.auth.Authorizers;
import dev.parkway.auth.servlet.Access;
import dev.parkway.auth.servlet.SecurityFilters;
import dev.parkway.compat.CompatContext;
import dev.parkway.compat.CompatRoutes;
import dev.parkway.config.Config;
import dev.parkway.config.ConfigSource;
import dev.parkway.config.JndiSource;
import dev.parkway.core.Broker;
import dev.parkway.core.EventStore;
import dev.parkway.core.Mailboxes;
import dev.parkway.core.Retention;
import dev.parkway.core.ScheduledTimer;
import dev.parkway.metrics.Metrics;
import dev.parkway.metrics.MetricsRoutes;
import dev.parkway.store.Stores;
import dev.parkway.transport.direct.DirectServer;
import dev.parkway.transport.http.HttpRoutes;
import dev.parkway.transport.http.JsonWriter;
import dev.parkway.transport.http.Mount;
import dev.parkway.transport.http.StreamHandler;
import dev.parkway.transport.sse.SseRoutes;
import jakarta.json.bind.Jsonb;
import jakarta.json.bind.JsonbBuilder;
import jakarta.servlet.ServletContext;
import jakarta.servlet.ServletContextEvent;
import jakarta.servlet.ServletContextListener;
import java.lang.System.Logger.Level;
import java.time.Clock;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Starts Parkway in a servlet context and stops it again.
 *
 * <p>Start: configuration (refused as a whole if any setting is wrong) → JSON-B → scheduler and delivery
 * executor → store → broker → servlets. Stop, in reverse: the broker answers every parked poll 503 {@code
 * shutting_down}; the delivery executor drains; the scheduler stops; the store closes; JSON-B closes. All
 * threads are named {@code parkway-*} daemons, so a leak would be visible by name in a thread dump.
 *
 * <p>The broker is published as the context attribute {@code dev.parkway.core.Broker} for tests and
 * operators' tooling; the direct port, when on ({@code parkway.direct.port}), as {@code
 * dev.parkway.transport.direct.DirectServer}.
 *
 * <p>Two ways in: as the listener the WAR's {@code web.xml} declares (routes at the context root unless
 * {@code parkway.prefix} says otherwise), or from {@link ParkwayInitializer} when another application
 * carries Parkway as a library (routes under {@link Mount#LIBRARY_DEFAULT} by default). Every route is
 * registered through one {@link Mount}, which applies the prefix.
 */
public final class Bootstrap implements ServletContextListener {
  private static final System.Logger LOG = System.getLogger(Bootstrap.class.getName());
  private static final long TRIM_INTERVAL_MILLIS = 1000;

  private Jsonb jsonb;
  private ScheduledThreadPoolExecutor scheduler;
  private ThreadPoolExecutor delivery;
  private EventStore store;
  private Broker broker;
  private Authorizer authorizer;
  private DirectServer direct;
  /** Every executor thread started, so a stop can wait until each one has really ended. */
  private final List<Thread> executorThreads = new java.util.concurrent.CopyOnWriteArrayList<>();

  @Override
  public void contextInitialized(ServletContextEvent sce) {
    start(sce.getServletContext(), "");
  }

  /**
   * Starts Parkway in {@code ctx} with its routes under {@code parkway.prefix}, else {@code defaultPrefix}.
   *
   * @throws IllegalStateException if Parkway already runs in this context (started twice)
   */
  void start(ServletContext ctx, String defaultPrefix) {
    if (ctx.getAttribute(Broker.class.getName()) != null) {
      throw new IllegalStateException(
          "Parkway is already started in this context: declare dev.parkway.Bootstrap in web.xml only with"
              + " the context-param " + ParkwayInitializer.LIBRARY + "=off (docs/library.md)");
    }
    ConfigSource sources = sources(ctx);
    Config config = Config.load(sources);
    Mount mount = new Mount(ctx, Mount.prefix(sources, defaultPrefix));
    LOG.log(Level.INFO, config.describe());
    authorizer = Authorizers.create(config.auth(), sources::get, ctx.getClassLoader(), Clock.systemUTC());

    jsonb = JsonbBuilder.create();
    scheduler = new ScheduledThreadPoolExecutor(1, daemons("parkway-scheduler"));
    scheduler.setRemoveOnCancelPolicy(true);
    delivery =
        new ThreadPoolExecutor(
            config.deliveryThreads(),
            config.deliveryThreads(),
            0,
            TimeUnit.MILLISECONDS,
            new LinkedBlockingQueue<>(),
            daemons("parkway-delivery"));
    Retention channels =
        new Retention(config.retentionCount(), config.retentionAge(), config.dedupeWindow());
    Retention queues =
        new Retention(config.mailboxCapacity(), config.mailboxTtl(), config.dedupeWindow());
    EventStore opened =
        Stores.open(config, key -> Mailboxes.isMailboxKey(key) ? queues : channels, Clock.systemUTC());
    Metrics metrics = new Metrics();
    store = config.metrics() ? metrics.timed(opened) : opened;
    ScheduledTimer timer = new ScheduledTimer(scheduler);
    broker =
        new Broker(
            store,
            timer,
            delivery,
            config.deliveryThreads(),
            config.answerMaxBytes(),
            config.limits().parkedPerAddress());
    metrics.watch(broker, opened);
    scheduler.scheduleWithFixedDelay(
        this::trim, TRIM_INTERVAL_MILLIS, TRIM_INTERVAL_MILLIS, TimeUnit.MILLISECONDS);

    Mailboxes mailboxes = new Mailboxes(broker);
    JsonWriter json = new JsonWriter(jsonb, broker.counters().rejections);
    StreamHandler streams = SseRoutes.register(mount, broker, config, timer);
    HttpRoutes.Shared shared = HttpRoutes.register(mount, broker, mailboxes, config, json, streams);
    CompatRoutes.register(
        mount,
        new CompatContext(
            broker, mailboxes, config, shared.polls(), shared.body(), json, jsonb, timer));
    if (config.metrics()) {
      MetricsRoutes.register(mount, metrics, json);
    }
    SecurityFilters.register(ctx, authorizer, config.cors(), json); // after every route is mounted
    if (config.direct().on()) {
      direct = DirectServer.start(config, broker, authorizer, json);
      ctx.setAttribute(DirectServer.class.getName(), direct);
    }
    ctx.setAttribute(Broker.class.getName(), broker);
    LOG.log(Level.INFO, "Parkway started: " + config.store() + " store, epoch " + store.epoch()
        + ", routes " + mount.describe());
  }

  @Override
  public void contextDestroyed(ServletContextEvent sce) {
    sce.getServletContext().removeAttribute(Broker.class.getName());
    if (broker != null) {
      broker.shutdown();
    }
    if (delivery != null) {
      delivery.shutdown();
      await(delivery);
    }
    if (direct != null) { // after the delivery threads handed it the last answers
      sce.getServletContext().removeAttribute(DirectServer.class.getName());
      direct.stop();
    }
    if (scheduler != null) {
      scheduler.shutdownNow();
      await(scheduler);
    }
    joinExecutorThreads();
    if (store != null) {
      store.close();
    }
    Access.uninstall(sce.getServletContext());
    if (authorizer != null) {
      authorizer.close();
    }
    if (jsonb != null) {
      try {
        jsonb.close();
      } catch (Exception e) {
        LOG.log(Level.DEBUG, "closing JSON-B", e);
      }
    }
    LOG.log(Level.INFO, "Parkway stopped");
    AsTypeCaches.release(); // last: after it, nothing of Parkway may bootstrap a record method
  }

  /** init-param > JNDI > -D system property > environment variable; defaults live in {@link Config}. */
  static ConfigSource sources(ServletContext ctx) {
    return ConfigSource.firstOf(
        List.of(
            ConfigSource.named("context init-param", n -> Optional.ofNullable(ctx.getInitParameter(n))),
            new JndiSource(),
            ConfigSource.systemProperties(),
            ConfigSource.environment(System.getenv())));
  }

  private void trim() {
    try {
      store.trimExpired();
    } catch (RuntimeException e) {
      // A periodic task that throws is never run again: log and keep the schedule.
      LOG.log(Level.WARNING, "retention sweep failed", e);
    }
  }

  private static void await(java.util.concurrent.ExecutorService executor) {
    try {
      if (!executor.awaitTermination(10, TimeUnit.SECONDS)) {
        LOG.log(Level.WARNING, "executor did not stop in 10 s; interrupting");
        executor.shutdownNow();
      }
    } catch (InterruptedException e) {
      executor.shutdownNow();
      Thread.currentThread().interrupt();
    }
  }

  private ThreadFactory daemons(String prefix) {
    AtomicInteger n = new AtomicInteger();
    return task -> {
      Thread t = new Thread(task, prefix + "-" + n.incrementAndGet());
      t.setDaemon(true);
      executorThreads.add(t);
      return t;
    };
  }

  /**
   * awaitTermination returns once the pool is terminated, which its last worker declares before that
   * thread has finished exiting: the container's leak check, right after contextDestroyed, would then
   * still see it alive. Waits (bounded) until every executor thread has ended.
   */
  private void joinExecutorThreads() {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    try {
      for (Thread t : executorThreads) {
        long left = TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime());
        if (left <= 0) {
          break;
        }
        t.join(left);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    executorThreads.clear();
  }
}
