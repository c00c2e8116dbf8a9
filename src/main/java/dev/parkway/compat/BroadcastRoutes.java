package dev.parkway.compat;

import jakarta.servlet.ServletContext;

/** The broadcast (seed 001): GET /getmessage, GET|POST /updatemessage, and the SSE demo on GET /events routes. (Being written.) */
public final class BroadcastRoutes {
  private BroadcastRoutes() {}

  /** Mounts this route's servlets under {@code prefix} ("" or "/something"). */
  public static void register(ServletContext ctx, CompatContext c, String prefix) {}

  /** The handler for this route's share of {@code GET /events}; see {@link EventsServlet}. */
  public static RequestHandler stream(CompatContext c) {
    return null;
  }
}
