package dev.parkway.core;

import java.util.List;

/** How a poll ends: exactly one of these is given to its {@link PollResponder}, exactly once. */
public sealed interface Answer {

  /** Events (possibly none, with a reason) and the cursor to send back next time. */
  record Events(List<Event> events, Cursor cursor, List<Gap> gaps, boolean more, Reason reason)
      implements Answer {
    public static Events of(Batch batch) {
      return new Events(batch.events(), batch.cursor(), batch.gaps(), batch.more(), Reason.DATA);
    }

    public static Events empty(Cursor cursor, Reason reason) {
      return new Events(List.of(), cursor, List.of(), false, reason);
    }
  }

  /** A channel the poll named was deleted while it waited. */
  record ChannelDeleted(String channel) implements Answer {}

  /** The server is stopping. */
  record ShuttingDown() implements Answer {}

  /** The client went away; nothing is to be written, only the request completed. */
  record ClientGone() implements Answer {}

  /** Why an {@link Events} answer was given. */
  enum Reason {
    /** Events or gaps to deliver. */
    DATA,
    /** The poll's timeout passed with nothing new. */
    TIMEOUT,
    /** A newer poll with the same client id took this one's place. */
    SUPERSEDED
  }
}
