package dev.parkway.compat;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;

/** One route's handling of a request, for routes that share a path ({@code /events}). */
@FunctionalInterface
public interface RequestHandler {
  void handle(HttpServletRequest req, HttpServletResponse resp) throws IOException;
}
