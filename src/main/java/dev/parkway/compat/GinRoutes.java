package dev.parkway.compat;

import dev.parkway.transport.http.Mount;

/**
 * The per-client poll of the Gin example (seed 000) and the Node/React example (seed 004), on the
 * mailboxes: {@code GET /poll/{id}} long-polls client {@code id}'s mailbox and answers its oldest
 * unacknowledged message as {@code {"message": <data>}}; {@code POST /send/{id}} (Gin) and {@code POST
 * /poll/send} with {@code "to"} (Node) queue a message in it. See docs/compatibility.md, "Gin and
 * Node/React", for the exact answers and how they differ from the originals.
 *
 * <p>{@link CompatRoutes} calls {@link #register} once if {@code gin} or {@code node} is switched on; the
 * two flags are told apart here, as they share {@code GET /poll/{id}}:
 *
 * <ul>
 *   <li>gin on: {@code {gin path}/poll/*} and {@code {gin path}/send/*};
 *   <li>node on: {@code POST {node path}/poll/send}, and {@code GET {node path}/poll/{id}} (the React
 *       client's poll), on the same servlet as gin's when both use the same path.
 * </ul>
 */
public final class GinRoutes {
  private GinRoutes() {}

  /**
   * Mounts the routes switched on.
   *
   * @param prefix the gin path if gin is on, else the node path ("" or "/something")
   */
  public static void register(Mount ctx, CompatContext c, String prefix) {
    var s = c.settings();
    boolean gin = s.on("gin");
    boolean node = s.on("node");
    String nodePath = gin ? s.path("node") : prefix;
    if (gin && node && nodePath.equals(prefix)) {
      CompatRoutes.add(ctx, "parkway-compat-gin", new GinServlet(c, true, true), prefix + "/poll/*",
          prefix + "/send/*");
      return;
    }
    if (gin) {
      CompatRoutes.add(ctx, "parkway-compat-gin", new GinServlet(c, true, false), prefix + "/poll/*",
          prefix + "/send/*");
    }
    if (node) {
      CompatRoutes.add(ctx, "parkway-compat-node", new GinServlet(c, false, true), nodePath + "/poll/*");
    }
  }
}
