package dev.parkway.compat;

import dev.parkway.auth.Action;
import dev.parkway.auth.Target;
import dev.parkway.auth.servlet.Access;
import dev.parkway.core.Event;
import dev.parkway.core.PollRequest;
import dev.parkway.core.Start;
import dev.parkway.core.Subscription;
import dev.parkway.transport.http.AnswerWriter;
import dev.parkway.transport.http.ApiException;
import dev.parkway.transport.http.JsonWriter;
import jakarta.json.JsonObject;
import jakarta.json.JsonString;
import jakarta.json.JsonValue;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.OptionalLong;
import java.util.UUID;

/**
 * {@code {prefix}/messages}: {@code POST} publishes a chat message, {@code GET ?after=<id>} long-polls for
 * the messages after it. Every refusal is a JSON error as in the native API ({@code {"error",
 * "message"}}, written by {@link SeedApiServlet}). Stateless apart from the shared context; thread-safe.
 *
 * <p>Where a poll starts, from {@code after}:
 *
 * <ul>
 *   <li>absent, empty, or the zero UUID (the tutorial's default): from the oldest retained message;
 *   <li>an id this server gave a message of the chat channel in the current epoch: after that message;
 *   <li>any other UUID (random, another channel's, from before a restart of an in-memory store): from
 *       the oldest retained message. The tutorial compared random UUIDs, which could skip or repeat
 *       messages; a foreign id names no position, so the client gets everything retained once;
 *   <li>not a UUID: 400 {@code invalid_cursor}.
 * </ul>
 */
final class ChatServlet extends SeedApiServlet {
  private static final long serialVersionUID = 1L;
  private static final UUID ZERO = new UUID(0, 0);
  private static final String SHAPE = "{\"body\": \"<text>\"}";

  private final transient CompatContext c;
  private final transient AnswerWriter answers;
  private final transient ChatAnswerFormat format;

  ChatServlet(CompatContext c) {
    super(c.json());
    this.c = c;
    this.answers = new AnswerWriter(c.json(), c.config().shutdownRetryAfter());
    this.format = new ChatAnswerFormat(c.broker(), c.json(), answers);
  }

  @Override
  protected void handle(HttpServletRequest req, HttpServletResponse resp) throws IOException {
    switch (req.getMethod()) {
      case "GET" -> poll(req);
      case "POST" -> post(req, resp);
      default -> throw methodNotAllowed("GET, POST");
    }
  }

  private void poll(HttpServletRequest req) {
    String channel = c.settings().chatChannel();
    Access.require(req, Action.SUBSCRIBE, Target.channel(channel));
    Start start = start(channel, after(req));
    long timeout = c.settings().chatTimeout().toMillis();
    int limit = c.config().pollLimitMax();
    c.polls().poll(
        req,
        timeout,
        format,
        responder ->
            c.broker().poll(
                new PollRequest(Subscription.of(channel), start, timeout, limit, null), responder));
  }

  private static String after(HttpServletRequest req) {
    parseParameters(req);
    return req.getParameter("after");
  }

  private Start start(String channel, String after) {
    if (after == null || after.isEmpty()) {
      return new Start.Oldest();
    }
    UUID id = EventIds.parse(after).orElseThrow(() -> new ApiException(400, "invalid_cursor",
        "after is the id of a message (a UUID such as 00000000-0000-0000-0000-000000000000)"));
    if (id.equals(ZERO)) {
      return new Start.Oldest();
    }
    OptionalLong seq = EventIds.seqOf(c.broker().epoch(), channel, id);
    return seq.isPresent() ? new Start.AfterSeq(seq.getAsLong()) : new Start.Oldest();
  }

  private void post(HttpServletRequest req, HttpServletResponse resp) throws IOException {
    Access.require(req, Action.PUBLISH, Target.channel(c.settings().chatChannel()));
    JsonValue value = c.body().readValue(req);
    if (!(value instanceof JsonObject input)) {
      throw new ApiException(400, "invalid_body", "the body must be a JSON object: " + SHAPE);
    }
    JsonValue body = input.get("body");
    String text;
    if (body == null || body == JsonValue.NULL) {
      text = ""; // as the tutorial's Go struct decodes it
    } else if (body instanceof JsonString s) {
      text = s.getString();
    } else {
      throw new ApiException(400, "invalid_body", "\"body\" must be a string: " + SHAPE);
    }
    String channel = c.settings().chatChannel();
    Event event = c.broker().publish(channel, ChatMessages.data(text), null).event();
    JsonObject message =
        ChatMessages.message(c.broker().epoch(), channel, event.seq(), event.timestamp(), text);
    JsonWriter.writeRaw(resp, 200, message.toString().getBytes(StandardCharsets.UTF_8));
  }
}
