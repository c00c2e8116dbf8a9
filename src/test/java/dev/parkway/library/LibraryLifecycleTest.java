package dev.parkway.library;

import static dev.parkway.testing.ParkwayHttpSupport.answer;
import static dev.parkway.testing.ParkwayHttpSupport.body;
import static dev.parkway.testing.ParkwayHttpSupport.waitUntil;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.parkway.core.Broker;
import dev.parkway.testing.PlainHttp;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Library mode's start and stop, each test with a host application of its own: the default prefix, the
 * switch that keeps the jar from starting Parkway, the refusal to start twice, and Parkway stopping with
 * its host (parked polls answered 503, as in the WAR).
 */
class LibraryLifecycleTest {
  @TempDir Path dir;

  @Test
  void withoutAPrefixSettingTheRoutesSitUnderSlashParkway() {
    try (HostApp host = HostApp.start(dir, Map.of(), "")) {
      PlainHttp http = client(host);
      assertThat(http.get("/parkway/health").statusCode()).isEqualTo(200);
      assertThat(http.get("/health").statusCode()).isEqualTo(404);
    }
  }

  @Test
  void prefixSlashPutsTheRoutesAtTheContextRoot() {
    try (HostApp host = HostApp.start(dir, Map.of("parkway.prefix", "/"), "")) {
      PlainHttp http = client(host);
      assertThat(http.get("/health").statusCode()).isEqualTo(200);
      assertThat(http.get("/hello").body()).as("the host's servlet keeps its path").isEqualTo("hello from the host");
    }
  }

  @Test
  void libraryOffKeepsTheJarFromStartingParkway() {
    try (HostApp host = HostApp.start(dir, Map.of("parkway.library", "off"), "")) {
      PlainHttp http = client(host);
      assertThat(host.broker()).isNull();
      assertThat(http.get("/parkway/health").statusCode()).isEqualTo(404);
      assertThat(http.get("/hello").statusCode()).isEqualTo(200);
    }
  }

  @Test
  void aHostThatAlsoDeclaresTheListenerIsRefusedRatherThanStartedTwice() {
    String listener = "<listener><listener-class>dev.parkway.Bootstrap</listener-class></listener>";
    assertThatThrownBy(() -> HostApp.start(dir, Map.of(), listener).close())
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("did not start");
  }

  @Test
  void aLibrarySwitchOtherThanOnOrOffStopsStartUp() {
    assertThatThrownBy(() -> HostApp.start(dir, Map.of("parkway.library", "maybe"), "").close())
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("did not start");
  }

  @Test
  void aBadPrefixStopsStartUp() {
    assertThatThrownBy(() -> HostApp.start(dir, Map.of("parkway.prefix", "push"), "").close())
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("did not start");
  }

  @Test
  void stoppingTheHostAnswersParkedPolls503() {
    HostApp host = HostApp.start(dir, Map.of("parkway.prefix", "/push"), "");
    CompletableFuture<HttpResponse<String>> poll;
    try {
      Broker broker = host.broker();
      poll = client(host).getAsync("/push/channels/stopping?timeout=30");
      waitUntil("the poll parks").until(() -> broker.parkedCount() == 1);
    } finally {
      host.close();
    }
    HttpResponse<String> answered = answer(poll);
    assertThat(answered.statusCode()).as(answered.body()).isEqualTo(503);
    assertThat(body(answered).getString("error")).isEqualTo("shutting_down");
  }

  private static PlainHttp client(HostApp host) {
    return new PlainHttp(host.baseUri(), "X-Host-App", "yes");
  }
}
