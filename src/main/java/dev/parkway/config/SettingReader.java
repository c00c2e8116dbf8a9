package dev.parkway.config;

import java.math.BigDecimal;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Reads typed settings from a {@link ConfigSource}, collecting every problem instead of stopping at the
 * first, and recording each effective value for the start-up log (secrets masked). Single-use, not
 * thread-safe: {@link Config#load} makes one, reads everything, then calls {@link #check()}.
 */
final class SettingReader {
  private final ConfigSource source;
  private final List<String> problems = new ArrayList<>();
  private final Map<String, String> effective = new LinkedHashMap<>();

  SettingReader(ConfigSource source) {
    this.source = source;
  }

  String text(String name, String fallback) {
    String value = source.get(name).orElse(fallback);
    effective.put(name, value);
    return value;
  }

  /** A text setting that may embed a secret (a URL's password): logged as {@code shown(value)}. */
  String textShownAs(String name, String fallback, java.util.function.UnaryOperator<String> shown) {
    String value = text(name, fallback);
    effective.put(name, shown.apply(value));
    return value;
  }

  String secret(String name) {
    String value = source.get(name).orElse("");
    effective.put(name, value.isEmpty() ? "" : "****");
    return value;
  }

  String oneOf(String name, String fallback, Set<String> allowed) {
    String value = text(name, fallback).toLowerCase(Locale.ROOT);
    if (!allowed.contains(value)) {
      problem(name, value, "must be one of " + String.join(", ", allowed));
    }
    return value;
  }

  int integer(String name, int fallback, int min, int max) {
    return (int) longInteger(name, fallback, min, max);
  }

  /** A whole number that may pass {@code int} (byte counts). */
  long longInteger(String name, long fallback, long min, long max) {
    String value = text(name, Long.toString(fallback));
    try {
      long n = Long.parseLong(value);
      if (n >= min && n <= max) {
        return n;
      }
    } catch (NumberFormatException e) {
      // reported below
    }
    problem(name, value, "must be a whole number from " + min + " to " + max);
    return fallback;
  }

  /** Seconds, possibly fractional ({@code 0.25}), as a Duration in whole milliseconds. */
  Duration seconds(String name, Duration fallback, Duration min, Duration max) {
    String value = text(name, format(fallback));
    if (value.matches("\\d{1,12}(\\.\\d{1,3})?")) { // no exponent: "1e999999999" stays text
      Duration d = Duration.ofMillis(new BigDecimal(value).movePointRight(3).longValueExact());
      if (d.compareTo(min) >= 0 && d.compareTo(max) <= 0) {
        return d;
      }
    }
    problem(name, value, "must be seconds from " + format(min) + " to " + format(max));
    return fallback;
  }

  void require(boolean condition, String message) {
    if (!condition) {
      problems.add(message);
    }
  }

  void problem(String name, String value, String rule) {
    problems.add(name + " = '" + value + "': " + rule);
  }

  Map<String, String> effective() {
    return effective;
  }

  void check() {
    if (!problems.isEmpty()) {
      throw new ConfigException(problems);
    }
  }

  static String format(Duration d) {
    return BigDecimal.valueOf(d.toMillis()).movePointLeft(3).stripTrailingZeros().toPlainString();
  }
}
