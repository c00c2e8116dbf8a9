package dev.parkway.library;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.parkway.testing.PlainHttp;
import dev.parkway.transport.http.Mount;
import jakarta.servlet.AsyncContext;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpFilter;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Collectors;
import org.apache.catalina.Context;
import org.apache.catalina.LifecycleException;
import org.apache.catalina.connector.Connector;
import org.apache.catalina.startup.Tomcat;
import org.apache.tomcat.util.descriptor.web.FilterDef;
import org.apache.tomcat.util.descriptor.web.FilterMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link Mount}, the one way Parkway registers a servlet or a filter, on an embedded Tomcat context: paths
 * under the prefix, async-capable, Parkway's filters after the ones the application declares, and a
 * second registration under a taken name refused rather than ignored.
 */
class MountTest {
  @Test
  void servletsAndFiltersGoUnderThePrefixAsyncCapableAfterTheApplicationsFilters(@TempDir Path dir)
      throws LifecycleException {
    Tomcat tomcat = new Tomcat();
    tomcat.setBaseDir(dir.toString());
    Connector connector = new Connector();
    connector.setPort(0);
    connector.setProperty("address", "127.0.0.1");
    tomcat.setConnector(connector);
    Context context = tomcat.addContext("", dir.toString());
    // What a web.xml <filter> in front of everything gives: a declared filter, not a programmatic one.
    FilterDef declared = new FilterDef();
    declared.setFilterName("declared");
    declared.setFilter(new Recording("declared"));
    declared.setAsyncSupported("true");
    context.addFilterDef(declared);
    FilterMap everything = new FilterMap();
    everything.setFilterName("declared");
    everything.addURLPattern("/*");
    context.addFilterMap(everything);
    AtomicReference<RuntimeException> second = new AtomicReference<>();
    context.addServletContainerInitializer(
        (classes, ctx) -> {
          Mount mount = new Mount(ctx, "/push");
          mount.servlet("parkway-echo", new AsyncEcho(), "/echo");
          mount.filter("parkway-filter", new Recording("parkway"), "/*");
          try {
            mount.servlet("parkway-echo", new AsyncEcho(), "/again");
          } catch (RuntimeException e) {
            second.set(e);
          }
        },
        null);
    tomcat.start();
    try {
      PlainHttp http = new PlainHttp("http://127.0.0.1:" + connector.getLocalPort());
      assertThat(http.get("/push/echo").body()).isEqualTo("declared,parkway,async");
      assertThat(http.get("/echo").statusCode()).isEqualTo(404);
      assertThat(http.get("/push/again").statusCode()).isEqualTo(404);
      assertThatThrownBy(() -> { throw second.get(); })
          .isInstanceOf(IllegalStateException.class)
          .hasMessageContaining("parkway-echo");
    } finally {
      tomcat.stop();
      tomcat.destroy();
    }
  }

  @Test
  void pathsAreThePrefixFollowedByTheRoutesOwn() {
    assertThat(new Mount(null, "/push").path("/channels/*")).isEqualTo("/push/channels/*");
    assertThat(new Mount(null, "").path("/health")).isEqualTo("/health");
    assertThatThrownBy(() -> new Mount(null, "push")).isInstanceOf(IllegalArgumentException.class);
  }

  /** Adds its name to the request's list of filters passed. */
  private static final class Recording extends HttpFilter {
    private static final long serialVersionUID = 1L;
    private final String name;

    Recording(String name) {
      this.name = name;
    }

    @Override
    @SuppressWarnings("unchecked")
    protected void doFilter(HttpServletRequest req, HttpServletResponse resp, FilterChain chain)
        throws IOException, ServletException {
      List<String> passed = (List<String>) req.getAttribute("passed");
      if (passed == null) {
        passed = new ArrayList<>();
        req.setAttribute("passed", passed);
      }
      passed.add(name);
      chain.doFilter(req, resp);
    }
  }

  /** Answers the filters passed, from an async context (which every filter on the chain must allow). */
  private static final class AsyncEcho extends HttpServlet {
    private static final long serialVersionUID = 1L;

    @Override
    protected void doGet(HttpServletRequest req, HttpServletResponse resp) throws IOException {
      AsyncContext async = req.startAsync();
      List<?> passed = (List<?>) req.getAttribute("passed");
      resp.getWriter().write(passed.stream().map(String::valueOf).collect(Collectors.joining(",")) + ",async");
      async.complete();
    }
  }
}
