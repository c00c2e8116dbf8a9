package dev.parkway.transport.http;

import dev.parkway.core.Broker;
import dev.parkway.core.InvalidCursorException;
import dev.parkway.core.PollRequest;
import jakarta.servlet.AsyncContext;
import jakarta.servlet.http.HttpServletRequest;
import java.time.Duration;

/**
 * Puts a validated poll into async mode and hands it to the broker, which answers it at once or parks it.
 * Shared by the one-channel and many-channel routes. Thread-safe.
 */
final class PollHandler {
  private final Broker broker;
  private final AnswerWriter writer;
  private final Duration containerMargin;

  PollHandler(Broker broker, AnswerWriter writer, Duration containerMargin) {
    this.broker = broker;
    this.writer = writer;
    this.containerMargin = containerMargin;
  }

  void poll(HttpServletRequest req, PollRequest request, boolean single) {
    AsyncContext async = req.startAsync();
    // Our scheduler owns the deadline; the container's timeout is only a backstop behind it.
    async.setTimeout(request.timeoutMillis() + containerMargin.toMillis());
    PollListener listener = new PollListener(async, writer, single);
    async.addListener(listener);
    try {
      listener.attach(broker.poll(request, listener));
    } catch (InvalidCursorException e) {
      throw ApiException.badRequest("invalid_cursor", e.getMessage()); // nothing was parked
    }
  }
}
