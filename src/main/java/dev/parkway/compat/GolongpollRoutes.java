package dev.parkway.compat;

import dev.parkway.transport.http.Mount;

/**
 * golongpoll (seed 002) and its Go wrapper {@code common-library/go/long-polling}: {@code GET /events?category=}
 * subscribes, {@code POST /publish} publishes, with golongpoll v1.3.1's exact bodies, headers and selection
 * rule (docs/compatibility.md, golongpoll). A category is a Parkway channel ({@link GolongpollCategory}), so
 * golongpoll clients and native clients of the same channel see the same events.
 */
public final class GolongpollRoutes {
  private GolongpollRoutes() {}

  /** Mounts {@code POST {prefix}/publish}; {@code prefix} is "" or "/something". */
  public static void register(Mount ctx, CompatContext c, String prefix) {
    CompatRoutes.add(ctx, "parkway-compat-golongpoll-publish", new GolongpollPublishServlet(c), prefix + "/publish");
  }

  /** The handler for this route's share of {@code GET /events}; see {@link EventsServlet}. */
  public static RequestHandler subscribe(CompatContext c) {
    return new GolongpollSubscribe(c);
  }
}
