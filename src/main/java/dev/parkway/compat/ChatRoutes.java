package dev.parkway.compat;

import dev.parkway.transport.http.Mount;

/**
 * The chat of the "HTTP long polling in Go" tutorial (seed 003), on one channel ({@code
 * parkway.compat.chat.channel}, default {@code chat}): {@code POST /messages} with {@code {"body": "..."}}
 * publishes, and {@code GET /messages?after=<id>} long-polls ({@code parkway.compat.chat.timeout}, 10 s)
 * for the messages after that id, answered as a JSON array ({@code []} on timeout). Message ids are
 * {@link EventIds}: UUIDs that sort in publish order and name the event's seq, so a client that follows
 * the last id it saw gets every message exactly once. See docs/compatibility.md, "Chat".
 */
public final class ChatRoutes {
  private ChatRoutes() {}

  /** Mounts {@code {prefix}/messages} ({@code prefix} is "" or "/something"). */
  public static void register(Mount ctx, CompatContext c, String prefix) {
    CompatRoutes.add(ctx, "parkway-compat-chat", new ChatServlet(c), prefix + "/messages");
  }
}
