package dev.parkway.realtomcat;

import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.awaitility.core.ConditionTimeoutException;

/**
 * A real Tomcat (the distribution Maven unpacked under {@code target/}) serving the built WAR with the
 * project's own {@code tomcat-conf/} files, as the deployment guide (tomcat-conf/README.md) lays them out
 * in a fresh {@code CATALINA_BASE}: {@code conf/server.xml}, {@code conf/Catalina/localhost/ROOT.xml}
 * (= parkway.xml), {@code bin/setenv.sh}, and {@code parkway.war}. Started as {@code catalina.sh run} in
 * a child process, listening on 127.0.0.1 on port 0 (server.xml's {@code -Dparkway.http.port}): the
 * kernel picks a free port as Tomcat binds, so no other process can take it in between, and Tomcat's
 * log tells which ({@link #awaitListening}). An initialisation failure ends the process at once.
 *
 * <p>Everything Tomcat prints goes to {@code logs/console.out} of that base, read back with {@link #log()}
 * only when something failed. The process is ended by {@link #close()}, by a JVM shutdown hook if the
 * test JVM exits first, and, if even that was skipped (the JVM was killed), by the next start, which
 * ends the process named in {@code tomcat.pid} when its command line names this base. Not thread-safe.
 */
final class RealTomcat implements AutoCloseable {
  private static final long STOP_SECONDS = 20;

  /** Tomcat's line for a connector on port 0 that has started: {@code ...-auto-1-46849"]}. */
  private static final Pattern LISTENING =
      Pattern.compile("Starting ProtocolHandler \\[\"http-nio-127\\.0\\.0\\.1-auto-\\d+-(\\d+)\"]");

  private final Process process;
  private final Path base;
  private final Thread reaper;
  private int port = -1;

  private RealTomcat(Process process, Path base, Thread reaper) {
    this.process = process;
    this.base = base;
    this.reaper = reaper;
  }

  /**
   * Lays out a fresh {@code target/<name>} as the base and starts Tomcat in it, with {@code env} added to
   * the child's environment (settings such as {@code PARKWAY_HEAP} or {@code PARKWAY_POLL_TIMEOUT_MAX})
   * and {@code javaOptions} added to {@code CATALINA_OPTS}. Tomcat's distribution and the WAR are where
   * Maven's failsafe configuration says ({@code -Dparkway.it.catalina-home}, {@code -Dparkway.it.war}).
   * Returns once the process runs, not once it serves.
   */
  static RealTomcat start(String name, Map<String, String> env, String javaOptions) throws IOException {
    Path catalinaHome = built("parkway.it.catalina-home");
    Path war = built("parkway.it.war");
    Path conf = Path.of("tomcat-conf");
    Path base = Path.of("target", name).toAbsolutePath();
    endLeftover(base);
    deleteTree(base);
    Path confDir = Files.createDirectories(base.resolve("conf/Catalina/localhost"));
    try (Stream<Path> files = Files.list(catalinaHome.resolve("conf"))) {
      for (Path file : files.filter(Files::isRegularFile).toList()) {
        Files.copy(file, base.resolve("conf").resolve(file.getFileName()));
      }
    }
    Files.copy(conf.resolve("server.xml"), base.resolve("conf/server.xml"), StandardCopyOption.REPLACE_EXISTING);
    Files.copy(conf.resolve("parkway.xml"), confDir.resolve("ROOT.xml"));
    Files.copy(conf.resolve("setenv.sh"), Files.createDirectories(base.resolve("bin")).resolve("setenv.sh"));
    Files.copy(war, base.resolve("parkway.war"));
    for (String dir : List.of("logs", "temp", "work", "webapps")) {
      Files.createDirectories(base.resolve(dir));
    }

    ProcessBuilder builder =
        new ProcessBuilder("sh", catalinaHome.resolve("bin/catalina.sh").toString(), "run")
            .redirectErrorStream(true)
            .redirectOutput(base.resolve("logs/console.out").toFile());
    Map<String, String> environment = builder.environment();
    // Nothing of the caller's own Tomcat or Parkway settings may leak into this one.
    environment.keySet().removeIf(k -> k.startsWith("CATALINA_") || k.startsWith("PARKWAY_")
        || k.equals("JAVA_OPTS") || k.equals("JRE_HOME") || k.equals("JAVA_HOME"));
    environment.put("JAVA_HOME", Path.of(System.getProperty("java.home")).toString());
    environment.put("CATALINA_HOME", catalinaHome.toString());
    environment.put("CATALINA_BASE", base.toString());
    environment.put("CATALINA_OPTS",
        "-Dparkway.http.address=127.0.0.1 -Dparkway.http.port=0"
            + " -Dorg.apache.catalina.startup.EXIT_ON_INIT_FAILURE=true " + javaOptions);
    environment.putAll(env);

    Process process = builder.start();
    Files.writeString(base.resolve("tomcat.pid"), Long.toString(process.pid()));
    Thread reaper = new Thread(() -> end(process), "real-tomcat-reaper");
    Runtime.getRuntime().addShutdownHook(reaper);
    return new RealTomcat(process, base, reaper);
  }

  private static Path built(String property) {
    String value = System.getProperty(property);
    if (value == null || !Files.exists(Path.of(value))) {
      throw new IllegalStateException(
          "-D" + property + " must name what Maven prepares (run `mvn verify`): " + value);
    }
    return Path.of(value);
  }

  /**
   * Waits until the connector has started, and learns its port from the log.
   *
   * @throws IllegalStateException if the process ended or the connector did not start in {@code patience}
   */
  void awaitListening(Duration patience) {
    try {
      await("Tomcat's connector starts")
          .atMost(patience)
          .pollInterval(Duration.ofMillis(100))
          .until(() -> !process.isAlive() || listeningPort() > 0);
    } catch (ConditionTimeoutException e) {
      throw new IllegalStateException("Tomcat's connector did not start in " + patience, e);
    }
    port = listeningPort();
    if (port <= 0) {
      throw new IllegalStateException("Tomcat exited with status " + process.exitValue());
    }
  }

  private int listeningPort() {
    try {
      Matcher m = LISTENING.matcher(Files.readString(base.resolve("logs/console.out")));
      return m.find() ? Integer.parseInt(m.group(1)) : -1;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** {@code http://127.0.0.1:<port>}, once {@link #awaitListening} has returned. */
  String baseUri() {
    if (port <= 0) {
      throw new IllegalStateException("awaitListening first");
    }
    return "http://127.0.0.1:" + port;
  }

  boolean alive() {
    return process.isAlive();
  }

  /** The JVM arguments Tomcat runs with (what setenv.sh made of the environment). */
  List<String> jvmArguments() {
    return process.info().arguments().map(List::of).orElse(List.of());
  }

  /**
   * Stops Tomcat as a service manager would (SIGTERM: Tomcat's shutdown hook stops the web application
   * in order) and waits for it; kills it if it has not stopped in {@value #STOP_SECONDS} s.
   *
   * @return whether it stopped by itself
   */
  boolean stop() {
    boolean clean = end(process);
    try {
      Runtime.getRuntime().removeShutdownHook(reaper);
    } catch (IllegalStateException e) {
      // the JVM is already shutting down, and the hook is doing the same
    }
    return clean;
  }

  @Override
  public void close() {
    stop();
  }

  /**
   * Everything Tomcat printed (all that its catalina.*.log holds too), then the web application's own
   * log (localhost.*.log: stack traces of a failed start): for the message of a failure.
   */
  String log() {
    StringBuilder text = new StringBuilder();
    try (Stream<Path> files = Files.list(base.resolve("logs"))) {
      List<Path> logs = new ArrayList<>(files.filter(p -> p.getFileName().toString().startsWith("localhost.")).toList());
      logs.add(0, base.resolve("logs/console.out"));
      for (Path file : logs) {
        text.append("==== ").append(file).append('\n')
            .append(new String(Files.readAllBytes(file), StandardCharsets.UTF_8)).append('\n');
      }
    } catch (IOException e) {
      text.append("(logs unreadable: ").append(e).append(")\n");
    }
    return text.toString();
  }

  private static boolean end(Process process) {
    if (!process.isAlive()) {
      return true;
    }
    process.destroy();
    try {
      if (process.waitFor(STOP_SECONDS, TimeUnit.SECONDS)) {
        return true;
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    process.descendants().forEach(ProcessHandle::destroyForcibly);
    process.destroyForcibly();
    return false;
  }

  /** Ends a Tomcat a killed test JVM left behind in {@code base}, known by its pid file and command line. */
  private static void endLeftover(Path base) throws IOException {
    Path pidFile = base.resolve("tomcat.pid");
    if (!Files.isRegularFile(pidFile)) {
      return;
    }
    long pid = Long.parseLong(Files.readString(pidFile).trim());
    ProcessHandle.of(pid)
        .filter(p -> p.info().commandLine().map(c -> c.contains(base.toString())).orElse(false))
        .ifPresent(p -> {
          p.destroyForcibly();
          p.onExit().orTimeout(STOP_SECONDS, TimeUnit.SECONDS).join();
        });
  }

  private static void deleteTree(Path dir) {
    if (!Files.exists(dir)) {
      return;
    }
    try (Stream<Path> paths = Files.walk(dir)) {
      for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
        Files.delete(p);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("could not clear " + dir, e);
    }
  }
}
