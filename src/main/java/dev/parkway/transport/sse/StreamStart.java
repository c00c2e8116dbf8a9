package dev.parkway.transport.sse;

import dev.parkway.core.Start;
import dev.parkway.core.Subscription;
import dev.parkway.transport.http.PollQuery;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;

/**
 * Where a stream starts: the {@code Last-Event-ID} header if the client sent one, else {@code after=} or
 * {@code since=} as for a long poll, else the head (only new events).
 *
 * <p><b>The header wins over {@code after=}.</b> A browser's {@code EventSource} reconnects to the very
 * URL it was created with (so with the original {@code after=}) and adds {@code Last-Event-ID}, the id of
 * the last frame it received. Preferring {@code after=} would replay from the first position on every
 * reconnect. The header is read exactly as {@code after=} is (a cursor, {@code 0}, or a bare seq on a
 * single channel) and an invalid one is the same 400 {@code invalid_cursor}.
 *
 * <p>Validation is {@link PollQuery}'s own, through a view of the request that shows it only the start
 * parameters: a stream has no {@code timeout}, {@code limit} or {@code client}, and a value there that a
 * poll would refuse is ignored. Stateless; thread-safe.
 */
final class StreamStart {
  static final String LAST_EVENT_ID = "Last-Event-ID";

  private final PollQuery query;

  StreamStart(PollQuery query) {
    this.query = query;
  }

  Start of(HttpServletRequest req, Subscription subscription) {
    String lastEventId = req.getHeader(LAST_EVENT_ID);
    boolean resume = lastEventId != null && !lastEventId.isBlank();
    return query.parse(new StartView(req, resume ? lastEventId.trim() : null), subscription).start();
  }

  /** The request as {@link PollQuery} should see it: only {@code after} and {@code since}. */
  private static final class StartView extends HttpServletRequestWrapper {
    private final String lastEventId;

    StartView(HttpServletRequest req, String lastEventId) {
      super(req);
      this.lastEventId = lastEventId;
    }

    @Override
    public String getParameter(String name) {
      return switch (name) {
        case "after" -> lastEventId != null ? lastEventId : super.getParameter("after");
        case "since" -> lastEventId != null ? null : super.getParameter("since");
        default -> null;
      };
    }
  }
}
