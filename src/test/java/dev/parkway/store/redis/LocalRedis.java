package dev.parkway.store.redis;

import dev.parkway.config.Config;
import dev.parkway.testing.EmbeddedParkway;
import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import redis.clients.jedis.RedisClient;
import redis.embedded.RedisServer;

/**
 * A real redis-server for tests: the Linux binary that the embedded-redis jar ships (extracted to a temp
 * file and run as a child process), bound to 127.0.0.1 on a free port, with its data in a temp directory.
 * Every write is in the append-only file, fsynced before Redis answers ({@code appendfsync always}), so
 * {@link #stop()} (SIGTERM) and {@link #restart()} on the same port and directory lose nothing, as a
 * production Redis with persistence would not.
 *
 * <p>One per test class, as a JUnit extension: {@code @RegisterExtension static final LocalRedis REDIS =
 * LocalRedis.perClass();} starts it before the class's {@code @BeforeAll} methods (so a server started
 * there can use it) and stops it, deleting its directory, after the class's {@code @AfterAll} methods.
 * Not thread-safe: one test thread drives it.
 */
final class LocalRedis implements BeforeAllCallback, AfterAllCallback, AutoCloseable {
  private final int port;
  private final Path dir;
  private RedisServer server;

  private LocalRedis(int port, Path dir) {
    this.port = port;
    this.dir = dir;
  }

  /** A server for one test class, started by JUnit before the class's {@code @BeforeAll} methods. */
  static LocalRedis perClass() {
    try {
      return new LocalRedis(freePort(), Files.createTempDirectory("parkway-redis"));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Override
  public void beforeAll(ExtensionContext context) {
    restart();
  }

  @Override
  public void afterAll(ExtensionContext context) {
    close();
  }

  int port() {
    return port;
  }

  String url() {
    return "redis://127.0.0.1:" + port;
  }

  /** The store's settings for this server, with its own key prefix so tests never share keys. */
  Config.Redis config(String prefix) {
    return new Config.Redis(URI.create(url()), "", false, 0, 8, Duration.ofSeconds(2), prefix);
  }

  /** Context settings of a Parkway node on this server (with {@code more} name-value pairs). */
  Map<String, String> nodeSettings(String... more) {
    Map<String, String> settings =
        EmbeddedParkway.settings("parkway.store", "redis", "parkway.redis.url", url());
    settings.putAll(EmbeddedParkway.settings(more));
    return settings;
  }

  /** A plain client, to look at what the store wrote. The caller closes it. */
  RedisClient client() {
    return RedisClient.create("127.0.0.1", port);
  }

  boolean running() {
    return server != null && server.isActive();
  }

  /** Stops the server as an operator would (SIGTERM: Redis flushes its append-only file and exits). */
  void stop() {
    try {
      server.stop();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Starts the server (again) on the same port and data directory. */
  void restart() {
    try {
      server =
          RedisServer.newRedisServer()
              .port(port)
              .bind("127.0.0.1")
              .setting("dir " + dir.toAbsolutePath())
              .setting("appendonly yes")
              .setting("appendfsync always")
              .setting("save \"\"")
              .setting("maxmemory-policy noeviction")
              .soutListener(line -> {})
              .serrListener(line -> {})
              .build();
      server.start();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Override
  public void close() {
    try {
      if (running()) {
        stop();
      }
    } finally {
      try (Stream<Path> paths = Files.walk(dir)) {
        paths.sorted(Comparator.reverseOrder()).map(Path::toFile).forEach(File::delete);
      } catch (IOException e) {
        // a temp directory left behind is harmless
      }
    }
  }

  private static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
      return socket.getLocalPort();
    }
  }
}
