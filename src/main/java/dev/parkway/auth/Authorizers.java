package dev.parkway.auth;

import dev.parkway.config.Config;
import dev.parkway.config.ConfigException;
import java.lang.reflect.Constructor;
import java.lang.reflect.InvocationTargetException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;

/**
 * Builds the {@link Authorizer} that {@code parkway.auth} selects.
 *
 * <p>{@code class:com.example.MyAuthorizer} loads that class with the web application's class loader (so
 * it can live in {@code WEB-INF/lib}) and builds it with its public constructor taking a {@code
 * Function<String, Optional<String>>} if it has one, else its public no-argument constructor. The
 * function reads any setting by name from the same layered sources as Parkway's own (context
 * init-param, JNDI, {@code -D}, environment), so a custom authorizer can take settings of its own
 * ({@code parkway.auth.custom.*}, say); it holds them unmasked, so the authorizer must not log them. A
 * class that cannot be loaded or built stops start-up like any invalid setting.
 */
public final class Authorizers {
  private Authorizers() {}

  /**
   * @param settings every setting by name, for a custom authorizer's constructor
   * @param loader the web application's class loader
   * @throws ConfigException if a custom authorizer cannot be loaded or built
   */
  public static Authorizer create(
      Config.Auth auth, Function<String, Optional<String>> settings, ClassLoader loader, Clock clock) {
    return switch (auth.mode()) {
      case "open" -> new OpenAuthorizer();
      case "tokens" -> new TokenAuthorizer(auth.publishToken(), auth.subscribeToken(), auth.adminToken());
      case "jwt" ->
          new JwtAuthorizer(
              auth.jwtSecret().getBytes(StandardCharsets.UTF_8),
              auth.jwtIssuer(),
              auth.jwtAudience(),
              auth.jwtClockSkew(),
              clock);
      case "class" -> custom(auth.className(), settings, loader);
      default -> throw new IllegalArgumentException("unknown parkway.auth mode " + auth.mode());
    };
  }

  static Authorizer custom(String name, Function<String, Optional<String>> settings, ClassLoader loader) {
    Class<?> type;
    try {
      type = Class.forName(name, true, loader);
    } catch (ClassNotFoundException | LinkageError e) {
      throw refused(name, "the class cannot be loaded (" + e + ")");
    }
    if (!Authorizer.class.isAssignableFrom(type)) {
      throw refused(name, "the class does not implement " + Authorizer.class.getName());
    }
    try {
      Constructor<?> withSettings = constructor(type, Function.class);
      Object built =
          withSettings != null
              ? withSettings.newInstance(settings)
              : type.getConstructor().newInstance();
      return (Authorizer) built;
    } catch (NoSuchMethodException e) {
      throw refused(name, "the class has neither a public constructor taking a Function<String, Optional<String>>"
          + " nor a public no-argument constructor");
    } catch (InvocationTargetException e) {
      throw refused(name, "its constructor failed: " + e.getCause());
    } catch (ReflectiveOperationException | RuntimeException e) {
      throw refused(name, "it cannot be built: " + e);
    }
  }

  private static Constructor<?> constructor(Class<?> type, Class<?> parameter) {
    try {
      return type.getConstructor(parameter);
    } catch (NoSuchMethodException e) {
      return null;
    }
  }

  private static ConfigException refused(String name, String why) {
    return new ConfigException(List.of(Config.AUTH + " = 'class:" + name + "': " + why));
  }
}
