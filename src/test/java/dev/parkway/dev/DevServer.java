package dev.parkway.dev;

import dev.parkway.testing.EmbeddedParkway;
import java.util.Map;

/**
 * Runs Parkway on embedded Tomcat for development: {@code mvn -DskipTests package exec:java@run}. Listens
 * on all interfaces at the port given (default 8080) with the in-memory store; settings come from {@code
 * -D} properties and {@code PARKWAY_*} environment variables as usual. Stop with Ctrl-C.
 */
public final class DevServer {
  private DevServer() {}

  public static void main(String[] args) {
    int port = args.length > 0 ? Integer.parseInt(args[0]) : 8080;
    String address = System.getProperty("parkway.dev.address", "0.0.0.0");
    EmbeddedParkway server = EmbeddedParkway.start(address, port, Map.of());
    Runtime.getRuntime().addShutdownHook(new Thread(server::close, "parkway-dev-stop"));
    System.out.println("Parkway is running at http://localhost:" + server.port() + "/ (Ctrl-C to stop)");
    server.await();
  }
}
