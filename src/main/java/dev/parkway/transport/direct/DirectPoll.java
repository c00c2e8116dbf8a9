package dev.parkway.transport.direct;

import dev.parkway.core.Answer;
import dev.parkway.core.PollResponder;
import dev.parkway.transport.http.AnswerWriter;
import dev.parkway.transport.http.ApiException;

/**
 * The responder of one poll on the direct port: turns the core's {@link Answer} into the same HTTP answer
 * the servlet port writes (200 events, 410 {@code channel_deleted}, 503 {@code shutting_down}) and hands it
 * to its {@link Connection}. Called once, on any thread (see {@link PollResponder}).
 */
final class DirectPoll implements PollResponder {
  private final Connection connection;
  private final Routes routes;
  private final boolean single;
  private final String allowOrigin;

  DirectPoll(Connection connection, Routes routes, boolean single, String allowOrigin) {
    this.connection = connection;
    this.routes = routes;
    this.single = single;
    this.allowOrigin = allowOrigin;
  }

  @Override
  public String origin() {
    return connection.remoteAddress();
  }

  @Override
  public void answer(Answer answer) {
    Responses responses = routes.responses();
    if (answer instanceof Answer.Events events) {
      connection.answer(responses.json(200, AnswerWriter.encode(events, single), allowOrigin));
    } else if (answer instanceof Answer.ChannelDeleted deleted) {
      connection.answer(responses.error(
          new ApiException(410, "channel_deleted", "channel " + deleted.channel() + " was deleted"),
          allowOrigin));
    } else if (answer instanceof Answer.ShuttingDown) {
      connection.answer(responses.error(routes.shuttingDown(), allowOrigin));
    } else {
      connection.abandon(); // ClientGone: nobody to answer
    }
  }
}
