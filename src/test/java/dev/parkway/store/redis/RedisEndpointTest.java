package dev.parkway.store.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.parkway.config.Config;
import java.net.URI;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** How {@code parkway.redis.*} becomes a connection: URL parts, the password setting, TLS, the database. */
class RedisEndpointTest {

  private static RedisEndpoint endpoint(String url, String password, boolean tls, int database) {
    return RedisEndpoint.of(
        new Config.Redis(URI.create(url), password, tls, database, 4, Duration.ofSeconds(2), "p:"));
  }

  @Test
  void hostPortUserPasswordAndDatabaseComeFromTheUrl() {
    RedisEndpoint e = endpoint("redis://alice:s%40cret@cache.internal:6380/3", "", false, 0);
    assertThat(e.address().getHost()).isEqualTo("cache.internal");
    assertThat(e.address().getPort()).isEqualTo(6380);
    assertThat(e.client().getUser()).isEqualTo("alice");
    assertThat(e.client().getPassword()).isEqualTo("s@cret");
    assertThat(e.client().getDatabase()).isEqualTo(3);
    assertThat(e.client().isSsl()).isFalse();
  }

  @Test
  void aPasswordOnlyUrlAndTheDefaultPort() {
    RedisEndpoint e = endpoint("rediss://:pw@redis.example", "", true, 5);
    assertThat(e.address().getPort()).isEqualTo(6379);
    assertThat(e.client().getUser()).isNull();
    assertThat(e.client().getPassword()).isEqualTo("pw");
    assertThat(e.client().getDatabase()).isEqualTo(5); // no path: parkway.redis.database
    assertThat(e.client().isSsl()).isTrue();
  }

  @Test
  void thePasswordSettingWinsOverTheUrlAndIsNeverPrinted() {
    RedisEndpoint e = endpoint("redis://:inurl@h:1", "fromsetting", false, 0);
    assertThat(e.client().getPassword()).isEqualTo("fromsetting");
    assertThat(e.toString()).doesNotContain("fromsetting").doesNotContain("inurl");
  }

  @Test
  void aPathThatIsNotADatabaseNumberIsRefused() {
    assertThatThrownBy(() -> endpoint("redis://h:1/zero", "", false, 0))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("database number");
  }

  @Test
  void aPasswordInTheUrlIsNeverLogged() {
    Config config = Config.load(dev.parkway.config.ConfigSource.of(java.util.Map.of(
        "parkway.store", "redis", "parkway.redis.url", "redis://app:topsecret@cache:6380/1")));
    assertThat(config.describe()).contains("redis://app:****@cache:6380/1").doesNotContain("topsecret");
    assertThat(config.redis().toString()).doesNotContain("topsecret");
    assertThat(config.redis().url().getRawUserInfo()).isEqualTo("app:topsecret"); // still used to connect

    assertThatThrownBy(() -> Config.load(dev.parkway.config.ConfigSource.of(java.util.Map.of(
            "parkway.redis.url", "http://:topsecret@cache"))))
        .isInstanceOf(dev.parkway.config.ConfigException.class)
        .hasMessageContaining("parkway.redis.url")
        .hasMessageNotContaining("topsecret");
  }
}
