package dev.parkway.config;

import java.util.List;

/** The configuration could not be accepted; {@link #problems()} lists every reason at once. */
public final class ConfigException extends RuntimeException {
  private static final long serialVersionUID = 1L;
  private final List<String> problems;

  public ConfigException(List<String> problems) {
    super("Parkway configuration refused:\n  - " + String.join("\n  - ", problems));
    this.problems = List.copyOf(problems);
  }

  public List<String> problems() {
    return problems;
  }
}
