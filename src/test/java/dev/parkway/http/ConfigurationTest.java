package dev.parkway.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.parkway.config.Config;
import dev.parkway.config.ConfigException;
import dev.parkway.config.ConfigSource;
import dev.parkway.testing.EmbeddedParkway;
import io.restassured.RestAssured;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Start-up configuration: every problem reported at once and the server refusing to start, and the
 * layering init-param > system property > environment.
 */
class ConfigurationTest {
  private static final String TIMEOUT_MAX = "parkway.poll.timeout.max";
  private static final String DEFAULT = "parkway.poll.timeout.default";

  @Test
  void invalidSettingsRefuseToStartTheServer() {
    assertThatThrownBy(
            () -> EmbeddedParkway.start(EmbeddedParkway.settings(TIMEOUT_MAX, "abc", "parkway.store", "nope")))
        .isInstanceOf(IllegalStateException.class);
  }

  @Test
  void configExceptionListsEveryProblemAtOnce() {
    ConfigException e =
        catchThrowableOfType(
            ConfigException.class,
            () -> Config.load(ConfigSource.of(Map.of(TIMEOUT_MAX, "abc", "parkway.store", "nope"))));
    assertThat(e).isNotNull();
    assertThat(e.problems()).hasSize(2);
    assertThat(e.problems()).anySatisfy(p -> assertThat(p).contains(TIMEOUT_MAX).contains("abc"));
    assertThat(e.problems()).anySatisfy(p -> assertThat(p).contains("parkway.store").contains("nope"));
    assertThat(e.getMessage()).contains(TIMEOUT_MAX).contains("parkway.store");
  }

  @Test
  void settingsBreakingEachOtherAreReportedToo() {
    ConfigException e =
        catchThrowableOfType(
            ConfigException.class,
            () ->
                Config.load(
                    ConfigSource.of(
                        Map.of(
                            "parkway.poll.timeout.default", "30",
                            TIMEOUT_MAX, "10",
                            "parkway.body.max", "-1",
                            "parkway.poll.timeout.default.typo", "ignored"))));
    assertThat(e).isNotNull();
    assertThat(e.problems()).hasSize(2);
    assertThat(e.problems()).anySatisfy(p -> assertThat(p).contains("parkway.poll.timeout.default").contains(TIMEOUT_MAX));
    assertThat(e.problems()).anySatisfy(p -> assertThat(p).contains("parkway.body.max"));
  }

  @Test
  void validSettingsAreReadWithFractionalSeconds() {
    Config config =
        Config.load(ConfigSource.of(Map.of(TIMEOUT_MAX, "2.5", "parkway.poll.timeout.default", "0.25")));
    assertThat(config.pollTimeoutMax()).isEqualTo(Duration.ofMillis(2500));
    assertThat(config.pollTimeoutDefault()).isEqualTo(Duration.ofMillis(250));
    assertThat(config.store()).isEqualTo("memory");
    assertThatThrownBy(() -> Config.load(ConfigSource.of(Map.of(TIMEOUT_MAX, "1e3"))))
        .isInstanceOf(ConfigException.class);
  }

  @Test
  void initParamBeatsSystemPropertyWhichBeatsEnvironment() {
    String previous = System.getProperty(TIMEOUT_MAX);
    System.setProperty(TIMEOUT_MAX, "9");
    try {
      ConfigSource env = ConfigSource.environment(Map.of("PARKWAY_POLL_TIMEOUT_MAX", "8", "PARKWAY_BODY_MAX", "2048"));
      // The default timeout (25 s) must not exceed the maximum, so every layer here sets it low.
      ConfigSource initParams = ConfigSource.of(Map.of(TIMEOUT_MAX, "7", DEFAULT, "1"));

      Config all = Config.load(ConfigSource.firstOf(List.of(initParams, ConfigSource.systemProperties(), env)));
      assertThat(all.pollTimeoutMax()).isEqualTo(Duration.ofSeconds(7));
      assertThat(all.bodyMax()).as("only the environment names it").isEqualTo(2048);

      Config noInitParam =
          Config.load(
              ConfigSource.firstOf(List.of(ConfigSource.of(Map.of(DEFAULT, "1")), ConfigSource.systemProperties(), env)));
      assertThat(noInitParam.pollTimeoutMax()).isEqualTo(Duration.ofSeconds(9));

      Config envOnly = Config.load(ConfigSource.firstOf(List.of(ConfigSource.of(Map.of(DEFAULT, "1")), env)));
      assertThat(envOnly.pollTimeoutMax()).isEqualTo(Duration.ofSeconds(8));
    } finally {
      restore(previous);
    }
  }

  @Test
  void blankValuesFallThroughToTheNextSource() {
    Config config =
        Config.load(
            ConfigSource.firstOf(
                List.of(
                    ConfigSource.named("init", n -> java.util.Optional.of("  ").filter(v -> n.equals(TIMEOUT_MAX))),
                    ConfigSource.of(Map.of(TIMEOUT_MAX, "3", DEFAULT, "1")))));
    assertThat(config.pollTimeoutMax()).isEqualTo(Duration.ofSeconds(3));
  }

  @Test
  void runningServerHonoursTheInitParamOverTheSystemProperty() {
    String previous = System.getProperty(TIMEOUT_MAX);
    System.setProperty(TIMEOUT_MAX, "3");
    try (EmbeddedParkway server = EmbeddedParkway.start(EmbeddedParkway.settings(TIMEOUT_MAX, "2", DEFAULT, "1"))) {
      // 2.5 s is within the system property's 3 but beyond the init-param's 2.
      RestAssured.given().baseUri(server.baseUri()).queryParam("timeout", "2.5").get("/channels/cfg")
          .then().statusCode(400).body("error", org.hamcrest.Matchers.equalTo("invalid_timeout"));
      // 2 s itself is accepted (events are waiting, so it answers at once).
      RestAssured.given().baseUri(server.baseUri()).contentType("application/json").body("1").post("/channels/cfg")
          .then().statusCode(201);
      RestAssured.given().baseUri(server.baseUri()).queryParam("after", "0").queryParam("timeout", "2")
          .get("/channels/cfg")
          .then().statusCode(200).body("events.seq", org.hamcrest.Matchers.contains(1));
    } finally {
      restore(previous);
    }
  }

  private static void restore(String previous) {
    if (previous == null) {
      System.clearProperty(TIMEOUT_MAX);
    } else {
      System.setProperty(TIMEOUT_MAX, previous);
    }
  }
}
