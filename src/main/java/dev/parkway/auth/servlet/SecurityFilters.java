package dev.parkway.auth.servlet;

import dev.parkway.auth.Authorizer;
import dev.parkway.auth.OpenAuthorizer;
import dev.parkway.config.Config;
import dev.parkway.transport.http.CorsFilter;
import dev.parkway.transport.http.CorsPolicy;
import dev.parkway.transport.http.JsonWriter;
import jakarta.servlet.DispatcherType;
import jakarta.servlet.Filter;
import jakarta.servlet.FilterRegistration;
import jakarta.servlet.ServletContext;
import java.lang.System.Logger.Level;
import java.util.EnumSet;

/**
 * Puts access control and CORS in front of Parkway's routes; called once by {@code Bootstrap} after every
 * route is mounted. Filters are mapped by servlet name onto every servlet named {@code parkway-*}, so
 * static files (the demo page) stay outside them:
 *
 * <ol>
 *   <li>{@link CorsFilter}, only when {@code parkway.cors.origins} is set, on every route ({@code /health}
 *       included): first, so a preflight (which carries no credentials) is answered before any check, and
 *       so refusals carry the CORS headers a page needs to read them;
 *   <li>{@link AuthFilter}, unless {@code parkway.auth=open}, on every route but {@code parkway-health}.
 * </ol>
 *
 * Both are async-capable (the container refuses {@code startAsync} behind a filter that is not). Web.xml
 * is metadata-complete, so this is the only place they are declared.
 */
public final class SecurityFilters {
  private static final System.Logger LOG = System.getLogger(SecurityFilters.class.getName());
  private static final String ROUTE_PREFIX = "parkway-";
  private static final String HEALTH = "parkway-health";

  private SecurityFilters() {}

  public static void register(ServletContext ctx, Authorizer authorizer, Config.Cors cors, JsonWriter json) {
    Access.install(ctx, authorizer, json);
    if (cors.enabled()) {
      map(ctx, "parkway-cors", new CorsFilter(new CorsPolicy(cors), json), true);
    }
    if (authorizer instanceof OpenAuthorizer) {
      LOG.log(Level.WARNING, "parkway.auth=open: anyone who can reach this server can publish, subscribe,"
          + " read any mailbox and delete channels. Set parkway.auth=tokens or jwt (docs/security.md).");
    } else {
      map(ctx, "parkway-auth", new AuthFilter(), false);
    }
    LOG.log(Level.INFO, "access control: " + authorizer.describe()
        + (cors.enabled() ? "; CORS for " + CorsPolicy.describe(cors) : "; no CORS"));
  }

  private static void map(ServletContext ctx, String name, Filter filter, boolean health) {
    String[] routes =
        ctx.getServletRegistrations().keySet().stream()
            .filter(n -> n.startsWith(ROUTE_PREFIX) && (health || !n.equals(HEALTH)))
            .sorted()
            .toArray(String[]::new);
    FilterRegistration.Dynamic registration = ctx.addFilter(name, filter);
    registration.setAsyncSupported(true);
    registration.addMappingForServletNames(EnumSet.of(DispatcherType.REQUEST), true, routes);
  }
}
