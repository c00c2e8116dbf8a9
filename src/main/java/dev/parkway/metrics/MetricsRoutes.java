package dev.parkway.metrics;

import dev.parkway.transport.http.JsonWriter;
import jakarta.servlet.ServletContext;
import jakarta.servlet.ServletRegistration;

/** Mounts {@code GET /metrics} (when {@code parkway.metrics=on}). */
public final class MetricsRoutes {
  private MetricsRoutes() {}

  public static void register(ServletContext ctx, Metrics metrics, JsonWriter json) {
    ServletRegistration.Dynamic registration =
        ctx.addServlet("parkway-metrics", new MetricsServlet(metrics, json));
    registration.addMapping("/metrics");
  }
}
