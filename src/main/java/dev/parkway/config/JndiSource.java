package dev.parkway.config;

import java.util.Optional;
import javax.naming.InitialContext;
import javax.naming.NamingException;

/**
 * Settings from JNDI {@code java:comp/env} (Tomcat's {@code <Environment>} entries). A container without
 * JNDI (plain Jetty) or a name that is not bound reads as "not set".
 */
public final class JndiSource implements ConfigSource {
  @Override
  public Optional<String> get(String name) {
    try {
      Object value = new InitialContext().lookup("java:comp/env/" + name);
      return value == null ? Optional.empty() : Optional.of(value.toString().trim()).filter(v -> !v.isEmpty());
    } catch (NamingException | RuntimeException e) {
      return Optional.empty();
    }
  }

  @Override
  public String describe() {
    return "JNDI java:comp/env";
  }
}
