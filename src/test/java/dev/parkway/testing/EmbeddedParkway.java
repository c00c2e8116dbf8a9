package dev.parkway.testing;

import dev.parkway.core.Broker;
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
import org.apache.catalina.startup.Tomcat;
import org.apache.tomcat.util.scan.StandardJarScanner;

/**
 * Parkway deployed from the real {@code webapp/} directory (so {@code WEB-INF/web.xml} is what boots it)
 * on an embedded Tomcat bound to 127.0.0.1. Port 0 picks a free port; the dev server passes 8080.
 *
 * <p>The web application's class loader delegates to the test class path first, so the broker a test
 * reads from the servlet context is of the same class as the one it imports.
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
      Connector connector = new Connector("HTTP/1.1");
      connector.setPort(port);
      connector.setProperty("address", address);
      connector.setProperty("maxConnections", "60000");
      tomcat.setConnector(connector);

      // Tomcat's default web.xml would add a JSP servlet this project does not ship; add only the
      // static-file servlet that serves the demo page.
      tomcat.setAddDefaultWebXmlToWebapp(false);
      Context context = tomcat.addWebapp("", webappDir().getAbsolutePath());
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
