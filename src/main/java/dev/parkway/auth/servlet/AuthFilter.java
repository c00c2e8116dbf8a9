package dev.parkway.auth.servlet;

import dev.parkway.transport.http.ApiException;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpFilter;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.lang.System.Logger.Level;

/**
 * Authenticates every request to the routes it is mapped on before the route reads anything: a request
 * without valid credentials gets 401 whatever else is wrong with it (a bad channel name, a malformed
 * query, a body over the limit), and an unauthenticated client learns nothing from validation answers
 * and makes Parkway read no body. The {@link dev.parkway.auth.Grant} is left on the request for the
 * routes' {@link Access} checks.
 *
 * <p>Async-capable (polls park behind it). Stateless; thread-safe.
 */
final class AuthFilter extends HttpFilter {
  private static final long serialVersionUID = 1L;
  private static final System.Logger LOG = System.getLogger(AuthFilter.class.getName());

  @Override
  protected void doFilter(HttpServletRequest req, HttpServletResponse resp, FilterChain chain)
      throws IOException, ServletException {
    try {
      Access.grant(req);
    } catch (ApiException e) {
      Access.refuse(req, resp, e);
      return;
    } catch (RuntimeException e) {
      // A custom authorizer's failure: never let it through as if the request were allowed.
      LOG.log(Level.ERROR, "the authorizer failed on " + req.getMethod() + " " + req.getRequestURI(), e);
      Access.refuse(req, resp, new ApiException(500, "internal_error", "the server failed; this is a bug"));
      return;
    }
    chain.doFilter(req, resp);
  }
}
