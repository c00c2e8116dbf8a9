package dev.parkway.compat;

import dev.parkway.core.Answer;
import dev.parkway.core.Cursor;
import dev.parkway.transport.http.AnswerFormat;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Writes one golongpoll subscription's {@link Answer}: {@code {"events":[...]}} when there are events, else
 * golongpoll's timeout answer {@code {"timeout":"no events before timeout","timestamp":<ms>}}, both 200.
 * One instance per request; immutable, so whichever thread answers may use it.
 *
 * <h2>The timeout's {@code timestamp}</h2>
 *
 * golongpoll's Go client moves its {@code since_time} forward to this timestamp (only if it is greater) and
 * keeps its {@code last_id}; its next request then gets the events with a timestamp greater than it, or
 * equal to it with an id other than {@code last_id}. So the timestamp must not exceed the timestamp of any
 * event this poll did not deliver. golongpoll answers "now"; Parkway answers the poll cursor's {@code
 * issuedAt}: the store-clock time read <em>before</em> the poll's first read of the channel (a timed-out
 * poll's cursor is still its starting cursor: nothing moved). Why that is safe, told as an interleaving:
 *
 * <pre>
 *   poll:     T = clock ── read (nothing after P) ── park ≥ 1 s ── last read (nothing) ── answer timeout T
 *   publish X:                                                             clock c ── append X (seq P+1)
 * </pre>
 *
 * X was not delivered, so it was appended after the last read. Parkway stamps an event {@code max(c,
 * newest timestamp in its channel)}, where c is the clock its publisher read just before appending. For
 * {@code ts(X) < T}, c must be below T: the publisher read the clock before the poll began and then stalled
 * for the whole parking time (at least the 1 s minimum timeout, 45 s for the Go client's default) before
 * appending, or the wall clock stepped back that far. Answering "now" instead would lose X whenever it is
 * published in the instant between the last read and the answer. (If the store read its clock inside the
 * channel's lock, after the append's turn came, even the stall case would be closed.)
 *
 * <p>Same millisecond: X may carry exactly T. The Go client moved {@code since_time} to T only because T was
 * greater than its last event's timestamp, so its kept {@code last_id} names no event at T and every event
 * at T is selected again (the equal-with-other-id rule): nothing at T is skipped. (A Go client with no
 * {@code last_id} yet gets only events after T; an undelivered event at exactly T would need the same
 * stall as above, its publisher having read the clock in T's millisecond.) Nothing is repeated
 * either: for the Go client, whose {@code since_time} is always its last event's timestamp, every event up
 * to P has a timestamp at or before that {@code since_time}, which is below T.
 *
 * <p>The answers that carry no usable cursor (a deleted channel, a gap with no event after it, which
 * golongpoll has no words for) answer the timeout form with {@code fallbackTimestamp}: the store time
 * taken before this request read anything, or the request's {@code since_time} if that is smaller (the Go
 * client then does not move at all).
 */
final class GolongpollAnswerFormat implements AnswerFormat {
  private static final String SHUTTING_DOWN = "Server is shutting down, try again shortly.";

  private final GolongpollCategory category;
  private final String categoryJson;
  private final String epoch;
  private final long fallbackTimestamp;
  private final Duration retryAfterMax;

  GolongpollAnswerFormat(
      GolongpollCategory category, String epoch, long fallbackTimestamp, Duration retryAfterMax) {
    this.category = category;
    this.categoryJson = category.json();
    this.epoch = epoch;
    this.fallbackTimestamp = fallbackTimestamp;
    this.retryAfterMax = retryAfterMax;
  }

  @Override
  public void write(HttpServletResponse resp, Answer answer) throws IOException {
    GolongpollWire.subscribeHeaders(resp);
    if (answer instanceof Answer.Events events) {
      if (!events.events().isEmpty()) {
        // Gaps (events that retention dropped) are not reported: golongpoll clients have no word for them.
        GolongpollWire.write(
            resp, 200, GolongpollWire.events(events.events(), categoryJson, epoch, category.key()));
      } else if (events.reason() == Answer.Reason.TIMEOUT) {
        GolongpollWire.write(resp, 200, GolongpollWire.timeout(issuedAt(events.cursor())));
      } else {
        GolongpollWire.write(resp, 200, GolongpollWire.timeout(fallbackTimestamp));
      }
    } else if (answer instanceof Answer.ChannelDeleted) {
      // Deleted through the native API while we waited: nothing is left to send; the client polls again.
      GolongpollWire.write(resp, 200, GolongpollWire.timeout(fallbackTimestamp));
    } else if (answer instanceof Answer.ShuttingDown) {
      long max = Math.max(1, retryAfterMax.toSeconds());
      resp.setHeader("Retry-After", Long.toString(ThreadLocalRandom.current().nextLong(1, max + 1)));
      GolongpollWire.write(resp, 503, GolongpollWire.error(SHUTTING_DOWN));
    }
  }

  private long issuedAt(Cursor cursor) {
    return cursor == null || cursor.issuedAt() <= 0 ? fallbackTimestamp : cursor.issuedAt();
  }
}
