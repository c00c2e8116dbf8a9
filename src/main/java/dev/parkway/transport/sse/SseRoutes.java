package dev.parkway.transport.sse;

import dev.parkway.config.Config;
import dev.parkway.core.Broker;
import dev.parkway.core.Timer;
import dev.parkway.transport.http.StreamHandler;
import jakarta.servlet.ServletContext;

/** Mounts the SSE routes: {@code /channels/{c}/stream} and {@code /stream?channel=}. (Being written.) */
public final class SseRoutes {
  private SseRoutes() {}

  /**
   * Mounts {@code /stream} and returns the handler the channel servlet uses for {@code
   * /channels/{c}/stream}; null while streams are not available.
   */
  public static StreamHandler register(ServletContext ctx, Broker broker, Config config, Timer timer) {
    return null;
  }
}
