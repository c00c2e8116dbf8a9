package dev.parkway.transport.http;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpFilter;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.servlet.http.HttpServletResponseWrapper;
import java.io.IOException;

/**
 * CORS for the API routes, portable across containers (Tomcat's {@code CorsFilter} exists only on
 * Tomcat; this one runs on Jetty too). Mapped only when {@code parkway.cors.origins} is set.
 *
 * <ul>
 *   <li>Every answer carries {@code Vary: Origin}: whether it carries CORS headers depends on the
 *       origin, and a shared cache must not serve one origin's answer to another.
 *   <li>A preflight ({@code OPTIONS} with {@code Origin} and {@code Access-Control-Request-Method}) is
 *       answered here, before any credential check (a browser sends none with it): 204 with the allowed
 *       methods, request headers and max age for an allowed origin, 403 {@code origin_not_allowed} for
 *       any other.
 *   <li>Any other request from an allowed origin goes on with {@code Access-Control-Allow-Origin} (and
 *       credentials, exposed headers) set on its answer, errors included; from another origin, or
 *       without one, it goes on with none, and the browser keeps the answer from the page.
 * </ul>
 *
 * <p>The headers are set before the route runs and set again if the route resets the response (every
 * error path does: {@code reset()} clears headers), through a response wrapper. An async answer is
 * written to the unwrapped response, which already holds them. Async-capable; stateless; thread-safe.
 */
public final class CorsFilter extends HttpFilter {
  private static final long serialVersionUID = 1L;
  private final transient CorsPolicy policy;
  private final transient JsonWriter json;

  public CorsFilter(CorsPolicy policy, JsonWriter json) {
    this.policy = policy;
    this.json = json;
  }

  @Override
  protected void doFilter(HttpServletRequest req, HttpServletResponse resp, FilterChain chain)
      throws IOException, ServletException {
    String origin = req.getHeader("Origin");
    String allowed = policy.allowOrigin(origin);
    if (origin != null
        && req.getMethod().equals("OPTIONS")
        && req.getHeader("Access-Control-Request-Method") != null) {
      preflight(resp, allowed);
      return;
    }
    chain.doFilter(req, new CorsResponse(resp, policy, allowed));
  }

  private void preflight(HttpServletResponse resp, String allowed) throws IOException {
    resp.addHeader("Vary", "Origin, Access-Control-Request-Method, Access-Control-Request-Headers");
    if (allowed == null) {
      json.error(resp, new ApiException(
          403, "origin_not_allowed", "this origin may not call the API (parkway.cors.origins)"));
      return;
    }
    resp.setStatus(204);
    resp.setHeader("Access-Control-Allow-Origin", allowed);
    if (policy.credentials(allowed)) {
      resp.setHeader("Access-Control-Allow-Credentials", "true");
    }
    resp.setHeader("Access-Control-Allow-Methods", CorsPolicy.METHODS);
    resp.setHeader("Access-Control-Allow-Headers", CorsPolicy.REQUEST_HEADERS);
    resp.setHeader("Access-Control-Max-Age", policy.maxAge());
  }

  /** The response with the CORS headers of its request, kept across {@link #reset()}. */
  private static final class CorsResponse extends HttpServletResponseWrapper {
    private final CorsPolicy policy;
    private final String allowed;

    CorsResponse(HttpServletResponse resp, CorsPolicy policy, String allowed) {
      super(resp);
      this.policy = policy;
      this.allowed = allowed;
      apply();
    }

    @Override
    public void reset() {
      super.reset();
      apply();
    }

    private void apply() {
      addHeader("Vary", "Origin");
      if (allowed == null) {
        return;
      }
      setHeader("Access-Control-Allow-Origin", allowed);
      if (policy.credentials(allowed)) {
        setHeader("Access-Control-Allow-Credentials", "true");
      }
      setHeader("Access-Control-Expose-Headers", CorsPolicy.EXPOSED_HEADERS);
    }
  }
}
