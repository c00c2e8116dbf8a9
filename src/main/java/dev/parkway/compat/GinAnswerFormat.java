package dev.parkway.compat;

import dev.parkway.core.Answer;
import dev.parkway.core.Event;
import dev.parkway.core.Mailboxes;
import dev.parkway.transport.http.AnswerFormat;
import dev.parkway.transport.http.AnswerWriter;
import dev.parkway.transport.http.JsonWriter;
import jakarta.servlet.ServletOutputStream;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.charset.StandardCharsets;

/**
 * The answers of {@code GET /poll/{id}} in the Gin example's shapes, for one client's poll:
 *
 * <ul>
 *   <li>a message: 200 {@code {"message": <data>}}, one message (the poll asks for one), acknowledged
 *       (deleted from the mailbox) only once the answer was flushed to the connection without error. A
 *       write that fails (the client is gone) throws here, before the acknowledgement, so the message
 *       stays queued and the client's next poll gets it again. The protocol has no acknowledgement from
 *       the client, so a write the network accepted is all there is to go by: a client that closed its
 *       connection cleanly (FIN, not reset) while parked is not noticed, the write to it succeeds, and
 *       the message is acknowledged and lost, as with any HTTP answer nobody reads;
 *   <li>nothing within the timeout: 504 {@code {"error":"timeout"}}, the original's answer. So is a wake
 *       that found only a gap (messages that expired while the poll waited): there is nothing to deliver;
 *   <li>a newer poll for the same id took this one's place: 409 {@code {"error":"superseded"}}, at once
 *       (the original left the older request hanging until its 30 s timeout);
 *   <li>the server stopping: 503 {@code shutting_down} with {@code Retry-After}, as the native API.
 * </ul>
 *
 * <p>The poll outcomes carry only {@code "error"}, like the original's timeout: its clients read {@code
 * "message"} as the delivered payload. One instance per poll; called once, by whichever thread answers.
 */
final class GinAnswerFormat implements AnswerFormat {
  static final byte[] TIMEOUT = "{\"error\":\"timeout\"}".getBytes(StandardCharsets.US_ASCII);
  static final byte[] SUPERSEDED = "{\"error\":\"superseded\"}".getBytes(StandardCharsets.US_ASCII);
  private static final byte[] MESSAGE_OPEN = "{\"message\":".getBytes(StandardCharsets.US_ASCII);

  private final Mailboxes mailboxes;
  private final String client;
  private final JsonWriter json;
  private final AnswerWriter answers;

  GinAnswerFormat(Mailboxes mailboxes, String client, JsonWriter json, AnswerWriter answers) {
    this.mailboxes = mailboxes;
    this.client = client;
    this.json = json;
    this.answers = answers;
  }

  @Override
  public void write(HttpServletResponse resp, Answer answer) throws IOException {
    if (answer instanceof Answer.Events events) {
      if (!events.events().isEmpty()) {
        deliver(resp, events.events().get(0));
      } else if (events.reason() == Answer.Reason.SUPERSEDED) {
        JsonWriter.writeRaw(resp, 409, SUPERSEDED);
      } else {
        JsonWriter.writeRaw(resp, 504, TIMEOUT);
      }
    } else if (answer instanceof Answer.ShuttingDown) {
      json.error(resp, answers.shuttingDown());
    } else if (answer instanceof Answer.ChannelDeleted) {
      // A mailbox cannot be deleted through the API; answer as if nothing came.
      JsonWriter.writeRaw(resp, 504, TIMEOUT);
    }
  }

  /**
   * Writes the message, acknowledges it, and only then writes the body's last byte. The flush before
   * the acknowledgement is where a connection the client has closed fails (then nothing is
   * acknowledged). Holding back the closing brace until after it means the client cannot have the whole
   * answer, and poll again on another connection, before the message is deleted: otherwise a quick
   * client could be sent the same message twice.
   */
  private void deliver(HttpServletResponse resp, Event message) throws IOException {
    byte[] data = message.data().getBytes(StandardCharsets.UTF_8);
    resp.setStatus(200);
    JsonWriter.commonHeaders(resp);
    resp.setContentType(JsonWriter.JSON);
    resp.setContentLength(MESSAGE_OPEN.length + data.length + 1);
    ServletOutputStream out = resp.getOutputStream();
    out.write(MESSAGE_OPEN);
    out.write(data);
    resp.flushBuffer();
    mailboxes.acknowledge(client, message.seq());
    out.write('}');
  }
}
