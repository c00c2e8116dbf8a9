package dev.parkway.library;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.parkway.config.ConfigException;
import dev.parkway.config.ConfigSource;
import dev.parkway.transport.http.Mount;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** How {@code parkway.prefix} is read: normalised to "" or "/a/b", anything else refused at start-up. */
class PrefixSettingTest {
  @ParameterizedTest
  @CsvSource({"/push, /push", "/push/, /push", "/, ''", "/a/b.c/d_e~f-g, /a/b.c/d_e~f-g"})
  void aPrefixIsNormalised(String value, String expected) {
    assertThat(Mount.prefix(ConfigSource.of(Map.of(Mount.PREFIX, value)), "/fallback")).isEqualTo(expected);
  }

  @ParameterizedTest
  @ValueSource(strings = {"push", "/push*", "//push", "/a//b", "/a/../b", "/.", "/a b", "/pu%73h", "/*"})
  void anythingButAPathPrefixIsRefused(String value) {
    assertThatThrownBy(() -> Mount.prefix(ConfigSource.of(Map.of(Mount.PREFIX, value)), ""))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining(Mount.PREFIX);
  }

  @ParameterizedTest
  @ValueSource(strings = {"", "/parkway"})
  void unsetMeansTheEntryPointsDefault(String fallback) {
    assertThat(Mount.prefix(ConfigSource.of(Map.of()), fallback)).isEqualTo(fallback);
  }
}
