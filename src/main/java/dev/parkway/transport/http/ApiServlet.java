package dev.parkway.transport.http;

import dev.parkway.core.StoreUnavailableException;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.lang.System.Logger.Level;
import java.util.Map;

/**
 * Base of Parkway's servlets, the native API's and the JSON compatibility routes': routes by method itself
 * (so a wrong method is a JSON 405, not the container's HTML page) and turns every refusal into its JSON
 * error. A failure Parkway did not foresee is logged once here and answered 500 {@code internal_error}
 * without details. Subclasses may keep a malformed query from being refused up front ({@link
 * #parsesQueryFirst}) and word the store's absence their own way
 * ({@link #storeUnavailable(HttpServletRequest)}).
 */
public abstract class ApiServlet extends HttpServlet {
  private static final long serialVersionUID = 1L;
  private static final System.Logger LOG = System.getLogger(ApiServlet.class.getName());

  private static final byte[] INTERNAL_ERROR =
      "{\"error\":\"internal_error\",\"message\":\"the server failed; this is a bug\"}"
          .getBytes(java.nio.charset.StandardCharsets.US_ASCII);

  protected final transient JsonWriter json;

  protected ApiServlet(JsonWriter json) {
    this.json = json;
  }

  /** Handles the request, or throws {@link ApiException}. */
  protected abstract void handle(HttpServletRequest req, HttpServletResponse resp) throws IOException;

  @Override
  protected final void service(HttpServletRequest req, HttpServletResponse resp) throws IOException {
    try {
      if (parsesQueryFirst()) {
        parseParameters(req);
      }
      handle(req, resp);
    } catch (StoreUnavailableException e) {
      LOG.log(Level.WARNING, "store unavailable: " + e.getMessage());
      refuse(req, resp, storeUnavailable(req));
    } catch (IOException e) {
      LOG.log(Level.DEBUG, "client went away", e);
    } catch (RuntimeException e) {
      ApiException refusal = ApiException.refusalOf(e);
      if (refusal == null) {
        LOG.log(Level.ERROR, "unexpected failure on " + req.getMethod() + " " + req.getRequestURI(), e);
        refusal = new ApiException(500, "internal_error", "the server failed; this is a bug");
      }
      refuse(req, resp, refusal);
    }
  }

  /**
   * Whether {@link #service} parses the query before {@link #handle} (the default). A route whose original
   * ignores its query turns this off, and calls {@link #parseParameters} itself where it reads one.
   */
  protected boolean parsesQueryFirst() {
    return true;
  }

  /** The 503 for a store that cannot be reached; by default worded by whether the request stores. */
  protected ApiException storeUnavailable(HttpServletRequest req) {
    return storeUnavailable(req.getMethod().equals("POST")
        ? "the event could not be stored; nothing was stored"
        : "the store cannot be reached; try again shortly");
  }

  /**
   * Parses the query once, up front: the container throws {@code IllegalStateException} from its first
   * {@code getParameter} call for a malformed query ({@code %ZZ}, bad UTF-8, too many parameters), and
   * that is the client's mistake, not ours: 400 {@code invalid_parameter}.
   */
  public static void parseParameters(HttpServletRequest req) {
    try {
      req.getParameterMap();
    } catch (IllegalStateException e) {
      throw ApiException.badRequest(
          "invalid_parameter", "the query string is malformed (bad %-encoding or too many parameters)");
    }
  }

  public static ApiException storeUnavailable(String message) {
    return new ApiException(503, "store_unavailable", message, Map.of("Retry-After", "1"));
  }

  public static ApiException methodNotAllowed(String allow) {
    return new ApiException(
        405, "method_not_allowed", "allowed here: " + allow, Map.of("Allow", allow));
  }

  public static ApiException notFound(String message) {
    return new ApiException(404, "not_found", message);
  }

  private void refuse(HttpServletRequest req, HttpServletResponse resp, ApiException e)
      throws IOException {
    if (resp.isCommitted()) {
      return;
    }
    resp.reset();
    try {
      json.error(resp, e);
    } catch (RuntimeException failure) {
      // Even the error could not be encoded: answer a fixed body rather than the container's page.
      LOG.log(Level.ERROR, "could not write an error answer", failure);
      resp.reset();
      JsonWriter.writeRaw(resp, 500, INTERNAL_ERROR);
    }
    if (req.isAsyncStarted()) {
      req.getAsyncContext().complete();
    }
  }
}
