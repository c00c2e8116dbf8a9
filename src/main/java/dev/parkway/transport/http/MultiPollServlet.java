package dev.parkway.transport.http;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

/** {@code GET /poll?channel=a&channel=b.*}: one long poll over many channels and patterns. */
final class MultiPollServlet extends ApiServlet {
  private static final long serialVersionUID = 1L;

  private final transient PollQuery query;
  private final transient PollHandler polls;

  MultiPollServlet(PollQuery query, PollHandler polls, JsonWriter json) {
    super(json);
    this.query = query;
    this.polls = polls;
  }

  @Override
  protected void handle(HttpServletRequest req, HttpServletResponse resp) {
    if (!req.getMethod().equals("GET")) {
      throw methodNotAllowed("GET");
    }
    var subscription = query.channels(req);
    polls.poll(req, query.parse(req, subscription), false);
  }
}
