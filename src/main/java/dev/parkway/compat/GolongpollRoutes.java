package dev.parkway.compat;

import jakarta.servlet.ServletContext;

/** The golongpoll (seed 002): GET /events?category=..., POST /publish routes. (Being written.) */
public final class GolongpollRoutes {
  private GolongpollRoutes() {}

  /** Mounts this route's servlets under {@code prefix} ("" or "/something"). */
  public static void register(ServletContext ctx, CompatContext c, String prefix) {}

  /** The handler for this route's share of {@code GET /events}; see {@link EventsServlet}. */
  public static RequestHandler subscribe(CompatContext c) {
    return null;
  }
}
