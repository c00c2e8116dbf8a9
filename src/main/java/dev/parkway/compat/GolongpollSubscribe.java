package dev.parkway.compat;

import dev.parkway.auth.Action;
import dev.parkway.auth.Target;
import dev.parkway.auth.servlet.Access;
import dev.parkway.core.Broker;
import dev.parkway.core.EventStore;
import dev.parkway.core.PollRequest;
import dev.parkway.core.Start;
import dev.parkway.core.StoreUnavailableException;
import dev.parkway.transport.http.ApiException;
import dev.parkway.core.Subscription;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.lang.System.Logger.Level;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.UUID;

/**
 * golongpoll's subscription handler: {@code GET /events?timeout=&category=&since_time=&last_id=}.
 *
 * <p>Validation follows golongpoll exactly: the checks run in the order timeout, category, since_time,
 * last_id, and a refused request is answered 200 with golongpoll's {@code {"error": "..."}} string. Any
 * method is accepted, as golongpoll's handler does not look at it.
 *
 * <p>golongpoll selects events by time: those with a timestamp greater than {@code since_time}, or equal to
 * it with an id other than {@code last_id}, scanning back from the newest and stopping at {@code last_id}.
 * Parkway turns that rule into a position in the channel once, when the request arrives ({@link
 * #startOf}), and from there on parks and reads by seq like every native poll: an event published while
 * the client waits is delivered whatever its timestamp, and events within one millisecond are told apart
 * by their ids. No {@code since_time} means "only new events" ({@link Start.Head}).
 *
 * <p>Stateless apart from the shared context; thread-safe.
 */
final class GolongpollSubscribe implements RequestHandler {
  private static final System.Logger LOG = System.getLogger(GolongpollSubscribe.class.getName());

  private final CompatContext c;

  GolongpollSubscribe(CompatContext c) {
    this.c = c;
  }

  @Override
  public void handle(HttpServletRequest req, HttpServletResponse resp) throws IOException {
    GolongpollWire.subscribeHeaders(resp);
    GolongpollQuery query = GolongpollQuery.parse(req.getQueryString());

    int max = c.settings().golongpollTimeoutMax();
    OptionalLong timeout = GolongpollQuery.parseLong(query.get("timeout"));
    if (timeout.isEmpty() || timeout.getAsLong() < 1 || timeout.getAsLong() > max) {
      refuse(resp, String.format(GolongpollWire.TIMEOUT_ERROR, max));
      return;
    }
    GolongpollCategory category = GolongpollCategory.of(query.get("category"));
    if (category == null) {
      refuse(resp, GolongpollWire.CATEGORY_ERROR);
      return;
    }
    if (!Access.permits(req, resp, Action.SUBSCRIBE, Target.channel(category.key()))) {
      return;
    }
    Long since = null;
    String sinceText = query.get("since_time");
    if (!sinceText.isEmpty()) {
      OptionalLong parsed = GolongpollQuery.parseLong(sinceText);
      if (parsed.isEmpty()) {
        refuse(resp, GolongpollWire.SINCE_TIME_ERROR);
        return;
      }
      since = parsed.getAsLong();
    }
    UUID lastId = null;
    String lastIdText = query.get("last_id");
    if (!lastIdText.isEmpty()) {
      if (since == null) {
        refuse(resp, GolongpollWire.LAST_ID_WITHOUT_SINCE_ERROR);
        return;
      }
      lastId = GolongpollQuery.parseUuid(lastIdText);
      if (lastId == null) {
        refuse(resp, GolongpollWire.LAST_ID_ERROR);
        return;
      }
    }

    try {
      poll(req, timeout.getAsLong() * 1000, category, since, lastId);
    } catch (ApiException e) { // 429 too_many_polls, from the per-address limit
      c.broker().counters().rejections.count(e.status(), e.code());
      fail(req, resp, e.status(), e.getMessage(), e.headers());
    } catch (StoreUnavailableException e) {
      LOG.log(Level.WARNING, "store unavailable: " + e.getMessage());
      fail(req, resp, 503, "The event store cannot be reached; try again shortly.");
    } catch (RuntimeException e) {
      LOG.log(Level.ERROR, "golongpoll subscription failed", e);
      fail(req, resp, 500, "The server failed; this is a bug.");
    }
  }

  private void poll(
      HttpServletRequest req, long timeoutMillis, GolongpollCategory category, Long since, UUID lastId) {
    Broker broker = c.broker();
    String epoch = broker.epoch();
    long now = broker.now(); // before any read of this request
    Start start = since == null ? new Start.Head() : startOf(broker, epoch, category.key(), since, lastId);
    long fallback = since == null ? now : Math.min(since, now);
    PollRequest request =
        new PollRequest(
            Subscription.of(category.key()), start, timeoutMillis, c.config().pollLimitMax(), null);
    c.polls()
        .poll(
            req,
            timeoutMillis,
            new GolongpollAnswerFormat(category, epoch, fallback, c.config().shutdownRetryAfter()),
            responder -> broker.poll(request, responder));
  }

  /**
   * Where golongpoll's selection rule starts in the channel: after position P, where the events after P are
   * exactly those with a timestamp greater than {@code since}, or equal to it with an id other than {@code
   * lastId}, up to {@code lastId}. Timestamps never decrease within a channel, so those form a suffix.
   *
   * <ul>
   *   <li>No {@code last_id}: P is the last event with timestamp at or before {@code since}.
   *   <li>A {@code last_id}: the events at exactly {@code since} count too (P is the last event before
   *       {@code since}), but not {@code last_id} itself nor anything before it: P = max(that, last_id's
   *       seq). A {@code last_id} that is a UUID but not one of this channel's ids in this epoch (another
   *       category, an id from before a restart, any other UUID) only has the first effect, as in
   *       golongpoll, where no event would match it. An id of ours with a timestamp after {@code since}
   *       (no golongpoll client sends one) still means "after that id": Parkway does not resend what the
   *       client says it has, where golongpoll would.
   * </ul>
   *
   * P before the oldest retained event starts from the oldest retained one, without a gap: golongpoll
   * clients have no word for events that retention dropped, and golongpoll itself skips them silently.
   */
  static Start startOf(Broker broker, String epoch, String key, long since, UUID lastId) {
    Optional<EventStore.ChannelStats> stats = broker.stats(key);
    if (stats.isEmpty()) {
      return new Start.Oldest(); // nothing retained: every event that comes is new
    }
    long head = stats.get().head();
    long position;
    if (lastId == null) {
      long firstAfter = since == Long.MAX_VALUE ? head + 1 : broker.firstSeqSince(key, since + 1);
      position = firstAfter - 1;
    } else {
      position = broker.firstSeqSince(key, since) - 1;
      OptionalLong seq = EventIds.seqOf(epoch, key, lastId);
      // An id past the head cannot have been delivered to anyone: it is forged, so treated as foreign.
      if (seq.isPresent() && seq.getAsLong() <= head) {
        position = Math.max(position, seq.getAsLong());
      }
    }
    // Read after the positions above: retention only moves the oldest forward. Appends since the stats
    // only add events after the head, which the poll then reads as new.
    long oldest = broker.firstSeqSince(key, Long.MIN_VALUE);
    return position < oldest ? new Start.Oldest() : new Start.AfterSeq(position);
  }

  private static void refuse(HttpServletResponse resp, String message) throws IOException {
    GolongpollWire.write(resp, 200, GolongpollWire.error(message)); // golongpoll answers errors 200
  }

  /** An unforeseen failure, possibly after the request went async. */
  private static void fail(HttpServletRequest req, HttpServletResponse resp, int status, String message)
      throws IOException {
    fail(req, resp, status, message, java.util.Map.of());
  }

  private static void fail(
      HttpServletRequest req,
      HttpServletResponse resp,
      int status,
      String message,
      java.util.Map<String, String> headers)
      throws IOException {
    if (!resp.isCommitted()) {
      resp.reset();
      GolongpollWire.subscribeHeaders(resp);
      headers.forEach(resp::setHeader);
      if (status == 503) {
        resp.setHeader("Retry-After", "1");
      }
      GolongpollWire.write(resp, status, GolongpollWire.error(message));
    }
    if (req.isAsyncStarted()) {
      req.getAsyncContext().complete();
    }
  }
}
