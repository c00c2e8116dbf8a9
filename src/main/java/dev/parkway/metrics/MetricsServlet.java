package dev.parkway.metrics;

import dev.parkway.auth.servlet.Access;
import dev.parkway.transport.http.ApiServlet;
import dev.parkway.transport.http.JsonWriter;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.ByteArrayOutputStream;
import java.io.IOException;

/**
 * {@code GET|HEAD /metrics}: every metric in the Prometheus text format. Mounted only with {@code
 * parkway.metrics=on} (the default). It names no channel, client, address or token; see {@link Metrics}.
 * A wrong method is the API's JSON 405; reading it needs the admin grant (docs/security.md).
 */
final class MetricsServlet extends ApiServlet {
  private static final long serialVersionUID = 1L;

  private final transient Metrics metrics;

  MetricsServlet(Metrics metrics, JsonWriter json) {
    super(json);
    this.metrics = metrics;
  }

  @Override
  protected void handle(HttpServletRequest req, HttpServletResponse resp) throws IOException {
    if (!req.getMethod().equals("GET") && !req.getMethod().equals("HEAD")) {
      throw methodNotAllowed("GET, HEAD");
    }
    Access.requireAdmin(req); // server-wide figures: the admin token (open mode lets everyone read)
    // Rendered whole before anything is sent: a scrape that fails answers a clean 500, not half a page.
    ByteArrayOutputStream text = new ByteArrayOutputStream(8192);
    metrics.write(text);
    resp.setStatus(200);
    JsonWriter.commonHeaders(resp);
    resp.setContentType(metrics.contentType());
    resp.setContentLength(text.size());
    text.writeTo(resp.getOutputStream());
  }
}
