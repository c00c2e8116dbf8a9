package dev.parkway.transport.http;

import dev.parkway.core.Broker;
import dev.parkway.core.InvalidCursorException;
import dev.parkway.core.ParkedPoll;
import dev.parkway.core.PollRequest;
import dev.parkway.core.PollResponder;
import dev.parkway.core.TooManyPollsException;
import jakarta.servlet.AsyncContext;
import jakarta.servlet.http.HttpServletRequest;
import java.time.Duration;
import java.util.function.Function;

/**
 * Puts a validated poll into async mode and hands it to the core, which answers it at once or parks it.
 * Shared by every route that long-polls: channels, many channels, mailboxes and the compatibility
 * routes, each with its own {@link AnswerFormat}. Thread-safe.
 */
public final class PollHandler {
  private final Broker broker;
  private final AnswerWriter writer;
  private final Duration containerMargin;

  public PollHandler(Broker broker, AnswerWriter writer, Duration containerMargin) {
    this.broker = broker;
    this.writer = writer;
    this.containerMargin = containerMargin;
  }

  /** A native poll over channels. */
  void poll(HttpServletRequest req, PollRequest request, boolean single) {
    poll(req, request.timeoutMillis(), writer.format(single), responder -> broker.poll(request, responder));
  }

  /**
   * Starts async, then lets {@code park} hand the poll to the core with this request's responder.
   *
   * @param park calls {@code Broker.poll} (or {@code Mailboxes.poll}) and returns its result
   */
  public void poll(
      HttpServletRequest req,
      long timeoutMillis,
      AnswerFormat format,
      Function<PollResponder, ParkedPoll> park) {
    AsyncContext async = req.startAsync();
    // Our scheduler owns the deadline; the container's timeout is only a backstop behind it.
    async.setTimeout(timeoutMillis + containerMargin.toMillis());
    PollListener listener = new PollListener(async, format, req.getRemoteAddr());
    async.addListener(listener);
    try {
      listener.attach(park.apply(listener));
    } catch (InvalidCursorException e) {
      throw ApiException.badRequest("invalid_cursor", e.getMessage()); // nothing was parked
    } catch (TooManyPollsException e) {
      throw ApiException.tooManyPolls(e); // nothing was parked
    }
  }
}
