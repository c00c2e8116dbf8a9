package dev.parkway.direct;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.parkway.config.Config;
import dev.parkway.config.ConfigException;
import dev.parkway.config.ConfigSource;
import dev.parkway.testing.EmbeddedParkway;
import dev.parkway.testing.LogCapture;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.util.Map;
import java.util.logging.Level;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The direct port's settings: off by default, a port out of range (or threads, or an address that is
 * not one) refused with the rest of the configuration, and a port that cannot be bound failing the
 * start with a message naming the setting and the address, leaving no thread behind.
 */
class DirectSettingsTest {

  @Test
  void theDirectPortIsOffByDefault() {
    Config.Direct direct = Config.load(ConfigSource.of(Map.of())).direct();
    assertThat(direct.on()).isFalse();
    assertThat(direct.address()).isEqualTo("0.0.0.0");
    assertThat(Config.load(ConfigSource.of(Map.of("parkway.direct.port", "-1"))).direct().on()).isTrue();
  }

  @ParameterizedTest
  @ValueSource(strings = {"65536", "-2", "99999999999", "abc", "80.5"})
  void aPortOutOfRangeIsRefused(String port) {
    ConfigException e = catchThrowableOfType(
        ConfigException.class, () -> Config.load(ConfigSource.of(Map.of("parkway.direct.port", port))));
    assertThat(e).isNotNull();
    assertThat(e.problems()).singleElement().satisfies(p -> assertThat(p).contains("parkway.direct.port").contains(port));
  }

  @Test
  void badThreadsAddressAndIdleTimeAreReportedWithThePort() {
    ConfigException e = catchThrowableOfType(ConfigException.class, () -> Config.load(ConfigSource.of(Map.of(
        "parkway.direct.port", "70000", "parkway.direct.threads", "0", "parkway.direct.address", "no where",
        "parkway.direct.idle", "0"))));
    assertThat(e).isNotNull();
    assertThat(e.problems()).hasSize(4);
    assertThat(e.getMessage()).contains(
        "parkway.direct.port", "parkway.direct.threads", "parkway.direct.address", "parkway.direct.idle");
  }

  @Test
  void aServerWithThePortOutOfRangeRefusesToStart() {
    try (LogCapture log = new LogCapture("org.apache.catalina", Level.WARNING)) {
      assertThatThrownBy(() -> EmbeddedParkway.start(EmbeddedParkway.settings("parkway.direct.port", "65536")))
          .isInstanceOf(IllegalStateException.class);
      assertThat(log.count("parkway.direct.port")).isPositive();
    }
  }

  @Test
  void aPortInUseFailsTheStartWithAClearMessageAndLeavesNoThread() throws IOException {
    try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"));
        LogCapture log = new LogCapture("org.apache.catalina", Level.WARNING)) {
      int port = taken.getLocalPort();
      assertThatThrownBy(() -> EmbeddedParkway.start(EmbeddedParkway.settings(
              "parkway.direct.port", Integer.toString(port), "parkway.direct.address", "127.0.0.1")))
          .isInstanceOf(IllegalStateException.class);
      assertThat(log.messages).anySatisfy(m -> assertThat(m)
          .contains("parkway.direct.port: cannot listen on 127.0.0.1:" + port)
          .containsIgnoringCase("address already in use"));
      // Tomcat looks for threads the application left running as soon as the context has stopped.
      assertThat(log.messages).noneMatch(m -> m.contains("failed to stop it"));
    }
    assertThat(Thread.getAllStackTraces().keySet()).noneMatch(t -> t.isAlive() && t.getName().startsWith("parkway-"));
  }
}
