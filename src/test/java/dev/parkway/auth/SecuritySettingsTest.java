package dev.parkway.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.parkway.config.Config;
import dev.parkway.config.ConfigException;
import dev.parkway.config.ConfigSource;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The parkway.auth.* and parkway.cors.* settings: validated at start-up, secrets never printed. */
class SecuritySettingsTest {
  private static final String PUBLISH = "publish-0123456789abcdef";
  private static final String SUBSCRIBE = "subscribe-0123456789abcdef";
  private static final String SECRET = "jwt-secret-0123456789abcdef-0123456789";

  private static Config load(Map<String, String> settings) {
    return Config.load(ConfigSource.of(settings));
  }

  private static List<String> problems(Map<String, String> settings) {
    ConfigException e = catchThrowableOfType(ConfigException.class, () -> load(settings));
    assertThat(e).as("refused: " + settings.keySet()).isNotNull();
    return e.problems();
  }

  @Test
  void openIsTheDefaultWithCorsOff() {
    Config config = load(Map.of());
    assertThat(config.auth().mode()).isEqualTo("open");
    assertThat(config.cors().enabled()).isFalse();
  }

  @Test
  void secretsAreMaskedInTheStartUpLineAndNeverPrinted() {
    Config config = load(Map.of(
        "parkway.auth", "tokens",
        "parkway.auth.publish-token", PUBLISH,
        "parkway.auth.subscribe-token", SUBSCRIBE));
    assertThat(config.describe()).doesNotContain(PUBLISH).doesNotContain(SUBSCRIBE)
        .contains("parkway.auth.publish-token=****");
    assertThat(config.toString()).doesNotContain(PUBLISH).doesNotContain(SUBSCRIBE);
    Config jwt = load(Map.of("parkway.auth", "jwt", "parkway.auth.jwt.secret", SECRET));
    assertThat(jwt.describe()).doesNotContain(SECRET);
    assertThat(jwt.toString()).doesNotContain(SECRET);
  }

  @Test
  void tokensModeNeedsBothRoleTokensLongAndDistinct() {
    assertThat(problems(Map.of("parkway.auth", "tokens"))).hasSize(2)
        .anySatisfy(p -> assertThat(p).contains("publish-token is required"))
        .anySatisfy(p -> assertThat(p).contains("subscribe-token is required"));
    assertThat(problems(Map.of(
        "parkway.auth", "tokens", "parkway.auth.publish-token", "short", "parkway.auth.subscribe-token", SUBSCRIBE)))
        .singleElement().satisfies(p -> assertThat(p).contains("16 to 4096").doesNotContain("short"));
    assertThat(problems(Map.of(
        "parkway.auth", "tokens", "parkway.auth.publish-token", PUBLISH, "parkway.auth.subscribe-token", PUBLISH)))
        .singleElement().satisfies(p -> assertThat(p).contains("differ"));
  }

  @Test
  void aCredentialSetForAnotherModeIsRefusedRatherThanIgnored() {
    assertThat(problems(Map.of("parkway.auth.publish-token", PUBLISH)))
        .singleElement().satisfies(p -> assertThat(p).contains("is open, not tokens"));
    assertThat(problems(Map.of("parkway.auth.jwt.secret", SECRET)))
        .singleElement().satisfies(p -> assertThat(p).contains("not jwt"));
  }

  @Test
  void jwtModeNeedsASecretOf32BytesUnderEitherName() {
    assertThat(problems(Map.of("parkway.auth", "jwt"))).singleElement()
        .satisfies(p -> assertThat(p).contains("at least 32 bytes"));
    assertThat(problems(Map.of("parkway.auth", "jwt", "parkway.auth.jwt.secret", "0123456789abcdef0123456789abcde")))
        .singleElement().satisfies(p -> assertThat(p).contains("at least 32 bytes"));
    Config alias = load(Map.of("parkway.auth", "jwt", "parkway.auth.jwt-secret", SECRET, "parkway.auth.jwt.clock-skew", "5"));
    assertThat(alias.auth().jwtSecret()).isEqualTo(SECRET);
    assertThat(alias.auth().jwtClockSkew()).isEqualTo(Duration.ofSeconds(5));
    assertThat(problems(Map.of(
        "parkway.auth", "jwt", "parkway.auth.jwt.secret", SECRET, "parkway.auth.jwt-secret", SECRET + "x")))
        .singleElement().satisfies(p -> assertThat(p).contains("two names of one setting"));
  }

  @Test
  void unknownModesAndClassNamesAreRefused() {
    assertThat(problems(Map.of("parkway.auth", "basic"))).singleElement()
        .satisfies(p -> assertThat(p).contains("open, tokens, jwt"));
    assertThat(problems(Map.of("parkway.auth", "class:not a class"))).singleElement()
        .satisfies(p -> assertThat(p).contains("class name"));
    assertThat(load(Map.of("parkway.auth", "class:com.example.Mine")).auth().className()).isEqualTo("com.example.Mine");
  }

  @Test
  void corsOriginsAreExactOriginsOrStar() {
    Config cors = load(Map.of("parkway.cors.origins", "https://App.example, http://localhost:3000,*",
        "parkway.cors.credentials", "true", "parkway.cors.max-age", "60"));
    assertThat(cors.cors().origins()).containsExactlyInAnyOrder("https://app.example", "http://localhost:3000");
    assertThat(cors.cors().anyOrigin()).isTrue();
    assertThat(cors.cors().credentials()).isTrue();
    assertThat(cors.cors().maxAge()).isEqualTo(Duration.ofSeconds(60));
    for (String bad : List.of("https://app.example/", "app.example", "null", "ftp://x.example", "https://a.example/path")) {
      assertThat(problems(Map.of("parkway.cors.origins", bad))).as(bad).singleElement()
          .satisfies(p -> assertThat(p).contains("scheme://host[:port]"));
    }
  }

  @Test
  void credentialsNeverGoWithStarAlone() {
    assertThat(problems(Map.of("parkway.cors.origins", "*", "parkway.cors.credentials", "true")))
        .singleElement().satisfies(p -> assertThat(p).contains("never applies to *"));
    assertThat(problems(Map.of("parkway.cors.credentials", "true"))).hasSize(1);
  }
}
