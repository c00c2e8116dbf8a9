package dev.parkway.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.parkway.config.Config;
import dev.parkway.config.ConfigException;
import dev.parkway.config.ConfigSource;
import java.time.Clock;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

/** parkway.auth selects a built-in authorizer, or loads a custom one by class name. */
class AuthorizersTest {
  private static final ClassLoader LOADER = AuthorizersTest.class.getClassLoader();

  /** A custom authorizer with a settings constructor: allows what parkway.auth.custom.channel names. */
  public static final class ChannelAuthorizer implements Authorizer {
    private final String channel;

    public ChannelAuthorizer(Function<String, Optional<String>> settings) {
      this.channel = settings.apply("parkway.auth.custom.channel").orElseThrow();
    }

    @Override
    public Grant authenticate(AccessRequest request) {
      return (action, target) -> target.equals(Target.channel(channel));
    }
  }

  /** A custom authorizer with only a no-argument constructor. */
  public static final class NobodyAuthorizer implements Authorizer {
    @Override
    public Grant authenticate(AccessRequest request) {
      throw Unauthenticated.missing("nobody");
    }
  }

  /** Not an authorizer. */
  public static final class NotAnAuthorizer {}

  private static Authorizer create(Map<String, String> settings) {
    Config config = Config.load(ConfigSource.of(settings));
    return Authorizers.create(config.auth(), ConfigSource.of(settings)::get, LOADER, Clock.systemUTC());
  }

  @Test
  void builtInModesAreSelectedByName() {
    assertThat(create(Map.of())).isInstanceOf(OpenAuthorizer.class);
    assertThat(create(Map.of(
        "parkway.auth", "tokens",
        "parkway.auth.publish-token", "p-0123456789abcdef",
        "parkway.auth.subscribe-token", "s-0123456789abcdef"))).isInstanceOf(TokenAuthorizer.class);
    assertThat(create(Map.of("parkway.auth", "JWT", "parkway.auth.jwt.secret", "0123456789abcdef0123456789abcdef")))
        .isInstanceOf(JwtAuthorizer.class);
  }

  @Test
  void customClassIsBuiltWithTheSettings() {
    Authorizer custom = create(Map.of(
        "parkway.auth", "class:" + ChannelAuthorizer.class.getName(),
        "parkway.auth.custom.channel", "lobby"));
    Grant grant = custom.authenticate(AccessRequests.none());
    assertThat(grant.allows(Action.PUBLISH, Target.channel("lobby"))).isTrue();
    assertThat(grant.allows(Action.PUBLISH, Target.channel("other"))).isFalse();
  }

  @Test
  void customClassWithANoArgumentConstructorIsBuilt() {
    assertThat(create(Map.of("parkway.auth", "class:" + NobodyAuthorizer.class.getName())))
        .isInstanceOf(NobodyAuthorizer.class);
  }

  @Test
  void unusableClassesStopStartUpWithTheReason() {
    assertThat(refusal("class:com.example.Missing")).contains("cannot be loaded");
    assertThat(refusal("class:" + NotAnAuthorizer.class.getName())).contains("does not implement");
    assertThat(refusal("class:" + ChannelAuthorizer.class.getName())).contains("constructor failed");
  }

  private static String refusal(String mode) {
    ConfigException e = catchThrowableOfType(ConfigException.class, () -> create(Map.of("parkway.auth", mode)));
    assertThat(e).as(mode).isNotNull();
    assertThat(e.problems()).hasSize(1);
    return e.problems().get(0);
  }
}
