package dev.parkway.compat;

import dev.parkway.core.Answer;
import dev.parkway.core.Broker;
import dev.parkway.transport.http.AnswerFormat;
import dev.parkway.transport.http.AnswerWriter;
import dev.parkway.transport.http.JsonWriter;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.charset.StandardCharsets;

/**
 * The answers of {@code GET /messages} in the chat tutorial's shape: 200 with a JSON array of messages
 * (see {@link ChatMessages}), oldest first, {@code []} when the timeout passes with nothing new. A gap
 * (messages that retention dropped before the client read them) is not part of the tutorial's shape:
 * delivery simply goes on from the oldest retained message. The channel deleted through the native API
 * while a poll waits answers {@code []} too (the client polls again). The server stopping answers 503
 * {@code shutting_down} with {@code Retry-After}, as the native API. Stateless; thread-safe.
 */
final class ChatAnswerFormat implements AnswerFormat {
  private static final byte[] EMPTY = "[]".getBytes(StandardCharsets.US_ASCII);

  private final Broker broker;
  private final JsonWriter json;
  private final AnswerWriter answers;

  ChatAnswerFormat(Broker broker, JsonWriter json, AnswerWriter answers) {
    this.broker = broker;
    this.json = json;
    this.answers = answers;
  }

  @Override
  public void write(HttpServletResponse resp, Answer answer) throws IOException {
    if (answer instanceof Answer.Events events) {
      JsonWriter.writeRaw(
          resp,
          200,
          events.events().isEmpty() ? EMPTY : ChatMessages.array(broker.epoch(), events.events()));
    } else if (answer instanceof Answer.ShuttingDown) {
      json.error(resp, answers.shuttingDown());
    } else if (answer instanceof Answer.ChannelDeleted) {
      JsonWriter.writeRaw(resp, 200, EMPTY);
    }
  }
}
