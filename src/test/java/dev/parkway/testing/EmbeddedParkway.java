package dev.parkway.testing;

import dev.parkway.core.Broker;
import dev.parkway.transport.direct.DirectServer;
import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Stream;
import org.apache.catalina.Context;
import org.apache.catalina.LifecycleException;
import org.apache.catalina.connector.Connector;
import org.apache.catalina.loader.WebappLoader;
import org.apache.catalina.servlets.DefaultServlet;
import org.apache.catalina.core.StandardContext;
import org.apache.catalina.startup.Tomcat;
import org.apache.catalina.valves.ErrorReportValve;
import org.apache.tomcat.util.scan.StandardJarScanner;

/**
 * Parkway deployed from the real {@code webapp/} directory (so {@code WEB-INF/web.xml} is what boots it)
 * on an embedded Tomcat bound to 127.0.0.1. Port 0 picks a free port; the dev server passes 8080.
 *
 * <p>The web application's class loader delegates to the test class path first, so the broker a test
 * reads from the servlet context is of the same class as the one it imports.
 *
 * <p>The connector is set up like {@code tomcat-conf/server.xml} (see {@link #CONNECTOR}), so the tests,
 * the dev server and the benchmark run the configuration that is deployed.
 */
public final class EmbeddedParkway implements AutoCloseable {
  private final Tomcat tomcat;
  private final Context context;
  private final Path baseDir;
  private final int port;

  private EmbeddedParkway(Tomcat tomcat, Context context, Path baseDir, int port) {
    this.tomcat = tomcat;
    this.context = context;
    this.baseDir = baseDir;
    this.port = port;
  }

  public static EmbeddedParkway start(Map<String, String> settings) {
    return start("127.0.0.1", 0, settings);
  }

  public static EmbeddedParkway start(String address, int port, Map<String, String> settings) {
    try {
      Path baseDir = Files.createTempDirectory("parkway-tomcat");
      Tomcat tomcat = new Tomcat();
      tomcat.setBaseDir(baseDir.toString());
      Connector connector = connector(address, port);
      tomcat.setConnector(connector);

      // Tomcat's default web.xml would add a JSP servlet this project does not ship; add only the
      // static-file servlet that serves the demo page.
      tomcat.setAddDefaultWebXmlToWebapp(false);
      // No stack traces or version numbers on the container's own error pages (a request refused
      // before it reaches Parkway, such as a request line over the header limit).
      ErrorReportValve errors = new ErrorReportValve();
      errors.setShowReport(false);
      errors.setShowServerInfo(false);
      tomcat.getHost().getPipeline().addValve(errors);
      Context context = tomcat.addWebapp("", webappDir().getAbsolutePath());
      // On stop, Tomcat waits this long for in-flight async requests before Parkway's own shutdown
      // runs; parked polls never finish by themselves, so a long wait only delays their 503.
      ((StandardContext) context).setUnloadDelay(200);
      Tomcat.addServlet(context, "default", new DefaultServlet());
      context.addServletMappingDecoded("/", "default");
      Tomcat.addDefaultMimeTypeMappings(context);
      WebappLoader loader = new WebappLoader();
      loader.setDelegate(true);
      context.setLoader(loader);
      context.setParentClassLoader(EmbeddedParkway.class.getClassLoader());
      StandardJarScanner scanner = (StandardJarScanner) context.getJarScanner();
      scanner.setScanClassPath(false);
      scanner.setScanManifest(false);
      settings.forEach(context::addParameter);

      tomcat.start();
      if (!connector.getState().isAvailable() || connector.getLocalPort() < 0) {
        tomcat.stop();
        tomcat.destroy();
        throw new IllegalStateException("could not listen on " + address + ":" + port + " (in use?)");
      }
      if (!context.getState().isAvailable()) {
        tomcat.stop();
        tomcat.destroy();
        throw new IllegalStateException("Parkway did not start; see the log above");
      }
      return new EmbeddedParkway(tomcat, context, baseDir, connector.getLocalPort());
    } catch (LifecycleException e) {
      throw new IllegalStateException(e);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * Connector attributes for many parked long polls: the values of {@code tomcat-conf/server.xml}; keep
   * the two in step. A parked poll holds its connection's Tomcat request processor, and every buffer in
   * it, until it is answered. These sizes took that from about 100 KB to about 66 KB of heap per parked
   * poll (measured with {@code bench/heap.sh}; figures and reasons in {@code docs/benchmarks.md},
   * "History"). Each buffer below is allocated at its full size for every processor, whatever the
   * request holds.
   *
   * <p>One difference from server.xml: {@code maxConnections} is 60,000 here, so the benchmark can probe
   * how many parked polls a heap holds; server.xml bounds it by the heap (see setenv.sh there).
   */
  public static final Map<String, String> CONNECTOR =
      orderedMap(
          "maxConnections", "60000",
          // The next poll on a connection takes a processor from this cache. Tomcat's default (200)
          // dropped the rest, so every fan-out round rebuilt N-200 processors as garbage.
          "processorCache", "60000",
          // Clients that reconnect at once overflowed the default backlog of 100, and each dropped SYN
          // cost its client a 1 s retransmission. Linux caps it at net.core.somaxconn.
          "acceptCount", "1024",
          // A long-poll client keeps its connection for poll after poll: never close it after N.
          "maxKeepAliveRequests", "-1",
          // Request line and headers; the processor's input buffer is this plus socket.appReadBufSize.
          // Tomcat's default, kept: it fits a cursor of about 7.5 KB in the query string.
          "maxHttpRequestHeaderSize", "8192",
          // Status line and headers of a response (default 8 KB). Parkway's answers carry about 200
          // bytes of headers; past 2 KB Tomcat would answer 500.
          "maxHttpResponseHeaderSize", "2048",
          // Trailer fields of a chunked request body (default 8 KB). Parkway reads none.
          "maxTrailerSize", "1024",
          // Socket buffers (default 8 KB each). The read buffer counts twice (see the header size). An
          // answer of up to about 1 KB (headers included) is one write; a bigger one, one write per KB.
          "socket.appReadBufSize", "1024",
          "socket.appWriteBufSize", "1024");

  private static final String OVERRIDE_PREFIX = "parkway.tomcat.";

  /**
   * The HTTP/1.1 connector with {@link #CONNECTOR}'s attributes. For experiments (the benchmark), any
   * attribute can be overridden with a {@code -Dparkway.tomcat.<attribute>=<value>} system property
   * (the names server.xml's placeholders use), and {@code -Dparkway.tomcat.protocol=<class>} names
   * another ProtocolHandler. An attribute the connector does not know stops start-up.
   */
  private static Connector connector(String address, int port) {
    Connector connector =
        new Connector(System.getProperty(OVERRIDE_PREFIX + "protocol", "HTTP/1.1"));
    connector.setPort(port);
    connector.setProperty("address", address);
    Map<String, String> attributes = new LinkedHashMap<>(CONNECTOR);
    for (String name : System.getProperties().stringPropertyNames()) {
      if (name.startsWith(OVERRIDE_PREFIX) && !name.equals(OVERRIDE_PREFIX + "protocol")) {
        attributes.put(name.substring(OVERRIDE_PREFIX.length()), System.getProperty(name));
      }
    }
    attributes.forEach(
        (name, value) -> {
          if (!connector.setProperty(name, value)) {
            throw new IllegalArgumentException("the HTTP connector has no attribute " + name);
          }
        });
    return connector;
  }

  private static Map<String, String> orderedMap(String... pairs) {
    return java.util.Collections.unmodifiableMap(settings(pairs));
  }

  /** Settings map builder for readable tests: {@code settings("parkway.poll.timeout.max", "5")}. */
  public static Map<String, String> settings(String... pairs) {
    Map<String, String> map = new LinkedHashMap<>();
    for (int i = 0; i < pairs.length; i += 2) {
      map.put(pairs[i], pairs[i + 1]);
    }
    return map;
  }

  private static File webappDir() {
    File dir = new File("webapp");
    if (!new File(dir, "WEB-INF/web.xml").isFile()) {
      throw new IllegalStateException("run from the project directory: webapp/WEB-INF/web.xml not found");
    }
    return dir;
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

  /**
   * The port the direct listener is bound to ({@code parkway.direct.port}; -1 asks the system for a free
   * one), read from the servlet context.
   *
   * @throws IllegalStateException if the direct port is off
   */
  public int directPort() {
    Object direct = context.getServletContext().getAttribute(DirectServer.class.getName());
    if (!(direct instanceof DirectServer server)) {
      throw new IllegalStateException("the direct port is off: start with parkway.direct.port");
    }
    return server.port();
  }

  public boolean available() {
    return context.getState().isAvailable();
  }

  /** Blocks until the server is stopped (for the dev server). */
  public void await() {
    tomcat.getServer().await();
  }

  @Override
  public void close() {
    try {
      tomcat.stop();
      tomcat.destroy();
    } catch (LifecycleException e) {
      throw new IllegalStateException(e);
    } finally {
      deleteQuietly(baseDir);
    }
  }

  private static void deleteQuietly(Path dir) {
    try (Stream<Path> paths = Files.walk(dir)) {
      paths.sorted(Comparator.reverseOrder()).map(Path::toFile).forEach(File::delete);
    } catch (IOException e) {
      // a temp directory left behind is harmless
    }
  }
}
