package dev.parkway.transport.http;

import dev.parkway.core.Broker;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;

/** {@code GET|HEAD /health}: 200 {@code {"status":"up"}}, or 503 when the store cannot serve. */
final class HealthServlet extends ApiServlet {
  private static final long serialVersionUID = 1L;

  private final transient Broker broker;
  private final String store;

  HealthServlet(Broker broker, String store, JsonWriter json) {
    super(json);
    this.broker = broker;
    this.store = store;
  }

  @Override
  protected void handle(HttpServletRequest req, HttpServletResponse resp) throws IOException {
    if (!req.getMethod().equals("GET") && !req.getMethod().equals("HEAD")) {
      throw methodNotAllowed("GET, HEAD");
    }
    if (broker.closing()) {
      throw new ApiException(503, "shutting_down", "the server is stopping");
    }
    if (!broker.healthy()) {
      throw new ApiException(503, "store_unavailable", "the " + store + " store cannot be reached");
    }
    // For HEAD the container sends the headers (Content-Length included) and drops the body.
    json.write(resp, 200, new Wire.Health("up", store, broker.parkedCount()));
  }
}
