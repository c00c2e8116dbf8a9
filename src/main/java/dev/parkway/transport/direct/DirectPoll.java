package dev.parkway.transport.direct;

import dev.parkway.core.Answer;
import dev.parkway.core.PollResponder;
import dev.parkway.transport.http.AnswerWriter;

/**
 * The responder of one poll on the direct port: turns the core's {@link Answer} into the same HTTP answer
 * the servlet port writes (200 events, 410 {@code channel_deleted}, 503 {@code shutting_down}) and hands it
 * to its {@link Connection}. Called once, on any thread (see {@link PollResponder}).
 */
final class DirectPoll implements PollResponder {
  /**
   * The last events answer built. In a fan-out the polls that made the same read get one shared {@link
   * Answer.Events} one after another (see {@code SharedReads}); comparing by identity builds their bytes
   * once. Threads that race here only overwrite each other's entry (a miss). Not a ThreadLocal, which
   * would pin the web application's class loader to a container thread.
   */
  private static volatile Built last;

  private record Built(Answer.Events answer, boolean single, String allowOrigin, Wire wire) {}

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

  private Wire events(Answer.Events events) {
    Built seen = last;
    if (seen != null
        && seen.answer() == events
        && seen.single() == single
        && java.util.Objects.equals(seen.allowOrigin(), allowOrigin)) {
      return seen.wire();
    }
    // A miss here (another origin, say) still reuses the body's encoding.
    Wire wire = routes.responses().json(200, AnswerWriter.encodeShared(events, single), allowOrigin);
    last = new Built(events, single, allowOrigin, wire);
    return wire;
  }

  @Override
  public String origin() {
    return connection.remoteAddress();
  }

  @Override
  public void answer(Answer answer) {
    Responses responses = routes.responses();
    if (answer instanceof Answer.Events events) {
      connection.answer(events(events));
    } else if (answer instanceof Answer.ChannelDeleted deleted) {
      connection.answer(responses.error(AnswerWriter.channelDeleted(deleted), allowOrigin));
    } else if (answer instanceof Answer.ShuttingDown) {
      connection.answer(responses.error(routes.shuttingDown(), allowOrigin));
    } else {
      connection.abandon(); // ClientGone: nobody to answer
    }
  }
}
