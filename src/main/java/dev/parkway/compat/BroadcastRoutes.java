package dev.parkway.compat;

import dev.parkway.auth.Action;
import dev.parkway.auth.Target;
import dev.parkway.auth.servlet.Access;
import dev.parkway.core.InvalidCursorException;
import dev.parkway.core.Start;
import dev.parkway.core.StoreUnavailableException;
import dev.parkway.core.Subscription;
import dev.parkway.transport.http.ApiException;
import dev.parkway.transport.sse.SseStreams;
import jakarta.servlet.ServletContext;
import java.lang.System.Logger.Level;
import java.util.Map;

/**
 * The broadcast example (seed 001), a thin adapter over the broadcast channel
 * ({@code parkway.compat.broadcast.channel}, default {@code broadcast}):
 *
 * <ul>
 *   <li>{@code GET /getmessage}: the next broadcast as text, or {@code No new messages} after
 *       {@code parkway.compat.broadcast.timeout} (30 s);
 *   <li>{@code GET|POST /updatemessage?message=...}: broadcast, 200 with an empty body;
 *   <li>its SSE demo, {@code GET /events} with {@code Accept: text/event-stream} and no {@code category}:
 *       every broadcast from now on as a {@code data: <message>} frame (shared path, see {@link
 *       EventsServlet}).
 * </ul>
 *
 * A broadcast is an ordinary event on that channel (its data is the message as a JSON string), so
 * native pollers and streams of the channel see it too. docs/compatibility.md (broadcast) has the details.
 */
public final class BroadcastRoutes {
  private static final System.Logger LOG = System.getLogger(BroadcastRoutes.class.getName());

  private BroadcastRoutes() {}

  /** Mounts this route's servlets under {@code prefix} ("" or "/something"). */
  public static void register(ServletContext ctx, CompatContext c, String prefix) {
    BroadcastText text = new BroadcastText(c.jsonb());
    CompatRoutes.add(
        ctx,
        "parkway-compat-broadcast-get",
        new BroadcastServlet(c, text, BroadcastServlet.Route.GET_MESSAGE),
        prefix + "/getmessage");
    CompatRoutes.add(
        ctx,
        "parkway-compat-broadcast-update",
        new BroadcastServlet(c, text, BroadcastServlet.Route.UPDATE_MESSAGE),
        prefix + "/updatemessage");
  }

  /** The handler for this route's share of {@code GET /events}; see {@link EventsServlet}. */
  public static RequestHandler stream(CompatContext c) {
    SseStreams streams = new SseStreams(c.broker(), c.timer(), c.config());
    BroadcastFrames frames = new BroadcastFrames(new BroadcastText(c.jsonb()));
    Subscription channel = Subscription.of(c.settings().broadcastChannel());
    return (req, resp) -> {
      try {
        Access.require(req, Action.SUBSCRIBE, Target.channel(c.settings().broadcastChannel()));
        // Only broadcasts made from now on, as the original: no id is sent, so there is nothing to resume.
        streams.open(req, resp, channel, new Start.Head(), frames);
      } catch (ApiException e) {
        refuse(c, resp, e);
      } catch (StoreUnavailableException | InvalidCursorException e) {
        LOG.log(Level.WARNING, "broadcast stream refused: " + e.getMessage());
        refuse(c, resp, new ApiException(503, "store_unavailable",
            "the store cannot be reached; try again shortly", Map.of("Retry-After", "1")));
      } catch (RuntimeException e) {
        LOG.log(Level.ERROR, "unexpected failure opening the broadcast stream", e);
        refuse(c, resp, new ApiException(500, "internal_error", "the server failed; this is a bug"));
      }
    };
  }

  private static void refuse(CompatContext c, jakarta.servlet.http.HttpServletResponse resp, ApiException e)
      throws java.io.IOException {
    if (!resp.isCommitted()) {
      resp.reset();
      c.json().error(resp, e);
    }
  }
}
