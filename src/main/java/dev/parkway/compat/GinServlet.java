package dev.parkway.compat;

import dev.parkway.auth.Action;
import dev.parkway.auth.Target;
import dev.parkway.auth.servlet.Access;
import dev.parkway.core.Start;
import dev.parkway.transport.http.AnswerWriter;
import dev.parkway.transport.http.ApiException;
import dev.parkway.transport.http.JsonWriter;
import dev.parkway.transport.http.PollQuery;
import jakarta.json.JsonObject;
import jakarta.json.JsonString;
import jakarta.json.JsonValue;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.charset.StandardCharsets;

/**
 * {@code GET /poll/{id}}, {@code POST /send/{id}} (gin) and {@code POST /poll/send} (node), mapped on
 * {@code /poll/*} and {@code /send/*} under the route's prefix. Every refusal is a JSON error as in the
 * native API ({@code {"error", "message"}}, written by {@link SeedApiServlet}); the poll's own outcomes
 * are written by {@link GinAnswerFormat}. Stateless apart from the shared context; thread-safe.
 */
final class GinServlet extends SeedApiServlet {
  private static final long serialVersionUID = 1L;
  private static final byte[] SENT = "{\"status\":\"message sent\"}".getBytes(StandardCharsets.US_ASCII);

  private final transient CompatContext c;
  private final transient AnswerWriter answers;
  /** {@code POST /send/{id}} is served (gin on). */
  private final boolean ginSend;
  /** {@code POST /poll/send} is served (node on). */
  private final boolean nodeSend;

  GinServlet(CompatContext c, boolean ginSend, boolean nodeSend) {
    super(c.json());
    this.c = c;
    this.answers = new AnswerWriter(c.json(), c.config().shutdownRetryAfter());
    this.ginSend = ginSend;
    this.nodeSend = nodeSend;
  }

  @Override
  protected void handle(HttpServletRequest req, HttpServletResponse resp) throws IOException {
    String servletPath = req.getServletPath();
    String id = segment(req.getPathInfo());
    boolean post = req.getMethod().equals("POST");
    if (servletPath.endsWith("/send")) { // {prefix}/send/{id}: only mapped when gin is on
      if (!post) {
        throw methodNotAllowed("POST");
      }
      send(req, resp, PollQuery.client(id));
    } else if (post && nodeSend && id.equals("send")) {
      nodeSend(req, resp);
    } else if (req.getMethod().equals("GET")) {
      poll(req, PollQuery.client(id));
    } else {
      // GET /poll/send is the poll of the client named "send", as in the originals' routers.
      throw methodNotAllowed(nodeSend && id.equals("send") ? "GET, POST" : "GET");
    }
  }

  /** {@code GET /poll/{id}}: the oldest unacknowledged message, acknowledged once it is written. */
  private void poll(HttpServletRequest req, String client) {
    Access.require(req, Action.SUBSCRIBE, Target.mailbox(client));
    long timeout = c.settings().ginTimeout().toMillis();
    c.polls().poll(
        req,
        timeout,
        new GinAnswerFormat(c.mailboxes(), client, c.json(), answers),
        responder -> c.mailboxes().poll(client, new Start.Head(), timeout, 1, responder));
  }

  /** {@code POST /send/{id}} with {@code {"message": <any JSON>}}. */
  private void send(HttpServletRequest req, HttpServletResponse resp, String client) throws IOException {
    Access.require(req, Action.PUBLISH, Target.mailbox(client));
    JsonObject body = object(c.body().readValue(req), "{\"message\": <any JSON>}");
    deliver(resp, client, message(body, "{\"message\": <any JSON>}"));
  }

  /** {@code POST /poll/send} with {@code {"to": "<id>", "message": <any JSON>}}. */
  private void nodeSend(HttpServletRequest req, HttpServletResponse resp) throws IOException {
    String shape = "{\"to\": \"<client id>\", \"message\": <any JSON>}";
    JsonObject body = object(c.body().readValue(req), shape);
    JsonValue to = body.get("to");
    if (!(to instanceof JsonString id)) {
      throw new ApiException(400, "invalid_client", "name the client in \"to\" as a string: " + shape);
    }
    String client = PollQuery.client(id.getString());
    Access.require(req, Action.PUBLISH, Target.mailbox(client));
    deliver(resp, client, message(body, shape));
  }

  private void deliver(HttpServletResponse resp, String client, JsonValue message) throws IOException {
    // Queued whether or not the client is waiting (the originals dropped it): see GinRoutes.
    c.mailboxes().send(client, message.toString());
    JsonWriter.writeRaw(resp, 200, SENT);
  }

  private static JsonObject object(JsonValue value, String shape) {
    if (value instanceof JsonObject object) {
      return object;
    }
    throw new ApiException(400, "invalid_body", "the body must be a JSON object: " + shape);
  }

  private static JsonValue message(JsonObject body, String shape) {
    JsonValue message = body.get("message");
    if (message == null) {
      throw new ApiException(400, "invalid_body", "the body has no \"message\" member: " + shape);
    }
    return message;
  }

  /** The one path segment after the servlet path ("" if none); more segments are not a route. */
  private static String segment(String pathInfo) {
    String id = pathInfo == null || pathInfo.isEmpty() ? "" : pathInfo.substring(1);
    if (id.indexOf('/') >= 0) {
      throw notFound("the routes here are /poll/{id} and /send/{id}");
    }
    return id;
  }
}
