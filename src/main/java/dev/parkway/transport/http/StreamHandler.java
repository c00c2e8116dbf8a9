package dev.parkway.transport.http;

import dev.parkway.core.Subscription;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;

/**
 * Opens a stream (Server-Sent Events) over a subscription. Implemented by the SSE transport; the channel
 * servlet hands it {@code GET /channels/{c}/stream}, since a servlet mapping cannot end in a wildcard
 * segment followed by a literal.
 */
@FunctionalInterface
public interface StreamHandler {
  void open(HttpServletRequest req, HttpServletResponse resp, Subscription subscription)
      throws IOException;
}
