package dev.parkway.compat;

import jakarta.servlet.ServletContext;

/** The chat (seed 003): POST /messages, GET /messages?after= routes. (Being written.) */
public final class ChatRoutes {
  private ChatRoutes() {}

  /** Mounts this route's servlets under {@code prefix} ("" or "/something"). */
  public static void register(ServletContext ctx, CompatContext c, String prefix) {}
}
