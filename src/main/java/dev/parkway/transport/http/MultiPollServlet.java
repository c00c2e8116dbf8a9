package dev.parkway.transport.http;

import dev.parkway.auth.servlet.Access;
import dev.parkway.core.PollRequest;
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
    PollRequest request = query.parse(req, query.channels(req));
    Access.requireSubscribe(req, request.subscription(), request.clientId());
    polls.poll(req, request, false);
  }
}
