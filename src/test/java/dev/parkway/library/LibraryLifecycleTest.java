package dev.parkway.library;

import static dev.parkway.testing.ParkwayHttpSupport.PATIENCE;
import static dev.parkway.testing.ParkwayHttpSupport.answer;
import static dev.parkway.testing.ParkwayHttpSupport.body;
import static dev.parkway.testing.ParkwayHttpSupport.waitUntil;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.parkway.core.Broker;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

/**
 * Library mode's start and stop, each test with a host application of its own: the default prefix, the
 * switch that keeps the jar from starting Parkway, the refusal to start twice, and Parkway stopping with
 * its host (parked polls answered 503, as in the WAR).
 */
class LibraryLifecycleTest {
  private final HttpClient http =
      HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(PATIENCE).build();

  @Test
  void withoutAPrefixSettingTheRoutesSitUnderSlashParkway() {
    try (HostApp host = HostApp.start(Map.of(), "")) {
      assertThat(send(host, "/parkway/health").statusCode()).isEqualTo(200);
      assertThat(send(host, "/health").statusCode()).isEqualTo(404);
    }
  }

  @Test
  void prefixSlashPutsTheRoutesAtTheContextRoot() {
    try (HostApp host = HostApp.start(Map.of("parkway.prefix", "/"), "")) {
      assertThat(send(host, "/health").statusCode()).isEqualTo(200);
      assertThat(send(host, "/hello").body()).as("the host's servlet keeps its path").isEqualTo("hello from the host");
    }
  }

  @Test
  void libraryOffKeepsTheJarFromStartingParkway() {
    try (HostApp host = HostApp.start(Map.of("parkway.library", "off"), "")) {
      assertThat(host.broker()).isNull();
      assertThat(send(host, "/parkway/health").statusCode()).isEqualTo(404);
      assertThat(send(host, "/hello").statusCode()).isEqualTo(200);
    }
  }

  @Test
  void aHostThatAlsoDeclaresTheListenerIsRefusedRatherThanStartedTwice() {
    String listener = "<listener><listener-class>dev.parkway.Bootstrap</listener-class></listener>";
    assertThatThrownBy(() -> HostApp.start(Map.of(), listener).close())
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("did not start");
  }

  @Test
  void aBadPrefixStopsStartUp() {
    assertThatThrownBy(() -> HostApp.start(Map.of("parkway.prefix", "push"), "").close())
        .isInstanceOf(IllegalStateException.class);
  }

  @Test
  void stoppingTheHostAnswersParkedPolls503() {
    HostApp host = HostApp.start(Map.of("parkway.prefix", "/push"), "");
    CompletableFuture<HttpResponse<String>> poll;
    try {
      Broker broker = host.broker();
      poll = http.sendAsync(request(host, "/push/channels/stopping?timeout=30"), HttpResponse.BodyHandlers.ofString());
      waitUntil("the poll parks").until(() -> broker.parkedCount() == 1);
    } finally {
      host.close();
    }
    HttpResponse<String> answered = answer(poll);
    assertThat(answered.statusCode()).as(answered.body()).isEqualTo(503);
    assertThat(body(answered).getString("error")).isEqualTo("shutting_down");
  }

  private static HttpRequest request(HostApp host, String path) {
    return HttpRequest.newBuilder(URI.create(host.baseUri() + path))
        .timeout(PATIENCE)
        .header("X-Host-App", "yes")
        .GET()
        .build();
  }

  private HttpResponse<String> send(HostApp host, String path) {
    try {
      return http.send(request(host, path), HttpResponse.BodyHandlers.ofString());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }
}
