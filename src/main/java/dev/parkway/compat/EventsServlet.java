package dev.parkway.compat;

import dev.parkway.transport.http.ApiException;
import dev.parkway.transport.http.ApiServlet;
import dev.parkway.transport.http.JsonWriter;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.charset.StandardCharsets;

/**
 * {@code GET /events}, which two seed systems use for different things: golongpoll subscribes with
 * {@code ?category=}, and the broadcast example's SSE demo streams with {@code Accept: text/event-stream}
 * and no category (a GET: a HEAD must not open a stream whose heartbeats the container would discard).
 * This servlet only tells them apart; either handler may be absent (route switched off).
 */
final class EventsServlet extends HttpServlet {
  private static final long serialVersionUID = 1L;
  private static final byte[] NOT_FOUND =
      "{\"error\":\"not_found\",\"message\":\"no such resource\"}".getBytes(StandardCharsets.US_ASCII);

  private static final byte[] MALFORMED_QUERY =
      ("{\"error\":\"invalid_parameter\",\"message\":\"the query string is malformed (bad %-encoding"
              + " or too many parameters)\"}")
          .getBytes(StandardCharsets.US_ASCII);

  private final transient RequestHandler golongpoll;
  private final transient RequestHandler broadcastStream;

  EventsServlet(RequestHandler golongpoll, RequestHandler broadcastStream) {
    this.golongpoll = golongpoll;
    this.broadcastStream = broadcastStream;
  }

  /** Whether a raw query string has a {@code category} key (golongpoll's subscribe). */
  static boolean namesCategory(String query) {
    if (query == null) {
      return false;
    }
    for (String pair : query.split("[&;]")) {
      if (pair.equals("category") || pair.startsWith("category=")) {
        return true;
      }
    }
    return false;
  }

  @Override
  protected void service(HttpServletRequest req, HttpServletResponse resp) throws IOException {
    String accept = req.getHeader("Accept");
    boolean wantsStream =
        accept != null && accept.contains("text/event-stream") && req.getMethod().equals("GET");
    // Read the raw query rather than getParameter(): a malformed query would make the container
    // refuse the whole request, while golongpoll (like its original) drops a malformed pair.
    if (broadcastStream != null && wantsStream && !namesCategory(req.getQueryString())) {
      try {
        ApiServlet.parseParameters(req); // as every native route: a malformed query is the client's
      } catch (ApiException e) {
        JsonWriter.writeRaw(resp, e.status(), MALFORMED_QUERY);
        return;
      }
      broadcastStream.handle(req, resp);
    } else if (golongpoll != null) {
      golongpoll.handle(req, resp);
    } else {
      resp.setStatus(404);
      resp.setContentType("application/json;charset=UTF-8");
      resp.getOutputStream().write(NOT_FOUND);
    }
  }
}
