package dev.parkway.transport.http;

import dev.parkway.auth.Action;
import dev.parkway.auth.Target;
import dev.parkway.auth.servlet.Access;
import dev.parkway.core.Broker;
import dev.parkway.core.PollRequest;
import dev.parkway.core.Published;
import dev.parkway.core.Subscription;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;

/**
 * {@code /channels/*}: publish ({@code POST /channels/{c}}), long-poll ({@code GET /channels/{c}}),
 * stream ({@code GET /channels/{c}/stream}, handed to the SSE transport), describe ({@code GET
 * /channels/{c}/info}) and delete ({@code DELETE /channels/{c}}) one channel.
 */
final class ChannelServlet extends ApiServlet {
  private static final long serialVersionUID = 1L;

  private final transient Broker broker;
  private final transient PollQuery query;
  private final transient PollHandler polls;
  private final transient JsonBody body;
  private final transient StreamHandler streams;

  ChannelServlet(
      Broker broker,
      PollQuery query,
      PollHandler polls,
      JsonBody body,
      StreamHandler streams,
      JsonWriter json) {
    super(json);
    this.broker = broker;
    this.query = query;
    this.polls = polls;
    this.body = body;
    this.streams = streams;
  }

  @Override
  protected void handle(HttpServletRequest req, HttpServletResponse resp) throws IOException {
    String path = req.getPathInfo();
    if (path == null || path.length() < 2) {
      throw notFound("name a channel: /channels/{channel}");
    }
    String[] parts = path.substring(1).split("/", -1);
    String channel = PollQuery.channel(parts[0]);
    String method = req.getMethod();
    if (parts.length == 1) {
      switch (method) {
        case "GET" -> poll(req, channel);
        case "POST" -> publish(req, resp, channel);
        case "DELETE" -> delete(req, resp, channel);
        default -> throw methodNotAllowed("GET, POST, DELETE");
      }
    } else if (parts.length == 2 && parts[1].equals("stream") && streams != null) {
      if (!method.equals("GET")) {
        throw methodNotAllowed("GET");
      }
      Access.require(req, Action.SUBSCRIBE, Target.channel(channel));
      streams.open(req, resp, Subscription.of(channel));
    } else if (parts.length == 2 && parts[1].equals("info")) {
      if (!method.equals("GET")) {
        throw methodNotAllowed("GET");
      }
      info(req, resp, channel);
    } else {
      throw notFound("no such resource under /channels/" + channel);
    }
  }

  private void poll(HttpServletRequest req, String channel) {
    PollRequest request = query.parse(req, Subscription.of(channel));
    Access.requireSubscribe(req, request.subscription(), request.clientId());
    polls.poll(req, request, true);
  }

  private void publish(HttpServletRequest req, HttpServletResponse resp, String channel)
      throws IOException {
    Access.require(req, Action.PUBLISH, Target.channel(channel));
    String key = IdempotencyKey.check(req.getHeader("Idempotency-Key"));
    String data = body.read(req);
    Published published = broker.publish(channel, data, key);
    var event = published.event();
    json.write(
        resp,
        published.duplicate() ? 200 : 201,
        new Wire.Published(channel, event.seq(), event.timestamp(), published.subscribers()));
  }

  private void delete(HttpServletRequest req, HttpServletResponse resp, String channel) {
    Access.require(req, Action.ADMIN, Target.channel(channel));
    if (!broker.delete(channel)) {
      throw new ApiException(404, "channel_not_found", "no channel " + channel);
    }
    resp.setStatus(204);
    JsonWriter.commonHeaders(resp);
  }

  private void info(HttpServletRequest req, HttpServletResponse resp, String channel)
      throws IOException {
    Access.require(req, Action.ADMIN, Target.channel(channel));
    var stats =
        broker
            .stats(channel)
            .orElseThrow(() -> new ApiException(404, "channel_not_found", "no channel " + channel));
    json.write(
        resp,
        200,
        new Wire.ChannelInfo(
            channel, stats.head(), stats.oldest(), stats.buffered(), broker.subscribers(channel)));
  }
}
