package dev.parkway.compat;

import dev.parkway.transport.http.ApiException;
import dev.parkway.transport.http.ApiServlet;
import dev.parkway.transport.http.JsonWriter;
import jakarta.servlet.http.HttpServletRequest;

/**
 * Base of the seed routes whose refusals are the native API's JSON errors (gin/node, chat) but whose
 * originals never refused a query they did not read: a malformed query string is refused only where a
 * route reads it ({@link #parseParameters}), and a store that cannot be reached is worded the same for
 * every method. Thread-safe, as {@link ApiServlet}.
 */
abstract class SeedApiServlet extends ApiServlet {
  private static final long serialVersionUID = 1L;

  SeedApiServlet(JsonWriter json) {
    super(json);
  }

  @Override
  protected final boolean parsesQueryFirst() {
    return false;
  }

  @Override
  protected final ApiException storeUnavailable(HttpServletRequest req) {
    return storeUnavailable("the store cannot be reached; nothing was stored, try again shortly");
  }
}
