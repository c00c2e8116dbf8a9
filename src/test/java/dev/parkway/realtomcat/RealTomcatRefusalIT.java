package dev.parkway.realtomcat;

import static org.assertj.core.api.Assertions.assertThat;

import dev.parkway.testing.PlainHttp;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * A wrong setting on a real Tomcat with tomcat-conf/: Parkway does not start, Tomcat stays up answering
 * 404, and the log names the setting (where tomcat-conf/README.md says to look). Tomcat's output is in
 * the failure message when the test fails.
 */
class RealTomcatRefusalIT {
  @Test
  void aWrongSettingKeepsParkwayFromStartingAndTheLogSaysWhy() throws Exception {
    try (RealTomcat tomcat =
        RealTomcat.start("realtomcat-refused", Map.of("PARKWAY_HEAP", "512m", "PARKWAY_POLL_TIMEOUT_MAX", "forever"), "")) {
      try {
        tomcat.awaitListening(Duration.ofSeconds(60)); // after the web application's (failed) start
        HttpResponse<String> health = new PlainHttp(tomcat.baseUri()).get("/health");

        assertThat(tomcat.alive()).isTrue();
        assertThat(health.statusCode()).isEqualTo(404);
        assertThat(tomcat.log())
            .contains("Parkway configuration refused")
            .contains("parkway.poll.timeout.max = 'forever'");
      } catch (AssertionError | RuntimeException e) {
        throw new AssertionError(e.getMessage() + "\nTomcat's output:\n" + tomcat.log(), e);
      }
    }
  }
}
