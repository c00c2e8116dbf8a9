package dev.parkway.bench;

import jakarta.servlet.AsyncContext;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.File;
import java.io.IOException;
import java.lang.reflect.Field;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.apache.catalina.Context;
import org.apache.catalina.connector.Connector;
import org.apache.catalina.startup.Tomcat;

/**
 * BENCHMARK EXPERIMENT, NOT PARKWAY. The floor under any servlet long-poll server on this connector:
 * embedded Tomcat with {@code EmbeddedParkway}'s connector attributes and one async servlet that
 * speaks just enough of Parkway's wire for {@code FanOut --server parkway}: {@code GET /channels/{c}}
 * parks ({@code startAsync}), {@code POST /channels/{c}} answers 201 and then, on one delivery thread,
 * writes every parked request the same pre-encoded answer (Parkway's headers: {@code Content-Type:
 * application/json;charset=UTF-8}, {@code Cache-Control}, {@code X-Content-Type-Options}, {@code
 * Content-Length}) and completes it; {@code GET /channels/{c}/info} counts the parked. No store, no
 * cursors, no deadlines, no index: what is left is the container's cost per answer.
 *
 * <p>Run with the test class path: {@code java -cp target/classes:target/test-classes:<deps>:target/bench-classes
 * dev.parkway.bench.TomcatFloor 0}; prints {@code running at http://localhost:<port>/}. Loopback only.
 * Thread-safety: the parked list is guarded by its own lock; answers are written on the delivery thread.
 */
public final class TomcatFloor extends HttpServlet {
  private static final long serialVersionUID = 1L;
  private final transient List<AsyncContext> parked = new ArrayList<>();
  private final transient ExecutorService delivery = Executors.newSingleThreadExecutor(r -> {
    Thread t = new Thread(r, "floor-delivery");
    t.setDaemon(true);
    return t;
  });

  public static void main(String[] args) throws Exception {
    int port = args.length > 0 ? Integer.parseInt(args[0]) : 0;
    File base = Files.createTempDirectory("tomcat-floor").toFile();
    base.deleteOnExit();
    Tomcat tomcat = new Tomcat();
    tomcat.setBaseDir(base.getAbsolutePath());
    Connector connector = new Connector("HTTP/1.1");
    connector.setPort(port);
    connector.setProperty("address", "127.0.0.1");
    Class<?> embedded = Class.forName("dev.parkway.testing.EmbeddedParkway");
    Field f = embedded.getDeclaredField("CONNECTOR");
    f.setAccessible(true);
    @SuppressWarnings("unchecked")
    Map<String, String> attributes = (Map<String, String>) f.get(null);
    attributes.forEach(connector::setProperty);
    tomcat.setConnector(connector);
    Context ctx = tomcat.addContext("", base.getAbsolutePath());
    Tomcat.addServlet(ctx, "floor", new TomcatFloor()).setAsyncSupported(true);
    ctx.addServletMappingDecoded("/*", "floor");
    tomcat.start();
    System.out.println("TomcatFloor running at http://localhost:" + connector.getLocalPort() + "/");
    tomcat.getServer().await();
  }

  @Override
  protected void doGet(HttpServletRequest req, HttpServletResponse resp) throws IOException {
    String path = req.getRequestURI();
    if (path.endsWith("/info")) {
      int n;
      synchronized (parked) {
        n = parked.size();
      }
      write(resp, 200, ("{\"channel\":\"c\",\"head\":0,\"oldest\":0,\"buffered\":0,\"subscribers\":" + n + "}")
          .getBytes(StandardCharsets.US_ASCII));
      return;
    }
    AsyncContext async = req.startAsync();
    async.setTimeout(300_000);
    synchronized (parked) {
      parked.add(async);
    }
  }

  @Override
  protected void doPost(HttpServletRequest req, HttpServletResponse resp) throws IOException {
    byte[] data = req.getInputStream().readAllBytes();
    List<AsyncContext> woken;
    synchronized (parked) {
      woken = new ArrayList<>(parked);
      parked.clear();
    }
    write(resp, 201, ("{\"channel\":\"c\",\"seq\":1,\"timestamp\":1,\"subscribers\":" + woken.size() + "}")
        .getBytes(StandardCharsets.US_ASCII));
    String event = "{\"channel\":\"c\",\"seq\":1,\"timestamp\":1,\"data\":"
        + new String(data, StandardCharsets.UTF_8) + "}";
    byte[] answer = ("{\"events\":[" + event + "],\"cursor\":\"x\",\"more\":false}")
        .getBytes(StandardCharsets.UTF_8);
    delivery.execute(() -> {
      for (AsyncContext async : woken) {
        try {
          write((HttpServletResponse) async.getResponse(), 200, answer);
        } catch (IOException | RuntimeException e) {
          // the client is gone: nothing to do in a benchmark
        }
        async.complete();
      }
    });
  }

  private static void write(HttpServletResponse resp, int status, byte[] body) throws IOException {
    resp.setStatus(status);
    resp.setHeader("Cache-Control", "no-store");
    resp.setHeader("X-Content-Type-Options", "nosniff");
    resp.setContentType("application/json;charset=UTF-8");
    resp.setContentLength(body.length);
    resp.getOutputStream().write(body);
  }
}
