package dev.parkway.compat;

import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.charset.StandardCharsets;

/**
 * {@code GET /events}, which two seed systems use for different things: golongpoll subscribes with
 * {@code ?category=}, and the broadcast example's SSE demo streams with {@code Accept: text/event-stream}
 * and no category. This servlet only tells them apart; either handler may be absent (route switched off).
 */
final class EventsServlet extends HttpServlet {
  private static final long serialVersionUID = 1L;
  private static final byte[] NOT_FOUND =
      "{\"error\":\"not_found\",\"message\":\"no such resource\"}".getBytes(StandardCharsets.US_ASCII);

  private final transient RequestHandler golongpoll;
  private final transient RequestHandler broadcastStream;

  EventsServlet(RequestHandler golongpoll, RequestHandler broadcastStream) {
    this.golongpoll = golongpoll;
    this.broadcastStream = broadcastStream;
  }

  @Override
  protected void service(HttpServletRequest req, HttpServletResponse resp) throws IOException {
    String accept = req.getHeader("Accept");
    boolean wantsStream = accept != null && accept.contains("text/event-stream");
    if (broadcastStream != null && wantsStream && req.getParameter("category") == null) {
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
