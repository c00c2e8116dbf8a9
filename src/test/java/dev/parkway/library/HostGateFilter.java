package dev.parkway.library;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpFilter;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;

/**
 * The host application's own filter, declared in its web.xml in front of everything (a stand-in for an
 * authentication filter): a request without {@code X-Host-App: yes} is refused 403 with a plain-text body;
 * every other request passes with {@code X-Host-Filter: passed} added to its response. Async-capable, as
 * any filter in front of Parkway's parking routes must be. Stateless, so thread-safe.
 */
public final class HostGateFilter extends HttpFilter {
  private static final long serialVersionUID = 1L;

  @Override
  protected void doFilter(HttpServletRequest req, HttpServletResponse resp, FilterChain chain)
      throws IOException, ServletException {
    if (!"yes".equals(req.getHeader("X-Host-App"))) {
      resp.setStatus(403);
      resp.setContentType("text/plain");
      resp.getWriter().write("refused by the host application");
      return;
    }
    resp.setHeader("X-Host-Filter", "passed");
    chain.doFilter(req, resp);
  }
}
