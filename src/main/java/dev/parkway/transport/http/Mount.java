package dev.parkway.transport.http;

import dev.parkway.config.ConfigException;
import dev.parkway.config.ConfigSource;
import jakarta.servlet.Filter;
import jakarta.servlet.FilterRegistration;
import jakarta.servlet.Servlet;
import jakarta.servlet.ServletContext;
import jakarta.servlet.ServletRegistration;
import java.util.Arrays;
import java.util.List;

/**
 * Where Parkway's routes sit in a servlet context: the one way every servlet and filter of Parkway is
 * registered, so that the path prefix ({@code parkway.prefix}) is applied everywhere or nowhere.
 *
 * <p>The prefix is "" (the routes at the context root: the WAR's default) or a path such as {@code /push}
 * (library mode, docs/library.md; its default there is {@link #LIBRARY_DEFAULT}). Route code names its
 * paths as if at the root ({@code "/channels/*"}, {@code "/health"}) and passes them here. Servlets read
 * their own paths relative to their mapping ({@code getPathInfo}, {@code getServletPath().endsWith}), so
 * they need no knowledge of the prefix; Parkway builds no absolute URL.
 *
 * <p>Every registration is async-capable: a poll parks its request, and the container requires every
 * servlet and filter on that chain to allow it. Filters are matched after the application's own
 * (declared in web.xml), so a host application's filters run in front of Parkway's.
 *
 * <p>Used only during start-up, on the starting thread, like the {@link ServletContext} it wraps.
 */
public record Mount(ServletContext context, String prefix) {
  /** The setting that names the prefix. */
  public static final String PREFIX = "parkway.prefix";

  /** The prefix when Parkway is added to another application as a library and none is set. */
  public static final String LIBRARY_DEFAULT = "/parkway";

  private static final String RULE = "must be empty, / or a path such as /push (segments of A-Z a-z 0-9 . _ ~ -)";

  public Mount {
    if (!prefix.isEmpty() && !valid(prefix)) {
      throw new IllegalArgumentException(PREFIX + " " + RULE + ": '" + prefix + "'");
    }
  }

  /**
   * The prefix {@code source} names, normalised ("/" and "" mean the root; a trailing "/" is dropped), or
   * {@code fallback} when it names none.
   *
   * @throws ConfigException if the value is not a path prefix
   */
  public static String prefix(ConfigSource source, String fallback) {
    String value = source.get(PREFIX).orElse(fallback);
    String normalised = value.endsWith("/") ? value.substring(0, value.length() - 1) : value;
    if (!normalised.isEmpty() && !valid(normalised)) {
      throw new ConfigException(List.of(PREFIX + " = '" + value + "': " + RULE));
    }
    return normalised;
  }

  private static boolean valid(String prefix) {
    List<String> segments = Arrays.asList(prefix.split("/"));
    return prefix.matches("(/[A-Za-z0-9._~-]+)+") && !segments.contains(".") && !segments.contains("..");
  }

  /** {@code path} (as if at the context root, starting with '/') under the prefix. */
  public String path(String path) {
    return prefix + path;
  }

  /**
   * Adds {@code servlet}, async-capable, mapped to each of {@code paths} under the prefix.
   *
   * @throws IllegalStateException if the context already has a servlet of that name (Parkway started twice)
   */
  public ServletRegistration.Dynamic servlet(String name, Servlet servlet, String... paths) {
    ServletRegistration.Dynamic registration = context.addServlet(name, servlet);
    if (registration == null) {
      throw new IllegalStateException("the servlet context already has a servlet named " + name);
    }
    registration.setAsyncSupported(true);
    registration.addMapping(Arrays.stream(paths).map(this::path).toArray(String[]::new));
    return registration;
  }

  /**
   * Adds {@code filter}, async-capable, for requests to each of {@code paths} under the prefix ({@code
   * "/*"}: every Parkway route), after the filters the application declares itself.
   *
   * @throws IllegalStateException if the context already has a filter of that name
   */
  public FilterRegistration.Dynamic filter(String name, Filter filter, String... paths) {
    FilterRegistration.Dynamic registration = context.addFilter(name, filter);
    if (registration == null) {
      throw new IllegalStateException("the servlet context already has a filter named " + name);
    }
    registration.setAsyncSupported(true);
    registration.addMappingForUrlPatterns(
        null, true, Arrays.stream(paths).map(this::path).toArray(String[]::new));
    return registration;
  }

  /** For the start-up log: "under /push" or "at the context root". */
  public String describe() {
    return prefix.isEmpty() ? "at the context root" : "under " + prefix;
  }
}
