package dev.parkway.transport.http;

import dev.parkway.core.Answer;
import dev.parkway.core.Event;
import dev.parkway.core.Gap;
import dev.parkway.core.Mailboxes;
import jakarta.servlet.http.HttpServletResponse;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Writes a poll's {@link Answer} as HTTP.
 *
 * <p>Event answers are assembled from each event's pre-encoded JSON bytes (see {@link Event#jsonBytes()})
 * rather than through JSON-B: a fan-out writes the same event bytes to every waiter without encoding it
 * again. Cursors and gaps hold only name-alphabet characters and digits, so they need no escaping either.
 * Thread-safe.
 */
public final class AnswerWriter {
  private static final byte[] EVENTS_OPEN = "{\"events\":[".getBytes(StandardCharsets.US_ASCII);
  /**
   * The last answer encoded. In a fan-out the core hands the polls that made the same read one shared
   * {@link Answer.Events} (see {@code SharedReads}), one poll after another: comparing by identity turns N
   * encodings into one. Delivery threads that race here only overwrite each other's entry (a miss, not an
   * error). Not a ThreadLocal: on a container thread that would pin the web application's class loader.
   */
  private static volatile Encoded last;

  private record Encoded(Answer.Events answer, boolean single, byte[] bytes) {}
  private final JsonWriter json;
  private final Duration retryAfterMax;

  public AnswerWriter(JsonWriter json, Duration retryAfterMax) {
    this.json = json;
    this.retryAfterMax = retryAfterMax;
  }

  /**
   * The native format. {@code single} selects the one-channel form of gaps ({@code "gap": {...}}) over
   * the many-channel form ({@code "gaps": [...]}).
   */
  public AnswerFormat format(boolean single) {
    return (resp, answer) -> write(resp, answer, single);
  }

  void write(HttpServletResponse resp, Answer answer, boolean single) throws IOException {
    if (answer instanceof Answer.Events events) {
      JsonWriter.writeRaw(resp, 200, encodeShared(events, single));
    } else if (answer instanceof Answer.ChannelDeleted deleted) {
      json.error(
          resp,
          channelDeleted(deleted));
    } else if (answer instanceof Answer.ShuttingDown) {
      json.error(resp, shuttingDown());
    }
  }

  /** 410 {@code channel_deleted}: the answer to a poll whose channel was deleted while it waited. */
  public static ApiException channelDeleted(Answer.ChannelDeleted deleted) {
    return new ApiException(410, "channel_deleted", "channel " + deleted.channel() + " was deleted");
  }

  /** 503 {@code shutting_down} with a jittered {@code Retry-After}, so clients do not return at once. */
  public ApiException shuttingDown() {
    long max = Math.max(1, retryAfterMax.toSeconds());
    long seconds = ThreadLocalRandom.current().nextLong(1, max + 1);
    return new ApiException(
        503,
        "shutting_down",
        "the server is stopping; poll again shortly",
        Map.of("Retry-After", Long.toString(seconds)));
  }

  /**
   * {@link #encode}, reusing the bytes of the last answer encoded if it is the same object.
   * The bytes returned are shared: never modify them.
   */
  public static byte[] encodeShared(Answer.Events answer, boolean single) {
    Encoded seen = last;
    if (seen != null && seen.answer() == answer && seen.single() == single) {
      return seen.bytes();
    }
    byte[] bytes = encode(answer, single);
    last = new Encoded(answer, single, bytes);
    return bytes;
  }

  public static byte[] encode(Answer.Events answer, boolean single) {
    List<Event> events = answer.events();
    int size = 96;
    for (Event event : events) {
      size += event.jsonBytes().length + 1;
    }
    ByteArrayOutputStream out = new ByteArrayOutputStream(size);
    out.writeBytes(EVENTS_OPEN);
    for (int i = 0; i < events.size(); i++) {
      if (i > 0) {
        out.write(',');
      }
      out.writeBytes(events.get(i).jsonBytes());
    }
    StringBuilder tail = new StringBuilder(64);
    tail.append("],\"cursor\":\"").append(answer.cursor().encode()).append('"');
    tail.append(",\"more\":").append(answer.more());
    List<Gap> gaps = answer.gaps();
    if (!gaps.isEmpty()) {
      if (single) {
        tail.append(",\"gap\":");
        gap(tail, gaps.get(0));
      } else {
        tail.append(",\"gaps\":[");
        for (int i = 0; i < gaps.size(); i++) {
          if (i > 0) {
            tail.append(',');
          }
          gap(tail, gaps.get(i));
        }
        tail.append(']');
      }
    }
    if (answer.reason() == Answer.Reason.TIMEOUT) {
      tail.append(",\"timeout\":true");
    } else if (answer.reason() == Answer.Reason.SUPERSEDED) {
      tail.append(",\"superseded\":true");
    }
    tail.append('}');
    out.writeBytes(tail.toString().getBytes(StandardCharsets.US_ASCII));
    return out.toByteArray();
  }

  private static void gap(StringBuilder sb, Gap gap) {
    sb.append('{').append(Mailboxes.jsonOwner(gap.channel()))
        .append(",\"requested\":").append(gap.requested())
        .append(",\"oldest\":").append(gap.oldest()).append('}');
  }
}
