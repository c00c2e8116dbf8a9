package dev.parkway.auth.servlet;

import dev.parkway.auth.AccessRequest;
import dev.parkway.auth.Action;
import dev.parkway.auth.Authorizer;
import dev.parkway.auth.Grant;
import dev.parkway.auth.Target;
import dev.parkway.auth.Unauthenticated;
import dev.parkway.core.Subscription;
import dev.parkway.transport.http.ApiException;
import dev.parkway.transport.http.JsonWriter;
import jakarta.servlet.ServletContext;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.Map;

/**
 * The checks every route calls where it knows what a request touches: {@code Access.require(req,
 * Action.PUBLISH, Target.channel(c))} and friends. Each throws {@link ApiException}, which the routes
 * already turn into their JSON error:
 *
 * <ul>
 *   <li>401 {@code unauthorized} (no token) or {@code invalid_token} (a token the {@link Authorizer}
 *       refuses), with {@code WWW-Authenticate: Bearer realm="parkway"} (plus {@code
 *       error="invalid_token"} when a token was given);
 *   <li>403 {@code forbidden}: a valid token that does not allow this action on this target, with
 *       {@code WWW-Authenticate: Bearer realm="parkway", error="insufficient_scope"} (RFC 6750).
 * </ul>
 *
 * <p>A request is authenticated once: by {@link AuthFilter} before any route sees it, or else by the
 * first check (a route registered after the filter was mapped, such as {@code /metrics}); the {@link
 * Grant} is kept as a request attribute. A route for server-wide statistics calls {@link #requireAdmin}.
 *
 * <p>The authorizer lives in a servlet context attribute set by {@link #install}; a check in a context
 * without one fails closed (500). Stateless apart from that; thread-safe.
 */
public final class Access {
  private static final String CONTEXT_ATTRIBUTE = Access.class.getName();
  private static final String GRANT_ATTRIBUTE = Access.class.getName() + ".grant";
  private static final String REALM = "Bearer realm=\"parkway\"";

  private final Authorizer authorizer;
  private final JsonWriter json;

  private Access(Authorizer authorizer, JsonWriter json) {
    this.authorizer = authorizer;
    this.json = json;
  }

  /** Makes {@code authorizer} the one every check in this context asks. */
  public static void install(ServletContext ctx, Authorizer authorizer, JsonWriter json) {
    ctx.setAttribute(CONTEXT_ATTRIBUTE, new Access(authorizer, json));
  }

  public static void uninstall(ServletContext ctx) {
    ctx.removeAttribute(CONTEXT_ATTRIBUTE);
  }

  /**
   * What the request may do, authenticating it on first use.
   *
   * @throws ApiException 401 without credentials the authorizer accepts
   */
  public static Grant grant(HttpServletRequest req) {
    Object known = req.getAttribute(GRANT_ATTRIBUTE);
    if (known instanceof Grant grant) {
      return grant;
    }
    Grant grant = authenticate(of(req).authorizer, new HttpAccessRequest(req));
    req.setAttribute(GRANT_ATTRIBUTE, grant);
    return grant;
  }

  /**
   * Authenticates a request of any transport with {@code authorizer}.
   *
   * @throws ApiException 401 without credentials the authorizer accepts
   */
  public static Grant authenticate(Authorizer authorizer, AccessRequest request) {
    Grant grant;
    try {
      grant = authorizer.authenticate(request);
    } catch (Unauthenticated e) {
      throw unauthenticated(e);
    }
    if (grant == null) { // a custom authorizer's bug: refuse rather than allow
      throw new ApiException(500, "internal_error", "the authorizer gave no answer");
    }
    return grant;
  }

  /**
   * Refuses unless {@code grant} allows {@code action} on {@code target}.
   *
   * @throws ApiException 403
   */
  public static void require(Grant grant, Action action, Target target) {
    if (!grant.allows(action, target)) {
      throw new ApiException(
          403,
          "forbidden",
          "the token does not allow " + action.word() + " on " + target.describe(),
          Map.of("WWW-Authenticate", REALM + ", error=\"insufficient_scope\""));
    }
  }

  /** {@link #requireSubscribe(HttpServletRequest, Subscription, String)} for a grant of any transport. */
  public static void requireSubscribe(Grant grant, Subscription subscription, String clientId) {
    for (String channel : subscription.channels()) {
      require(grant, Action.SUBSCRIBE, Target.channel(channel));
    }
    for (String prefix : subscription.prefixes()) {
      require(grant, Action.SUBSCRIBE, Target.pattern(prefix + "*"));
    }
    if (clientId != null) {
      require(grant, Action.SUBSCRIBE, Target.mailbox(clientId));
    }
  }

  /**
   * Refuses the request unless it may do {@code action} on {@code target}.
   *
   * @throws ApiException 401 or 403
   */
  public static void require(HttpServletRequest req, Action action, Target target) {
    require(grant(req), action, target);
  }

  /**
   * A poll or stream: subscribe on every channel and pattern it names (a pattern needs a grant that
   * covers the whole pattern), and on the mailbox of the client id it acts as, if any ({@code client=}
   * names the slot a newer poll supersedes: acting as another client would cut off that client's polls).
   */
  public static void requireSubscribe(HttpServletRequest req, Subscription subscription, String clientId) {
    requireSubscribe(grant(req), subscription, clientId);
  }

  /** Server-wide statistics ({@code /metrics}): admin on {@link Target#server()}. */
  public static void requireAdmin(HttpServletRequest req) {
    require(req, Action.ADMIN, Target.server());
  }

  /**
   * {@link #require} for routes that write their own answers instead of throwing: writes the JSON refusal
   * and returns false, or returns true.
   */
  public static boolean permits(
      HttpServletRequest req, HttpServletResponse resp, Action action, Target target) throws IOException {
    try {
      require(req, action, target);
      return true;
    } catch (ApiException e) {
      refuse(req, resp, e);
      return false;
    }
  }

  /** Writes a refusal of this class (or any {@link ApiException}) as the API's JSON error. */
  static void refuse(HttpServletRequest req, HttpServletResponse resp, ApiException e) throws IOException {
    if (!resp.isCommitted()) {
      resp.reset();
      of(req).json.error(resp, e);
    }
  }

  private static Access of(HttpServletRequest req) {
    Object access = req.getServletContext().getAttribute(CONTEXT_ATTRIBUTE);
    if (access instanceof Access a) {
      return a;
    }
    // Fail closed: a route wired without access control must not answer as if it were open.
    throw new ApiException(500, "internal_error", "access control is not set up");
  }

  private static ApiException unauthenticated(Unauthenticated e) {
    String challenge = e.tokenGiven() ? REALM + ", error=\"invalid_token\"" : REALM;
    return new ApiException(
        401,
        e.tokenGiven() ? "invalid_token" : "unauthorized",
        e.getMessage(),
        Map.of("WWW-Authenticate", challenge));
  }
}
