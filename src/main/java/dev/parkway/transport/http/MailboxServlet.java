package dev.parkway.transport.http;

import dev.parkway.auth.Action;
import dev.parkway.auth.Target;
import dev.parkway.auth.servlet.Access;
import dev.parkway.core.Mailboxes;
import dev.parkway.core.PollRequest;
import dev.parkway.core.Published;
import dev.parkway.core.Subscription;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;

/**
 * {@code /clients/{id}/messages}: send to one client ({@code POST}, 202) and long-poll that client's
 * mailbox ({@code GET}; {@code after=<cursor>} acknowledges everything up to the cursor). See {@link
 * Mailboxes} for the rules.
 */
final class MailboxServlet extends ApiServlet {
  private static final long serialVersionUID = 1L;

  private final transient Mailboxes mailboxes;
  private final transient PollQuery query;
  private final transient PollHandler polls;
  private final transient JsonBody body;
  private final transient AnswerFormat format;

  MailboxServlet(
      Mailboxes mailboxes,
      PollQuery query,
      PollHandler polls,
      JsonBody body,
      AnswerWriter answers,
      JsonWriter json) {
    super(json);
    this.mailboxes = mailboxes;
    this.query = query;
    this.polls = polls;
    this.body = body;
    this.format = answers.format(true);
  }

  @Override
  protected void handle(HttpServletRequest req, HttpServletResponse resp) throws IOException {
    String path = req.getPathInfo();
    String[] parts = path == null ? new String[0] : path.substring(1).split("/", -1);
    if (parts.length != 2 || !parts[1].equals("messages")) {
      throw notFound("a mailbox is /clients/{id}/messages");
    }
    String client = PollQuery.client(parts[0]);
    switch (req.getMethod()) {
      case "POST" -> send(req, resp, client);
      case "GET" -> poll(req, client);
      default -> throw methodNotAllowed("GET, POST");
    }
  }

  private void send(HttpServletRequest req, HttpServletResponse resp, String client)
      throws IOException {
    Access.require(req, Action.PUBLISH, Target.mailbox(client));
    Published sent = mailboxes.send(client, body.read(req));
    json.write(
        resp,
        202,
        new Wire.Queued(
            client, sent.event().seq(), sent.event().timestamp(), sent.subscribers() > 0));
  }

  private void poll(HttpServletRequest req, String client) {
    Access.require(req, Action.SUBSCRIBE, Target.mailbox(client));
    PollRequest request = query.parse(req, Subscription.of(Mailboxes.key(client)));
    polls.poll(
        req,
        request.timeoutMillis(),
        format,
        responder ->
            mailboxes.poll(
                client, request.start(), request.timeoutMillis(), request.limit(), responder));
  }
}
