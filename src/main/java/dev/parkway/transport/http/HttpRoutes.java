package dev.parkway.transport.http;

import dev.parkway.config.Config;
import dev.parkway.core.Broker;
import dev.parkway.core.Mailboxes;

/**
 * Mounts the native HTTP API under the {@link Mount}'s prefix. Under a prefix, every other path below it
 * answers a JSON 404 ({@link UnknownRouteServlet}).
 */
public final class HttpRoutes {
  private HttpRoutes() {}

  /** What the other route families (compatibility) reuse from the native API. */
  public record Shared(PollHandler polls, JsonBody body) {}

  public static Shared register(
      Mount mount,
      Broker broker,
      Mailboxes mailboxes,
      Config config,
      JsonWriter json,
      StreamHandler streams) {
    PollQuery query = new PollQuery(config);
    AnswerWriter answers = new AnswerWriter(json, config.shutdownRetryAfter());
    PollHandler polls = new PollHandler(broker, answers, config.containerTimeoutMargin());
    JsonBody body = new JsonBody(config.bodyMax());
    mount.servlet("parkway-channels", new ChannelServlet(broker, query, polls, body, streams, json), "/channels/*");
    mount.servlet(
        "parkway-mailboxes",
        new MailboxServlet(mailboxes, query, polls, body, answers, json),
        "/clients/*");
    mount.servlet("parkway-poll", new MultiPollServlet(query, polls, json), "/poll");
    mount.servlet("parkway-health", new HealthServlet(broker, config.store(), json), "/health");
    if (!mount.prefix().isEmpty()) {
      mount.servlet("parkway-unknown-route", new UnknownRouteServlet(json), "/*");
    }
    return new Shared(polls, body);
  }
}
