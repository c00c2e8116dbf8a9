package dev.parkway.library;

import static dev.parkway.testing.ParkwayHttpSupport.answer;
import static dev.parkway.testing.ParkwayHttpSupport.body;
import static dev.parkway.testing.ParkwayHttpSupport.waitUntil;
import static org.assertj.core.api.Assertions.assertThat;

import dev.parkway.core.Broker;
import dev.parkway.testing.PlainHttp;
import java.io.File;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.eclipse.jetty.ee10.annotations.AnnotationConfiguration;
import org.eclipse.jetty.ee10.webapp.WebAppContext;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The same host application ({@link HostApp#writeHostApp}) on Jetty 12 ee10 with its annotations
 * configuration (which is what looks for ServletContainerInitializers there): Jetty, unlike Tomcat,
 * forbids a listener added by an initializer to add servlets, which is why Parkway registers its routes
 * in the initializer itself. Routes under the prefix, the host filter in front, nothing outside.
 */
class LibraryOnJettyTest {
  @Test
  void theHostGetsParkwayUnderItsPrefixBehindItsFilterOnJetty(@TempDir Path docBase) throws Exception {
    Server server = new Server();
    try {
      HostApp.writeHostApp(
          docBase, Map.of("parkway.prefix", "/push"), "", "org.eclipse.jetty.ee10.servlet.DefaultServlet");
      ServerConnector connector = new ServerConnector(server);
      connector.setHost("127.0.0.1");
      connector.setPort(0);
      server.addConnector(connector);
      WebAppContext context = new WebAppContext();
      context.setContextPath("/");
      context.setWar(docBase.toString());
      context.setExtraClasspath(new File("target/classes").getAbsolutePath() + ","
          + new File("target/test-classes").getAbsolutePath());
      context.setParentLoaderPriority(true);
      context.addConfiguration(new AnnotationConfiguration());
      context.setThrowUnavailableOnStartupException(true);
      server.setHandler(context);
      server.start();

      PlainHttp http = new PlainHttp("http://127.0.0.1:" + connector.getLocalPort(), "X-Host-App", "yes");
      Broker broker = (Broker) context.getServletContext().getAttribute(Broker.class.getName());
      assertThat(broker).as("Parkway started by its initializer").isNotNull();

      CompletableFuture<HttpResponse<String>> poll = http.getAsync("/push/channels/jetty?timeout=10");
      waitUntil("the poll parks").until(() -> broker.parkedCount() == 1);
      HttpResponse<String> published = http.postJson("/push/channels/jetty", "\"hi\"");
      assertThat(published.statusCode()).as(published.body()).isEqualTo(201);
      assertThat(body(answer(poll)).getList("events.data", String.class)).containsExactly("hi");

      assertThat(http.get("/push/health").statusCode()).isEqualTo(200);
      assertThat(http.get("/hello").statusCode()).isEqualTo(200);
      assertThat(http.get("/health").statusCode()).as("outside the prefix").isEqualTo(404);
      assertThat(http.send(http.bare("/push/health").GET().build()).statusCode())
          .as("the host filter, without its header")
          .isEqualTo(403);
      waitUntil("parked polls drain").until(() -> broker.parkedCount() == 0);
    } finally {
      server.stop();
      server.destroy();
    }
  }
}
