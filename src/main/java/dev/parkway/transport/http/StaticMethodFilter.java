package dev.parkway.transport.http;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpFilter;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Set;

/**
 * Stands in front of the container's static-file servlet (mapped to the servlet named {@code default}
 * in {@code web.xml}) and refuses, in JSON, every method it does not serve.
 *
 * <p>Why: for a method the servlet API does not know ({@code FOO}, {@code PROPFIND}, a lower-case
 * {@code get}), the static-file servlet answers 501, and the container then dispatches the 501 error
 * page with the same unknown method, which is refused again; the client got the container's HTML page.
 * Found by the request fuzzer (FuzzRegressionTest). Stateless and thread-safe.
 */
public final class StaticMethodFilter extends HttpFilter {
  private static final Set<String> SERVED = Set.of("GET", "HEAD", "OPTIONS");
  private static final byte[] BODY =
      "{\"error\":\"method_not_allowed\",\"message\":\"only GET, HEAD and OPTIONS are served here\"}"
          .getBytes(StandardCharsets.UTF_8);

  @Override
  protected void doFilter(HttpServletRequest req, HttpServletResponse resp, FilterChain chain)
      throws IOException, ServletException {
    if (SERVED.contains(req.getMethod())) {
      chain.doFilter(req, resp);
      return;
    }
    resp.setStatus(HttpServletResponse.SC_METHOD_NOT_ALLOWED);
    resp.setHeader("Allow", "GET, HEAD, OPTIONS");
    resp.setContentType("application/json");
    resp.setCharacterEncoding("UTF-8");
    resp.setContentLength(BODY.length);
    resp.getOutputStream().write(BODY);
  }
}
