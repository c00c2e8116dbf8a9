package dev.parkway.transport.sse;

import dev.parkway.auth.servlet.Access;
import dev.parkway.core.InvalidCursorException;
import dev.parkway.core.StoreUnavailableException;
import dev.parkway.core.Subscription;
import dev.parkway.transport.http.ApiException;
import dev.parkway.transport.http.ApiServlet;
import dev.parkway.transport.http.JsonWriter;
import dev.parkway.transport.http.PollQuery;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.lang.System.Logger.Level;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/**
 * {@code GET /stream?channel=a&channel=b.*}: one stream over many channels and patterns, validated as
 * {@code /poll} is. Every refusal is the API's JSON error, answered before the stream opens.
 */
final class StreamServlet extends HttpServlet {
  private static final long serialVersionUID = 1L;
  private static final System.Logger LOG = System.getLogger(StreamServlet.class.getName());

  private final transient PollQuery query;
  private final transient StreamStart starts;
  private final transient SseStreams streams;

  StreamServlet(PollQuery query, StreamStart starts, SseStreams streams) {
    this.query = query;
    this.starts = starts;
    this.streams = streams;
  }

  @Override
  protected void service(HttpServletRequest req, HttpServletResponse resp) throws IOException {
    try {
      ApiServlet.parseParameters(req);
      if (!req.getMethod().equals("GET")) {
        throw ApiServlet.methodNotAllowed("GET");
      }
      Subscription subscription = query.channels(req);
      Access.requireSubscribe(req, subscription, null);
      streams.open(req, resp, subscription, starts.of(req, subscription), NativeFormat.INSTANCE);
    } catch (ApiException e) {
      refuse(req, resp, e);
    } catch (InvalidCursorException e) {
      refuse(req, resp, new ApiException(400, "invalid_cursor", e.getMessage()));
    } catch (StoreUnavailableException e) {
      LOG.log(Level.WARNING, "store unavailable: " + e.getMessage());
      refuse(req, resp, new ApiException(503, "store_unavailable",
          "the store cannot be reached; try again shortly", Map.of("Retry-After", "1")));
    } catch (IOException e) {
      LOG.log(Level.DEBUG, "client went away", e);
    } catch (RuntimeException e) {
      LOG.log(Level.ERROR, "unexpected failure on " + req.getMethod() + " " + req.getRequestURI(), e);
      refuse(req, resp, new ApiException(500, "internal_error", "the server failed; this is a bug"));
    }
  }

  private void refuse(HttpServletRequest req, HttpServletResponse resp, ApiException e)
      throws IOException {
    if (resp.isCommitted()) {
      return;
    }
    streams.refused(e);
    resp.reset();
    e.headers().forEach(resp::setHeader);
    JsonWriter.writeRaw(resp, e.status(), errorJson(e.code(), e.getMessage()));
    if (req.isAsyncStarted()) {
      req.getAsyncContext().complete();
    }
  }

  /** {@code {"error":..,"message":..}}; this servlet has no JSON-B, and the texts are ours. */
  static byte[] errorJson(String code, String message) {
    return ("{\"error\":" + quote(code) + ",\"message\":" + quote(message) + "}")
        .getBytes(StandardCharsets.UTF_8);
  }

  static String quote(String s) {
    StringBuilder sb = new StringBuilder(s.length() + 2).append('"');
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      switch (c) {
        case '"' -> sb.append("\\\"");
        case '\\' -> sb.append("\\\\");
        case '\n' -> sb.append("\\n");
        case '\r' -> sb.append("\\r");
        case '\t' -> sb.append("\\t");
        default -> {
          if (c < 0x20) {
            sb.append(String.format("\\u%04x", (int) c));
          } else {
            sb.append(c);
          }
        }
      }
    }
    return sb.append('"').toString();
  }
}
