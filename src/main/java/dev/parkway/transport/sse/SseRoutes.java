package dev.parkway.transport.sse;

import dev.parkway.config.Config;
import dev.parkway.core.Broker;
import dev.parkway.core.Timer;
import dev.parkway.transport.http.Mount;
import dev.parkway.transport.http.PollQuery;
import dev.parkway.transport.http.StreamHandler;

/**
 * Mounts the SSE routes: {@code GET /stream?channel=...} here, and {@code GET /channels/{c}/stream}
 * through the handler returned to the channel servlet (a servlet mapping cannot end in a wildcard
 * segment followed by a literal). The contract is docs/streams.md.
 */
public final class SseRoutes {
  private SseRoutes() {}

  /**
   * Mounts {@code /stream} and returns the handler the channel servlet uses for {@code
   * /channels/{c}/stream}.
   */
  public static StreamHandler register(Mount mount, Broker broker, Config config, Timer timer) {
    PollQuery query = new PollQuery(config);
    StreamStart starts = new StreamStart(query);
    SseStreams streams = new SseStreams(broker, timer, config);
    mount.servlet("parkway-stream", new StreamServlet(query, starts, streams), "/stream");
    return (req, resp, subscription) ->
        streams.open(req, resp, subscription, starts.of(req, subscription), NativeFormat.INSTANCE);
  }
}
