package dev.parkway.realtomcat;

import static dev.parkway.testing.ParkwayHttpSupport.answer;
import static dev.parkway.testing.ParkwayHttpSupport.body;
import static dev.parkway.testing.ParkwayHttpSupport.unique;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.parkway.testing.PlainHttp;
import java.io.IOException;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.extension.TestWatcher;

/**
 * The built WAR on a real Tomcat {@value #TOMCAT_HINT} with {@code tomcat-conf/server.xml}, {@code
 * parkway.xml} and {@code setenv.sh} as they ship ({@link RealTomcat} lays them out): a smoke test of the
 * deployment, not of the API (the embedded tests cover that). One Tomcat for the class; the last test
 * stops it. A setting comes from the environment ({@code PARKWAY_POLL_TIMEOUT_MAX}) and one from a
 * {@code -D} option, as an operator would give them. Tomcat's output is printed only when a test fails.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class RealTomcatIT {
  private static final String TOMCAT_HINT = "(the org.apache.tomcat:tomcat zip)";
  private static final Duration PATIENCE = Duration.ofSeconds(10);
  private static final Duration START_PATIENCE = Duration.ofSeconds(60);

  private RealTomcat tomcat;
  private PlainHttp http;

  @RegisterExtension
  final TestWatcher printTomcatLogOnFailure =
      new TestWatcher() {
        @Override
        public void testFailed(ExtensionContext context, Throwable cause) {
          if (tomcat != null) {
            System.err.println("Tomcat's output for the failed " + context.getDisplayName() + ":\n" + tomcat.log());
          }
        }
      };

  @BeforeAll
  void startTomcat() throws IOException {
    tomcat =
        RealTomcat.start(
            "realtomcat",
            Map.of("PARKWAY_HEAP", "512m", "PARKWAY_POLL_TIMEOUT_MAX", "10"),
            "-Dparkway.body.max=1024");
    try {
      tomcat.awaitListening(START_PATIENCE);
      http = new PlainHttp(tomcat.baseUri());
      await("Tomcat serves /health")
          .atMost(START_PATIENCE)
          .pollInterval(Duration.ofMillis(100))
          .ignoreExceptions()
          .until(() -> {
            if (!tomcat.alive()) {
              throw new AssertionError("Tomcat exited");
            }
            return http.get("/health").statusCode() == 200;
          });
    } catch (RuntimeException | AssertionError e) {
      String log = tomcat.log();
      tomcat.close();
      throw new AssertionError("Tomcat did not come up with tomcat-conf/:\n" + log, e);
    }
  }

  @AfterAll
  void stopTomcat() {
    if (tomcat != null) {
      tomcat.close();
    }
  }

  @AfterEach
  void parkedPollsDrain() {
    if (tomcat.alive()) {
      await("parked polls drain").atMost(PATIENCE).until(() -> body(http.get("/health")).getInt("parked") == 0);
    }
  }

  @Test
  @Order(1)
  void setenvShSizesTheHeapAndTheConnectorFromIt() {
    assertThat(tomcat.jvmArguments())
        .contains("-Xms512m", "-Xmx512m", "-XX:+ExitOnOutOfMemoryError")
        // (512 - 256) * 1024 / 80: setenv.sh's rule, handed to server.xml's maxConnections
        .contains("-Dparkway.tomcat.maxConnections=3276");
  }

  @Test
  @Order(1)
  void healthIsUpAndAnsweredThroughTheProjectsServerXml() {
    HttpResponse<String> health = http.get("/health");
    assertThat(health.statusCode()).isEqualTo(200);
    assertThat(body(health).getString("status")).isEqualTo("up");
    assertThat(body(health).getString("store")).isEqualTo("memory");
    assertThat(health.headers().firstValue("Server")).as("server.xml's connector").hasValue("Parkway");
  }

  @Test
  @Order(1)
  void aParkedPollIsAnsweredByAPublishAndItsCursorResumes() {
    String channel = unique("real");
    CompletableFuture<HttpResponse<String>> poll =
        http.getAsync("/channels/" + channel + "?timeout=10");
    await("the poll parks").atMost(PATIENCE).until(() -> body(http.get("/health")).getInt("parked") == 1);

    HttpResponse<String> published = http.postJson("/channels/" + channel, "{\"n\":1}");
    assertThat(published.statusCode()).as(published.body()).isEqualTo(201);
    assertThat(body(published).getInt("subscribers")).isEqualTo(1);
    HttpResponse<String> answered = answer(poll);
    assertThat(answered.statusCode()).as(answered.body()).isEqualTo(200);
    assertThat(body(answered).getList("events.data.n", Integer.class)).containsExactly(1);

    http.postJson("/channels/" + channel, "{\"n\":2}");
    HttpResponse<String> resumed =
        http.get("/channels/" + channel + "?timeout=0&after=" + body(answered).getString("cursor"));
    assertThat(body(resumed).getList("events.seq", Integer.class)).as(resumed.body()).containsExactly(2);
  }

  @Test
  @Order(1)
  void settingsFromTheEnvironmentAndFromDashDApply() {
    HttpResponse<String> tooLong = http.get("/channels/x?timeout=11");
    assertThat(tooLong.statusCode()).as("PARKWAY_POLL_TIMEOUT_MAX=10").isEqualTo(400);
    assertThat(body(tooLong).getString("error")).isEqualTo("invalid_timeout");

    HttpResponse<String> tooBig = http.postJson("/channels/x", "\"" + "a".repeat(2000) + "\"");
    assertThat(tooBig.statusCode()).as("-Dparkway.body.max=1024").isEqualTo(413);
  }

  @Test
  @Order(1)
  void anUnknownPathIsAJson404() {
    HttpResponse<String> missing = http.get("/no/such/thing");
    assertThat(missing.statusCode()).isEqualTo(404);
    assertThat(missing.headers().firstValue("Content-Type")).hasValueSatisfying(t -> assertThat(t).contains("json"));
    assertThat(body(missing).getString("error")).isEqualTo("not_found");
  }

  @Test
  @Order(1)
  void theDemoPageAndTheBrowserClientAreServed() {
    HttpResponse<String> page = http.get("/");
    assertThat(page.statusCode()).isEqualTo(200);
    assertThat(page.body()).contains("<title>Parkway demo</title>");
    HttpResponse<String> client = http.get("/parkway.js");
    assertThat(client.statusCode()).isEqualTo(200);
    assertThat(client.headers().firstValue("Content-Type")).hasValueSatisfying(t -> assertThat(t).contains("javascript"));
  }

  @Test
  @Order(2)
  void stoppingTomcatAnswersAParkedPoll503AndEndsTheProcess() {
    CompletableFuture<HttpResponse<String>> poll =
        http.getAsync("/channels/" + unique("stop") + "?timeout=10");
    await("the poll parks").atMost(PATIENCE).until(() -> body(http.get("/health")).getInt("parked") == 1);

    assertThat(tomcat.stop()).as("Tomcat stopped on SIGTERM by itself").isTrue();
    HttpResponse<String> answered = answer(poll);
    assertThat(answered.statusCode()).as(answered.body()).isEqualTo(503);
    assertThat(body(answered).getString("error")).isEqualTo("shutting_down");
    assertThat(tomcat.log()).contains("Parkway stopped");
  }

}
