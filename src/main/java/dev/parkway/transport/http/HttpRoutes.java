package dev.parkway.transport.http;

import dev.parkway.config.Config;
import dev.parkway.core.Broker;
import dev.parkway.core.Mailboxes;
import jakarta.servlet.ServletContext;
import jakarta.servlet.ServletRegistration;

/**
 * Mounts the native HTTP API on a servlet context. Every servlet is async-capable: a poll parks its
 * request, and the container requires every servlet and filter on that chain to allow it.
 */
public final class HttpRoutes {
  private HttpRoutes() {}

  /** What the other route families (compatibility) reuse from the native API. */
  public record Shared(PollHandler polls, JsonBody body) {}

  public static Shared register(
      ServletContext ctx,
      Broker broker,
      Mailboxes mailboxes,
      Config config,
      JsonWriter json,
      StreamHandler streams) {
    PollQuery query = new PollQuery(config);
    AnswerWriter answers = new AnswerWriter(json, config.shutdownRetryAfter());
    PollHandler polls = new PollHandler(broker, answers, config.containerTimeoutMargin());
    JsonBody body = new JsonBody(config.bodyMax());
    add(ctx, "parkway-channels", new ChannelServlet(broker, query, polls, body, streams, json), "/channels/*");
    add(
        ctx,
        "parkway-mailboxes",
        new MailboxServlet(mailboxes, query, polls, body, answers, json),
        "/clients/*");
    add(ctx, "parkway-poll", new MultiPollServlet(query, polls, json), "/poll");
    add(ctx, "parkway-health", new HealthServlet(broker, config.store(), json), "/health");
    return new Shared(polls, body);
  }

  private static void add(ServletContext ctx, String name, ApiServlet servlet, String mapping) {
    ServletRegistration.Dynamic registration = ctx.addServlet(name, servlet);
    registration.setAsyncSupported(true);
    registration.addMapping(mapping);
  }
}
