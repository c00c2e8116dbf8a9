package dev.parkway.metrics;

import dev.parkway.transport.http.JsonWriter;
import dev.parkway.transport.http.Mount;

/**
 * Mounts {@code GET /metrics} (when {@code parkway.metrics=on}). Mounted before the security filters,
 * so it is an admin route like channel info: open in {@code open} mode, the admin token otherwise.
 */
public final class MetricsRoutes {
  private MetricsRoutes() {}

  public static void register(Mount mount, Metrics metrics, JsonWriter json) {
    mount.servlet("parkway-metrics", new MetricsServlet(metrics, json), "/metrics");
  }
}
