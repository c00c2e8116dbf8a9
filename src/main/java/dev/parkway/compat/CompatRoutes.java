package dev.parkway.compat;

import dev.parkway.transport.http.Mount;

/**
 * Mounts the compatibility routes that {@code parkway.compat} switches on, each under its own path prefix
 * ({@code parkway.compat.<name>.path}), itself under Parkway's {@link Mount} prefix. Every adapter is a
 * thin translation onto the same core.
 */
public final class CompatRoutes {
  private CompatRoutes() {}

  public static void register(Mount ctx, CompatContext c) {
    var s = c.settings();
    if (s.on("gin") || s.on("node")) {
      GinRoutes.register(ctx, c, s.path(s.on("gin") ? "gin" : "node"));
    }
    if (s.on("broadcast")) {
      BroadcastRoutes.register(ctx, c, s.path("broadcast"));
    }
    if (s.on("chat")) {
      ChatRoutes.register(ctx, c, s.path("chat"));
    }
    if (s.on("golongpoll")) {
      GolongpollRoutes.register(ctx, c, s.path("golongpoll"));
    }
    RequestHandler golongpoll = s.on("golongpoll") ? GolongpollRoutes.subscribe(c) : null;
    RequestHandler stream = s.on("broadcast") ? BroadcastRoutes.stream(c) : null;
    if (golongpoll != null || stream != null) {
      // One servlet per /events path: the two routes may share a prefix, then they share this path.
      String path = s.on("golongpoll") ? s.path("golongpoll") : s.path("broadcast");
      add(ctx, "parkway-compat-events", new EventsServlet(golongpoll, stream), path + "/events");
      if (golongpoll != null && stream != null && !s.path("golongpoll").equals(s.path("broadcast"))) {
        add(ctx, "parkway-compat-broadcast-events", new EventsServlet(null, stream),
            s.path("broadcast") + "/events");
      }
    }
  }

  /** Adds an async-capable servlet (every route may park or stream) under Parkway's prefix. */
  public static void add(Mount ctx, String name, jakarta.servlet.Servlet servlet, String... paths) {
    ctx.servlet(name, servlet, paths);
  }
}
