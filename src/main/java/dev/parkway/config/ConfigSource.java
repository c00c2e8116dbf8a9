package dev.parkway.config;

import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * Where a setting's text comes from. Sources are layered with {@link #firstOf}: the first source that has
 * a value wins. Implementations are read once, at start-up.
 */
@FunctionalInterface
public interface ConfigSource {
  Optional<String> get(String name);

  /** A human name for the source, used when a value is rejected. */
  default String describe() {
    return getClass().getSimpleName();
  }

  /** The JVM's {@code -D} system properties. */
  static ConfigSource systemProperties() {
    return named("system property", name -> Optional.ofNullable(System.getProperty(name)));
  }

  /** Environment variables: {@code parkway.poll.timeout.max} is read as {@code PARKWAY_POLL_TIMEOUT_MAX}. */
  static ConfigSource environment(Map<String, String> env) {
    return named("environment", name -> Optional.ofNullable(env.get(envName(name))));
  }

  /** A fixed map, for tests and embedding. */
  static ConfigSource of(Map<String, String> values) {
    return named("map", name -> Optional.ofNullable(values.get(name)));
  }

  static String envName(String name) {
    return name.toUpperCase(Locale.ROOT).replace('.', '_').replace('-', '_');
  }

  static ConfigSource named(String description, ConfigSource source) {
    return new ConfigSource() {
      @Override
      public Optional<String> get(String name) {
        return source.get(name).map(String::trim).filter(v -> !v.isEmpty());
      }

      @Override
      public String describe() {
        return description;
      }
    };
  }

  /** The layered source: the first of {@code sources} that has a value for a name. */
  static ConfigSource firstOf(List<ConfigSource> sources) {
    return name -> {
      for (ConfigSource source : sources) {
        Optional<String> value = source.get(name);
        if (value.isPresent()) {
          return value;
        }
      }
      return Optional.empty();
    };
  }
}
