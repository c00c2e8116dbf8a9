package dev.parkway.transport.http;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

/**
 * Every path under Parkway's prefix that no route serves: a JSON 404, as the WAR's error page would give.
 * Mounted only when Parkway sits under a prefix ({@code {prefix}/*}); at the context root the WAR's
 * {@code web.xml} error pages answer instead, and the demo page's static files stay reachable. A more
 * specific mapping (every real route) always wins over this one.
 */
final class UnknownRouteServlet extends ApiServlet {
  private static final long serialVersionUID = 1L;

  UnknownRouteServlet(JsonWriter json) {
    super(json);
  }

  @Override
  protected boolean parsesQueryFirst() {
    return false; // a malformed query on an unknown path is still an unknown path
  }

  @Override
  protected void handle(HttpServletRequest req, HttpServletResponse resp) {
    throw notFound("no such resource");
  }
}
