import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * How the load tools speak to one server in one mode: the requests a subscriber sends, how it follows
 * the channel from one answer to the next, how to publish, and how to count who is waiting.
 *
 * <ul>
 *   <li><b>parkway</b>: {@code GET /channels/{c}?after=<cursor>&timeout=T} ({@code poll}), {@code GET
 *       /poll?channel={c}&channel={c}.b&after=<cursor>} ({@code multi}), {@code GET
 *       /channels/{c}/stream} ({@code sse}); each poll sends back the {@code cursor} of the previous
 *       answer (the first has none: it starts at the head). Publish {@code POST /channels/{c}};
 *       waiting subscribers from {@code /channels/{c}/info}.
 *   <li><b>direct</b>: the same requests, sent to Parkway's direct port ({@code parkway.direct.port}),
 *       which has the servlet port's wire contract for these routes but no SSE; the name only tells
 *       the two ports apart in the tools' output.
 *   <li><b>nchan</b> (the locations of {@code bench/nchan/nginx.conf.template}): {@code GET /sub/{c}}
 *       ({@code poll}), {@code /multi/{c}/{c}.b} ({@code multi}), {@code /batch/{c}} ({@code batch}: a
 *       multipart answer with every waiting message), {@code /sse/{c}} with {@code Accept:
 *       text/event-stream} ({@code sse}); each poll sends back the previous answer's {@code
 *       Last-Modified} and {@code Etag} as {@code If-Modified-Since} and {@code If-None-Match}, which is
 *       how an Nchan long-poll subscriber walks the channel's queue (the first has neither: with
 *       {@code nchan_subscriber_first_message newest} it waits for the next message). Publish {@code
 *       POST /pub/{c}}; waiting subscribers from {@code GET /pub/{c}} with {@code Accept: text/json}.
 * </ul>
 *
 * <p>In {@code multi} mode the subscriber covers two channels and the tool publishes to the first.
 * Immutable; {@link Follow} objects belong to one subscriber and one thread.
 */
abstract class Dialect {
  static final Pattern SUBSCRIBERS = Pattern.compile("\"subscribers\"\\s*:\\s*(\\d+)");
  private static final Pattern CURSOR = Pattern.compile("\"cursor\"\\s*:\\s*\"([^\"]+)\"");
  private static final Pattern TIMEOUT = Pattern.compile("\"timeout\"\\s*:\\s*true");

  enum Mode { POLL, MULTI, SSE, BATCH }

  /** What an answer to a poll meant. */
  enum Outcome { EVENTS, TIMEOUT, ERROR }

  /** Where one subscriber is in the channel: what it sends back on its next poll. */
  static final class Follow {
    String cursor; // parkway
    String lastModified; // nchan
    String etag; // nchan
  }

  /** The {@code --server} name it was made for: parkway, direct or nchan. */
  final String server;
  final String channel;
  final Mode mode;
  final String host;
  private final String publishPath;
  private final Map<String, String> publishHeaders;

  private Dialect(String server, String channel, Mode mode, String host, String publishPath,
      Map<String, String> publishHeaders) {
    this.server = server;
    this.channel = channel;
    this.mode = mode;
    this.host = host;
    this.publishPath = publishPath;
    this.publishHeaders = publishHeaders;
  }

  /** null with a message on stderr when the combination does not exist. */
  static Dialect of(String server, String mode, String channel, String host) {
    Mode m;
    try {
      m = Mode.valueOf(mode.toUpperCase(java.util.Locale.ROOT));
    } catch (IllegalArgumentException e) {
      System.err.println("unknown mode " + mode + " (poll, multi, sse, batch)");
      return null;
    }
    switch (server) {
      case "parkway":
      case "direct":
        if (server.equals("direct") && m == Mode.SSE) {
          System.err.println("the direct port serves no SSE (/channels/{c}/stream is on the servlet port only)");
          return null;
        }
        // Parkway always batches: an answer carries up to `limit` events.
        return new Parkway(server, channel, m == Mode.BATCH ? Mode.POLL : m, host);
      case "nchan":
        return new Nchan(channel, m, host);
      default:
        System.err.println("unknown server " + server + " (parkway, direct, nchan)");
        return null;
    }
  }

  boolean streaming() {
    return mode == Mode.SSE;
  }

  /** The second channel of {@code multi} mode. */
  String second() {
    return channel + ".b";
  }

  /** The subscriber's next request (a poll, or opening a stream), as bytes. */
  abstract byte[] subscribe(Follow f, int timeoutSeconds);

  /** Reads a poll answer: updates {@code f} to follow on from it. */
  abstract Outcome answered(Follow f, HttpWire.Response r);

  String publishPath() {
    return publishPath;
  }

  Map<String, String> publishHeaders() {
    return publishHeaders;
  }

  /** Whether a publish answer means the event was accepted. */
  abstract boolean published(HttpWire.Response r);

  /** Subscribers waiting on {@link #channel} now, by the server's own count. */
  abstract int subscribers(HttpWire.Connection http) throws IOException;

  /** The {@code subscribers} field of a channel-information answer; 0 for a channel not known yet. */
  static int subscribers(HttpWire.Connection http, String path, Map<String, String> headers)
      throws IOException {
    HttpWire.Response r = http.send("GET", path, headers, null, null);
    if (r.status() == 404) {
      return 0;
    }
    if (r.status() != 200) {
      throw new IOException(path + " answered " + r.status() + " " + HttpWire.abbreviate(r.body()));
    }
    return (int) find(SUBSCRIBERS, r.body());
  }

  static long find(Pattern p, String s) {
    Matcher m = p.matcher(s);
    return m.find() ? Long.parseLong(m.group(1)) : -1;
  }

  static final class Parkway extends Dialect {
    private static final Map<String, String> JSON = Map.of("Accept", "application/json");
    private static final Map<String, String> PUBLISH =
        Map.of("Accept", "application/json", "Content-Type", "application/json");

    Parkway(String server, String channel, Mode mode, String host) {
      super(server, channel, mode, host, "/channels/" + channel, PUBLISH);
    }

    @Override
    byte[] subscribe(Follow f, int timeoutSeconds) {
      String after = f.cursor == null ? "" : "after=" + f.cursor + "&";
      String path = switch (mode) {
        case SSE -> "/channels/" + channel + "/stream";
        case MULTI -> "/poll?channel=" + channel + "&channel=" + second() + "&" + after + "timeout=" + timeoutSeconds;
        default -> "/channels/" + channel + "?" + after + "timeout=" + timeoutSeconds;
      };
      return HttpWire.request("GET", path, host,
          mode == Mode.SSE ? Map.of("Accept", "text/event-stream") : JSON, null);
    }

    @Override
    Outcome answered(Follow f, HttpWire.Response r) {
      if (r.status() != 200) {
        return Outcome.ERROR;
      }
      Matcher m = CURSOR.matcher(r.body());
      if (m.find()) {
        f.cursor = m.group(1);
      }
      return TIMEOUT.matcher(r.body()).find() ? Outcome.TIMEOUT : Outcome.EVENTS;
    }

    @Override
    boolean published(HttpWire.Response r) {
      return r.status() == 201;
    }

    @Override
    int subscribers(HttpWire.Connection http) throws IOException {
      return subscribers(http, "/channels/" + channel + "/info", JSON);
    }
  }

  static final class Nchan extends Dialect {
    private static final Map<String, String> INFO = Map.of("Accept", "text/json");
    private static final Map<String, String> PUBLISH =
        Map.of("Accept", "text/json", "Content-Type", "application/json");

    Nchan(String channel, Mode mode, String host) {
      super("nchan", channel, mode, host, "/pub/" + channel, PUBLISH);
    }

    @Override
    byte[] subscribe(Follow f, int timeoutSeconds) {
      String path = switch (mode) {
        case SSE -> "/sse/" + channel;
        case MULTI -> "/multi/" + channel + "/" + second();
        case BATCH -> "/batch/" + channel;
        default -> "/sub/" + channel;
      };
      Map<String, String> headers = new LinkedHashMap<>();
      if (mode == Mode.SSE) {
        headers.put("Accept", "text/event-stream");
      }
      if (f.lastModified != null) {
        headers.put("If-Modified-Since", f.lastModified);
      }
      if (f.etag != null) {
        headers.put("If-None-Match", f.etag);
      }
      return HttpWire.request("GET", path, host, headers, null);
    }

    @Override
    Outcome answered(Follow f, HttpWire.Response r) {
      // 304 / 408: the subscriber timed out with nothing new (nchan_subscriber_timeout); poll again
      // with the same headers.
      if (r.status() == 304 || r.status() == 408) {
        return Outcome.TIMEOUT;
      }
      if (r.status() != 200) {
        return Outcome.ERROR;
      }
      String lm = r.header("last-modified");
      String etag = r.header("etag");
      if (lm != null) {
        f.lastModified = lm;
      }
      if (etag != null) {
        f.etag = etag;
      }
      return Outcome.EVENTS;
    }

    @Override
    boolean published(HttpWire.Response r) {
      return r.status() == 201 || r.status() == 202; // 202: accepted, nobody was subscribed
    }

    @Override
    int subscribers(HttpWire.Connection http) throws IOException {
      return subscribers(http, "/pub/" + channel, INFO);
    }
  }
}
