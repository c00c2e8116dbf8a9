package dev.parkway.jetty;

import dev.parkway.core.Broker;
import java.io.File;
import java.util.Map;
import org.eclipse.jetty.ee10.annotations.AnnotationConfiguration;
import org.eclipse.jetty.ee10.webapp.WebAppContext;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;

/**
 * Parkway deployed from the real {@code webapp/} directory (so {@code WEB-INF/web.xml} boots {@code
 * dev.parkway.Bootstrap}) as a Jetty 12 ee10 {@link WebAppContext} on 127.0.0.1, port 0: the Jetty twin
 * of {@link dev.parkway.testing.EmbeddedParkway}, with nothing Jetty-specific in the web application.
 *
 * <p>{@code target/classes} is the web application's class path, loaded parent-first, so the broker a
 * test reads from the servlet context is of the same class as the one it imports (as Tomcat's {@code
 * delegate=true} does there). Plain Jetty has no JNDI {@code java:comp/env} for Parkway to read: its
 * settings come from context init-params here, as {@code <context-param>} or a context XML would give.
 * Not thread-safe; one instance per server.
 */
public final class JettyParkway implements AutoCloseable {
  private final Server server;
  private final WebAppContext context;
  private final int port;

  private JettyParkway(Server server, WebAppContext context, int port) {
    this.server = server;
    this.context = context;
    this.port = port;
  }

  /** Starts Parkway on 127.0.0.1 with a free port and {@code settings} as context init-params. */
  public static JettyParkway start(Map<String, String> settings) {
    File webapp = new File("webapp");
    if (!new File(webapp, "WEB-INF/web.xml").isFile()) {
      throw new IllegalStateException("run from the project directory: webapp/WEB-INF/web.xml not found");
    }
    Server server = new Server();
    ServerConnector connector = new ServerConnector(server);
    connector.setHost("127.0.0.1");
    connector.setPort(0);
    server.addConnector(connector);

    WebAppContext context = new WebAppContext();
    context.setContextPath("/");
    context.setWar(webapp.getAbsolutePath());
    context.setExtraClasspath(new File("target/classes").getAbsolutePath());
    context.setParentLoaderPriority(true);
    // What a Jetty distribution with the ee10-annotations module does: web.xml is metadata-complete,
    // so this only looks for ServletContainerInitializers (Parkway's own, for library mode, stands aside:
    // web.xml sets parkway.library=off and its listener mounts all).
    context.addConfiguration(new AnnotationConfiguration());
    // A Bootstrap that refuses its configuration must fail start(), not leave a half-started server.
    context.setThrowUnavailableOnStartupException(true);
    settings.forEach(context::setInitParameter);
    server.setHandler(context);
    try {
      server.start();
    } catch (Exception e) {
      stopQuietly(server);
      throw new IllegalStateException("Parkway did not start on Jetty", e);
    }
    if (!context.isAvailable() || connector.getLocalPort() <= 0) {
      stopQuietly(server);
      throw new IllegalStateException("Parkway did not start on Jetty; see the log");
    }
    return new JettyParkway(server, context, connector.getLocalPort());
  }

  public int port() {
    return port;
  }

  public String baseUri() {
    return "http://127.0.0.1:" + port;
  }

  /** The running broker, read from the servlet context. */
  public Broker broker() {
    return (Broker) context.getServletContext().getAttribute(Broker.class.getName());
  }

  public boolean available() {
    return context.isAvailable() && server.isRunning();
  }

  /**
   * Undeploys the web application while the server and its connections stay up (what a redeploy or
   * {@code jetty.deploy} removal does): Bootstrap's {@code contextDestroyed} answers parked polls.
   */
  public void undeploy() {
    try {
      context.stop();
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  @Override
  public void close() {
    try {
      server.stop();
    } catch (Exception e) {
      throw new IllegalStateException(e);
    } finally {
      server.destroy();
    }
  }

  private static void stopQuietly(Server server) {
    try {
      server.stop();
    } catch (Exception e) {
      // already failing; the start failure is the one to report
    }
  }
}
