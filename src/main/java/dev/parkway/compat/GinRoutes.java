package dev.parkway.compat;

import jakarta.servlet.ServletContext;

/** The gin (seed 000) and node (seed 004): GET /poll/{id}, POST /send/{id}, POST /poll/send routes. (Being written.) */
public final class GinRoutes {
  private GinRoutes() {}

  /** Mounts this route's servlets under {@code prefix} ("" or "/something"). */
  public static void register(ServletContext ctx, CompatContext c, String prefix) {}
}
