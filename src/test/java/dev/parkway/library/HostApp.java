package dev.parkway.library;

import dev.parkway.core.Broker;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.apache.catalina.Context;
import org.apache.catalina.LifecycleException;
import org.apache.catalina.connector.Connector;
import org.apache.catalina.loader.WebappLoader;
import org.apache.catalina.startup.Tomcat;
import org.apache.tomcat.util.scan.StandardJarScanner;

/**
 * A web application that is not Parkway's, on an embedded Tomcat (127.0.0.1, a free port): its own
 * document base in a temporary directory (an {@code index.html}), and its own {@code WEB-INF/web.xml}
 * declaring {@link HostGateFilter} in front of everything, {@link HelloServlet} at {@code /hello},
 * Tomcat's static-file servlet at {@code /}, and the context params it is given. It declares nothing of
 * Parkway: Parkway comes in as a library, through the {@code META-INF/services} entry of the class path
 * (Tomcat looks for ServletContainerInitializers there as it would in a jar of {@code WEB-INF/lib}).
 *
 * <p>The web application loads classes parent-first from the test class path, so the broker read from
 * its context is of the class the test imports. Not thread-safe; one instance per server.
 */
final class HostApp implements AutoCloseable {
  private final Tomcat tomcat;
  private final Context context;

  private HostApp(Tomcat tomcat, Context context) {
    this.tomcat = tomcat;
    this.context = context;
  }

  /**
   * Starts the host application in {@code baseDir} (the caller's to delete) with {@code params} as its
   * context params; {@code extraWebXml} is added to its descriptor as is (for a host that also declares
   * Parkway's listener).
   *
   * @throws IllegalStateException if the application did not start
   */
  static HostApp start(Path baseDir, Map<String, String> params, String extraWebXml) {
    try {
      Path docBase = baseDir.resolve("host");
      writeHostApp(docBase, params, extraWebXml, "org.apache.catalina.servlets.DefaultServlet");

      Tomcat tomcat = new Tomcat();
      tomcat.setBaseDir(baseDir.resolve("tomcat").toString());
      Connector connector = new Connector();
      connector.setPort(0);
      connector.setProperty("address", "127.0.0.1");
      tomcat.setConnector(connector);
      tomcat.setAddDefaultWebXmlToWebapp(false); // the host's web.xml says everything
      Context context = tomcat.addWebapp("", docBase.toString());
      Tomcat.addDefaultMimeTypeMappings(context);
      WebappLoader loader = new WebappLoader();
      loader.setDelegate(true);
      context.setLoader(loader);
      context.setParentClassLoader(HostApp.class.getClassLoader());
      ((StandardJarScanner) context.getJarScanner()).setScanClassPath(false);
      HostApp host = new HostApp(tomcat, context);
      try {
        tomcat.start();
      } catch (LifecycleException e) { // an initializer that throws fails the whole start
        host.close();
        throw new IllegalStateException("the host application did not start; see the log", e);
      }
      if (!context.getState().isAvailable()) { // a listener that throws leaves only the context down
        host.close();
        throw new IllegalStateException("the host application did not start; see the log");
      }
      return host;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * Writes the host application into {@code docBase}: its page and its {@code WEB-INF/web.xml}, with
   * {@code staticServlet} (the container's own) serving files at {@code /}.
   */
  static void writeHostApp(Path docBase, Map<String, String> params, String extra, String staticServlet)
      throws IOException {
    Files.createDirectories(docBase.resolve("WEB-INF"));
    Files.writeString(docBase.resolve("WEB-INF/web.xml"), webXml(params, extra, staticServlet));
    Files.writeString(docBase.resolve("index.html"), "<!doctype html><p>the host's own page</p>\n");
  }

  private static String webXml(Map<String, String> params, String extra, String staticServlet) {
    String contextParams =
        params.entrySet().stream()
            .map(e -> "  <context-param><param-name>" + e.getKey() + "</param-name><param-value>"
                + e.getValue() + "</param-value></context-param>")
            .collect(Collectors.joining("\n"));
    return """
        <?xml version="1.0" encoding="UTF-8"?>
        <web-app xmlns="https://jakarta.ee/xml/ns/jakartaee" version="6.0">
        %s
          <filter>
            <filter-name>host-gate</filter-name>
            <filter-class>dev.parkway.library.HostGateFilter</filter-class>
            <async-supported>true</async-supported>
          </filter>
          <filter-mapping>
            <filter-name>host-gate</filter-name>
            <url-pattern>/*</url-pattern>
          </filter-mapping>
          <servlet>
            <servlet-name>hello</servlet-name>
            <servlet-class>dev.parkway.library.HelloServlet</servlet-class>
          </servlet>
          <servlet-mapping>
            <servlet-name>hello</servlet-name>
            <url-pattern>/hello</url-pattern>
          </servlet-mapping>
          <servlet>
            <servlet-name>static</servlet-name>
            <servlet-class>%s</servlet-class>
          </servlet>
          <servlet-mapping>
            <servlet-name>static</servlet-name>
            <url-pattern>/</url-pattern>
          </servlet-mapping>
          <welcome-file-list><welcome-file>index.html</welcome-file></welcome-file-list>
        %s
        </web-app>
        """.formatted(contextParams, staticServlet, extra);
  }

  String baseUri() {
    return "http://127.0.0.1:" + tomcat.getConnector().getLocalPort();
  }

  /** Parkway's broker in this application, or null if Parkway is not running in it. */
  Broker broker() {
    return (Broker) context.getServletContext().getAttribute(Broker.class.getName());
  }

  /** The servlet names registered in the host's context (Parkway's start with {@code parkway-}). */
  Stream<String> servletNames() {
    return context.getServletContext().getServletRegistrations().keySet().stream();
  }

  /** Stops the host application (Parkway with it), then the server. */
  @Override
  public void close() {
    try {
      tomcat.stop();
      tomcat.destroy();
    } catch (LifecycleException e) {
      throw new IllegalStateException(e);
    }
  }
}
