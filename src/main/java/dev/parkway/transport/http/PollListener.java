package dev.parkway.transport.http;

import dev.parkway.core.Answer;
import dev.parkway.core.ParkedPoll;
import dev.parkway.core.PollResponder;
import jakarta.servlet.AsyncContext;
import jakarta.servlet.AsyncEvent;
import jakarta.servlet.AsyncListener;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.lang.System.Logger.Level;
import java.time.Duration;

/**
 * Connects one parked HTTP request to its {@link ParkedPoll}: the poll's responder, and the {@link
 * AsyncListener} that turns the container's events into the poll's single exit.
 *
 * <ul>
 *   <li>{@code onTimeout} is only a backstop: the broker's own deadline fires first (the container's
 *       timeout is set a margin later). If it fires anyway, it ends the poll as a timeout.
 *   <li>{@code onError} means the container took the request away: the client is gone, or the container
 *       is closing the connection. The poll ends as {@link Answer.ClientGone}, and the answer written, if
 *       the connection can still carry one, is 503 {@code shutting_down}: Jetty's {@code Server.stop()}
 *       closes connections before it stops the web application, so this is the only moment a client
 *       parked there can still be told to come back later. For a client that really is gone the write
 *       fails, quietly.
 *   <li>{@code onComplete} ends the poll too (a no-op if it already ended), so no path leaves a poll
 *       parked after its request is over. It never waits.
 * </ul>
 *
 * <p>A callback that loses the race to {@link ParkedPoll#finish} waits until the winner has written and
 * completed: Tomcat answers 500 if {@code onTimeout} returns with the request still open, and forbids
 * touching the request after {@code onError} returns.
 *
 * <p>The container does not deliver these events while the servlet that started async is still in its
 * {@code service} method, so {@link #attach} always runs before any of them.
 */
final class PollListener implements AsyncListener, PollResponder {
  private static final System.Logger LOG = System.getLogger(PollListener.class.getName());
  private static final Duration LOSER_WAIT = Duration.ofSeconds(10);

  private final AsyncContext async;
  private final AnswerFormat format;
  private final String origin;
  private volatile ParkedPoll poll;
  private volatile boolean completed;
  /** Set by {@code onError} before it ends the poll: the answer to write for ClientGone is then 503. */
  private volatile boolean takenByContainer;

  PollListener(AsyncContext async, AnswerFormat format, String origin) {
    this.async = async;
    this.format = format;
    this.origin = origin;
  }

  @Override
  public String origin() {
    return origin;
  }

  void attach(ParkedPoll parked) {
    this.poll = parked;
  }

  @Override
  public void answer(Answer answer) {
    if (completed) {
      return;
    }
    try {
      Answer written =
          answer instanceof Answer.ClientGone
              ? (takenByContainer ? new Answer.ShuttingDown() : null)
              : answer;
      if (written != null) {
        format.write((HttpServletResponse) async.getResponse(), written);
      }
    } catch (IOException | RuntimeException e) {
      // The client went away while we wrote: routine for long polls, so not an error.
      LOG.log(Level.DEBUG, "could not write a poll answer", e);
    } finally {
      complete();
    }
  }

  @Override
  public void onTimeout(AsyncEvent event) {
    end(Answer.Events.empty(poll == null ? null : poll.cursor(), Answer.Reason.TIMEOUT));
  }

  @Override
  public void onError(AsyncEvent event) {
    takenByContainer = true;
    end(new Answer.ClientGone());
  }

  @Override
  public void onComplete(AsyncEvent event) {
    completed = true;
    ParkedPoll parked = poll;
    if (parked != null) {
      // Never wait here: the winner may still be inside complete() on its own thread, and once the
      // request is complete there is nothing left to protect. Ending the poll only cleans it up.
      parked.finish(new Answer.ClientGone());
    }
  }

  @Override
  public void onStartAsync(AsyncEvent event) {
    // Not re-dispatched: nothing to do.
  }

  private void end(Answer answer) {
    ParkedPoll parked = poll;
    if (parked == null) {
      complete(); // answered at once, before a poll existed: nothing is parked
      return;
    }
    if (!parked.finish(answer)) {
      parked.awaitAnswered(LOSER_WAIT);
    }
  }

  private void complete() {
    if (completed) {
      return;
    }
    try {
      async.complete();
    } catch (IllegalStateException e) {
      LOG.log(Level.DEBUG, "request already completed", e);
    }
  }
}
