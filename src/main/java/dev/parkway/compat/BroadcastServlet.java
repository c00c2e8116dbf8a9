package dev.parkway.compat;

import dev.parkway.auth.Action;
import dev.parkway.auth.Target;
import dev.parkway.auth.servlet.Access;
import dev.parkway.core.Answer;
import dev.parkway.core.PollRequest;
import dev.parkway.core.Start;
import dev.parkway.core.Subscription;
import dev.parkway.transport.http.AnswerFormat;
import dev.parkway.transport.http.AnswerWriter;
import dev.parkway.transport.http.ApiException;
import dev.parkway.transport.http.ApiServlet;
import dev.parkway.transport.http.JsonWriter;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.charset.StandardCharsets;

/**
 * The broadcast example's long poll (seed 001), over the broadcast channel
 * ({@code parkway.compat.broadcast.channel}):
 *
 * <ul>
 *   <li>{@code GET /getmessage} parks up to {@code parkway.compat.broadcast.timeout} (30 s) from the head
 *       (only broadcasts made while it waits) and answers the next one as {@code text/plain}, or
 *       {@code No new messages} (200) when the time is up;
 *   <li>{@code GET|POST /updatemessage?message=...} broadcasts the message (stored as a JSON string) and
 *       answers 200 with an empty body; an empty or missing message does nothing, as in the original.
 * </ul>
 *
 * Successful answers are the original's bytes; refusals are the API's JSON errors, written by {@link
 * ApiServlet}. Thread-safe.
 */
final class BroadcastServlet extends ApiServlet {
  private static final long serialVersionUID = 1L;
  static final String CACHE_CONTROL = "no-cache, no-store";
  static final String TEXT = "text/plain;charset=UTF-8";
  static final String NO_NEW_MESSAGES = "No new messages";

  /** Which of the two paths this servlet serves. */
  enum Route {
    GET_MESSAGE,
    UPDATE_MESSAGE
  }

  private final transient CompatContext c;
  private final transient BroadcastText text;
  private final transient AnswerWriter answers;
  private final Route route;

  BroadcastServlet(CompatContext c, BroadcastText text, Route route) {
    super(c.json());
    this.c = c;
    this.answers = new AnswerWriter(c.json(), c.config().shutdownRetryAfter());
    this.text = text;
    this.route = route;
  }

  @Override
  protected ApiException storeUnavailable(HttpServletRequest req) {
    return storeUnavailable("the store cannot be reached; try again shortly");
  }

  @Override
  protected void handle(HttpServletRequest req, HttpServletResponse resp) throws IOException {
    if (route == Route.GET_MESSAGE) {
      getMessage(req);
    } else {
      updateMessage(req, resp);
    }
  }

  private void getMessage(HttpServletRequest req) {
    if (!req.getMethod().equals("GET")) {
      throw methodNotAllowed("GET");
    }
    Access.require(req, Action.SUBSCRIBE, Target.channel(c.settings().broadcastChannel()));
    long timeout = c.settings().broadcastTimeout().toMillis();
    PollRequest poll =
        new PollRequest(
            Subscription.of(c.settings().broadcastChannel()), new Start.Head(), timeout, 1, null);
    c.polls().poll(req, timeout, this::answer, responder -> c.broker().poll(poll, responder));
  }

  /** The {@link AnswerFormat} of {@code /getmessage}. */
  private void answer(HttpServletResponse resp, Answer answer) throws IOException {
    if (answer instanceof Answer.Events events) {
      writeText(
          resp,
          events.events().isEmpty()
              ? NO_NEW_MESSAGES
              : text.message(events.events().get(0).data()));
    } else if (answer instanceof Answer.ChannelDeleted) {
      // The seed's clients know only a message or "No new messages"; they poll again either way.
      writeText(resp, NO_NEW_MESSAGES);
    } else if (answer instanceof Answer.ShuttingDown) {
      c.json().error(resp, answers.shuttingDown());
    }
  }

  private void updateMessage(HttpServletRequest req, HttpServletResponse resp) throws IOException {
    String method = req.getMethod();
    if (!method.equals("GET") && !method.equals("POST")) {
      throw methodNotAllowed("GET, POST");
    }
    Access.require(req, Action.PUBLISH, Target.channel(c.settings().broadcastChannel()));
    String message = req.getParameter("message");
    if (message != null && !message.isEmpty()) {
      String json = text.toJson(message);
      int max = c.config().bodyMax();
      if (json.getBytes(StandardCharsets.UTF_8).length > max) {
        throw new ApiException(
            413, "body_too_large", "the message exceeds " + max + " bytes as JSON (parkway.body.max)");
      }
      c.broker().publish(c.settings().broadcastChannel(), json, null);
    }
    resp.setStatus(200);
    JsonWriter.commonHeaders(resp);
    resp.setContentLength(0);
  }

  static void writeText(HttpServletResponse resp, String body) throws IOException {
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    resp.setStatus(200);
    resp.setContentType(TEXT);
    resp.setHeader("Cache-Control", CACHE_CONTROL);
    resp.setHeader("X-Content-Type-Options", "nosniff");
    resp.setContentLength(bytes.length);
    resp.getOutputStream().write(bytes);
  }
}
