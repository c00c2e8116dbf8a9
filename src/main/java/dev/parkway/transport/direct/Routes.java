package dev.parkway.transport.direct;

import dev.parkway.auth.Action;
import dev.parkway.auth.Authorizer;
import dev.parkway.auth.Grant;
import dev.parkway.auth.Target;
import dev.parkway.auth.servlet.Access;
import dev.parkway.config.Config;
import dev.parkway.core.Broker;
import dev.parkway.core.ParkedPoll;
import dev.parkway.core.PollRequest;
import dev.parkway.core.Published;
import dev.parkway.core.StoreUnavailableException;
import dev.parkway.core.Subscription;
import dev.parkway.transport.http.AnswerWriter;
import dev.parkway.transport.http.ApiException;
import dev.parkway.transport.http.ApiServlet;
import dev.parkway.transport.http.IdempotencyKey;
import dev.parkway.transport.http.JsonBody;
import dev.parkway.transport.http.JsonWriter;
import dev.parkway.transport.http.PollQuery;
import dev.parkway.transport.http.Wire;
import io.netty.buffer.ByteBufUtil;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.HttpHeaderNames;
import java.lang.System.Logger.Level;
import java.util.List;

/**
 * The routes of the direct port, with the servlet port's wire contract (docs/protocol.md) and checks:
 * the same query rules ({@link PollQuery}), the same {@link Authorizer} and grants ({@link Access}), the
 * same CORS policy, the same JSON errors and statuses.
 *
 * <ul>
 *   <li>{@code GET /channels/{c}}: long poll; {@code POST /channels/{c}}: publish; {@code DELETE
 *       /channels/{c}}: delete (admin);
 *   <li>{@code GET /channels/{c}/info}: the channel's head and subscribers (admin);
 *   <li>{@code GET /poll?channel=a&channel=b.*}: one poll over many channels;
 *   <li>{@code GET|HEAD /health}: no credentials needed, as on the servlet port.
 * </ul>
 *
 * Everything else (mailboxes, SSE, the compatibility routes, the demo page, {@code /metrics}) is on the
 * servlet port only: 404 {@code not_found} here, saying so. Stateless; thread-safe.
 */
final class Routes {
  private static final System.Logger LOG = System.getLogger(Routes.class.getName());
  private static final String ELSEWHERE =
      "the direct port serves /channels/{c}, /channels/{c}/info, /poll and /health;"
          + " everything else is on the servlet port";

  private final Broker broker;
  private final PollQuery query;
  private final Authorizer authorizer;
  private final Responses responses;
  private final JsonWriter json;
  private final AnswerWriter answers;
  private final String store;

  Routes(Broker broker, Config config, Authorizer authorizer, Responses responses, JsonWriter json) {
    this.broker = broker;
    this.query = new PollQuery(config);
    this.authorizer = authorizer;
    this.responses = responses;
    this.json = json;
    this.answers = new AnswerWriter(json, config.shutdownRetryAfter());
    this.store = config.store();
  }

  Responses responses() {
    return responses;
  }

  ApiException shuttingDown() {
    return answers.shuttingDown();
  }

  /** Answers {@code request} (now, or later through a parked poll); runs on the connection's event loop. */
  void handle(Connection connection, FullHttpRequest request) {
    String allowOrigin = responses.allowOrigin(request.headers().get(HttpHeaderNames.ORIGIN));
    String method = request.method().name();
    if (responses.corsEnabled()
        && method.equals("OPTIONS")
        && request.headers().contains(HttpHeaderNames.ORIGIN)
        && request.headers().contains(HttpHeaderNames.ACCESS_CONTROL_REQUEST_METHOD)) {
      connection.answer(responses.preflight(allowOrigin));
      return;
    }
    try {
      DirectRequest req = DirectRequest.of(request, connection.remoteAddress());
      route(connection, request, req, allowOrigin);
    } catch (StoreUnavailableException e) {
      LOG.log(Level.WARNING, "store unavailable: " + e.getMessage());
      connection.answer(responses.error(ApiServlet.storeUnavailable(method.equals("POST")
          ? "the event could not be stored; nothing was stored"
          : "the store cannot be reached; try again shortly"), allowOrigin));
    } catch (RuntimeException e) {
      ApiException refusal = ApiException.refusalOf(e);
      if (refusal == null) {
        LOG.log(Level.ERROR, "unexpected failure on " + method + " " + request.uri(), e);
        refusal = new ApiException(500, "internal_error", "the server failed; this is a bug");
      }
      connection.answer(responses.error(refusal, allowOrigin));
    }
  }

  private void route(Connection connection, FullHttpRequest request, DirectRequest req, String allowOrigin) {
    List<String> path = req.segments();
    String method = req.method();
    if (path.size() == 1 && path.get(0).equals("health")) {
      req.requireWellFormedQuery();
      health(connection, method, allowOrigin);
      return;
    }
    boolean channelPath = path.size() >= 2 && path.size() <= 3 && path.get(0).equals("channels");
    boolean pollPath = path.size() == 1 && path.get(0).equals("poll");
    if (!channelPath && !pollPath) {
      throw ApiServlet.notFound(ELSEWHERE);
    }
    if (channelPath && path.size() == 3 && !path.get(2).equals("info")) {
      throw ApiServlet.notFound(ELSEWHERE);
    }
    Grant grant = Access.authenticate(authorizer, req);
    req.requireWellFormedQuery(); // after the credentials, as the servlet port's filter order has it
    if (pollPath) {
      requireMethod(method, "GET");
      poll(connection, req, grant, query.channels(req), false, allowOrigin);
      return;
    }
    String channel = PollQuery.channel(path.get(1));
    if (path.size() == 3) {
      requireMethod(method, "GET");
      Access.require(grant, Action.ADMIN, Target.channel(channel));
      info(connection, channel, allowOrigin);
      return;
    }
    switch (method) {
      case "GET" -> poll(connection, req, grant, Subscription.of(channel), true, allowOrigin);
      case "POST" -> {
        Access.require(grant, Action.PUBLISH, Target.channel(channel));
        publish(connection, request, channel, allowOrigin);
      }
      case "DELETE" -> {
        Access.require(grant, Action.ADMIN, Target.channel(channel));
        if (!broker.delete(channel)) {
          throw new ApiException(404, "channel_not_found", "no channel " + channel);
        }
        connection.answer(responses.noContent(allowOrigin));
      }
      default -> throw ApiServlet.methodNotAllowed("GET, POST, DELETE");
    }
  }

  private void poll(
      Connection connection,
      DirectRequest req,
      Grant grant,
      Subscription subscription,
      boolean single,
      String allowOrigin) {
    PollRequest request = query.parse(req, subscription);
    Access.requireSubscribe(grant, request.subscription(), request.clientId());
    ParkedPoll parked = broker.poll(request, new DirectPoll(connection, this, single, allowOrigin));
    if (parked != null) {
      connection.parked(parked);
    }
  }

  private void publish(Connection connection, FullHttpRequest request, String channel, String allowOrigin) {
    String key = IdempotencyKey.check(request.headers().get("Idempotency-Key"));
    JsonBody.requireJsonType(request.headers().get(HttpHeaderNames.CONTENT_TYPE));
    String data = JsonBody.parse(ByteBufUtil.getBytes(request.content()));
    Published published = broker.publish(channel, data, key);
    var event = published.event();
    byte[] body = json.encode(
        new Wire.Published(channel, event.seq(), event.timestamp(), published.subscribers()));
    connection.answer(responses.json(published.duplicate() ? 200 : 201, body, allowOrigin));
  }

  private void info(Connection connection, String channel, String allowOrigin) {
    var stats =
        broker
            .stats(channel)
            .orElseThrow(() -> new ApiException(404, "channel_not_found", "no channel " + channel));
    byte[] body = json.encode(new Wire.ChannelInfo(
        channel, stats.head(), stats.oldest(), stats.buffered(), broker.subscribers(channel)));
    connection.answer(responses.json(200, body, allowOrigin));
  }

  private void health(Connection connection, String method, String allowOrigin) {
    if (!method.equals("GET") && !method.equals("HEAD")) {
      throw ApiServlet.methodNotAllowed("GET, HEAD");
    }
    if (broker.closing()) {
      throw new ApiException(503, "shutting_down", "the server is stopping");
    }
    if (!broker.healthy()) {
      throw new ApiException(503, "store_unavailable", "the " + store + " store cannot be reached");
    }
    byte[] body = json.encode(new Wire.Health("up", store, broker.parkedCount()));
    connection.answer(responses.json(200, body, allowOrigin));
  }

  private static void requireMethod(String method, String allowed) {
    if (!method.equals(allowed)) {
      throw ApiServlet.methodNotAllowed(allowed);
    }
  }
}
