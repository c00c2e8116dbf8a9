package dev.parkway;

import dev.parkway.config.ConfigException;
import dev.parkway.transport.http.Mount;
import jakarta.servlet.ServletContainerInitializer;
import jakarta.servlet.ServletContext;
import jakarta.servlet.ServletContextEvent;
import jakarta.servlet.ServletContextListener;
import java.lang.System.Logger.Level;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Library mode: starts Parkway in any web application whose class path carries Parkway's jar, with its
 * routes under {@code parkway.prefix} ({@link Mount#LIBRARY_DEFAULT} unless set). The container finds it
 * through {@code META-INF/services/jakarta.servlet.ServletContainerInitializer}; docs/library.md is the
 * guide.
 *
 * <p>Parkway starts here, in {@code onStartup}, not in a listener added from here: the servlet spec
 * forbids a listener added programmatically to add servlets (Jetty enforces it), and onStartup runs
 * before every listener of the application, so the host's own listeners already find the broker.
 * A listener added here stops Parkway when the context is destroyed.
 *
 * <p>Off when the setting {@code parkway.library} is {@code off}: Parkway's own WAR sets it in its
 * {@code web.xml}, whose listener ({@link Bootstrap}) starts Parkway there, so that the WAR (where this
 * class is on the class path too) starts it once. A host application may set it to keep the jar from
 * starting Parkway. Stateless; the container calls it once per web application.
 */
public final class ParkwayInitializer implements ServletContainerInitializer {
  /** {@code on} (the default) or {@code off}; read like every setting (init-param, JNDI, -D, env). */
  public static final String LIBRARY = "parkway.library";

  private static final System.Logger LOG = System.getLogger(ParkwayInitializer.class.getName());

  @Override
  public void onStartup(Set<Class<?>> ignored, ServletContext ctx) {
    String library = Bootstrap.sources(ctx).get(LIBRARY).orElse("on").toLowerCase(Locale.ROOT);
    switch (library) {
      case "off" -> LOG.log(Level.DEBUG, LIBRARY + "=off: Parkway is not started by its initializer");
      case "on" -> start(ctx);
      default -> throw new ConfigException(List.of(LIBRARY + " = '" + library + "': must be one of on, off"));
    }
  }

  private static void start(ServletContext ctx) {
    Bootstrap parkway = new Bootstrap();
    try {
      parkway.start(ctx, Mount.LIBRARY_DEFAULT);
    } catch (RuntimeException e) {
      // A start that failed half-way has threads and perhaps a store open; the container will not call
      // a listener that was never added, so unwind here.
      parkway.contextDestroyed(new ServletContextEvent(ctx));
      throw e;
    }
    ctx.addListener(new Stop(parkway));
  }

  /** Stops the Parkway that {@link ParkwayInitializer} started, when the context is destroyed. */
  private static final class Stop implements ServletContextListener {
    private final Bootstrap parkway;

    Stop(Bootstrap parkway) {
      this.parkway = parkway;
    }

    @Override
    public void contextDestroyed(ServletContextEvent sce) {
      parkway.contextDestroyed(sce);
    }
  }
}
