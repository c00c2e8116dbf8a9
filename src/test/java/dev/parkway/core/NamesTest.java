package dev.parkway.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Channel names, client ids and patterns, at their edges; and how subscriptions are built from them. */
class NamesTest {

  @Test
  void channelIsOneTo200Characters() {
    assertThat(Names.isChannel("a")).isTrue();
    assertThat(Names.isChannel("a".repeat(200))).isTrue();
    assertThat(Names.isChannel("a".repeat(201))).isFalse();
    assertThat(Names.isChannel("")).isFalse();
    assertThat(Names.isChannel(null)).isFalse();
  }

  @Test
  void clientIsOneTo128Characters() {
    assertThat(Names.isClient("c")).isTrue();
    assertThat(Names.isClient("c".repeat(128))).isTrue();
    assertThat(Names.isClient("c".repeat(129))).isFalse();
    assertThat(Names.isClient("")).isFalse();
    assertThat(Names.isClient(null)).isFalse();
  }

  @ParameterizedTest
  @ValueSource(strings = {"user.1234.notifications", "A-Z_0:9", ".", "-", "a..b", "news.", "x:y:z"})
  void theWholeAlphabetIsAccepted(String name) {
    assertThat(Names.isChannel(name)).isTrue();
    assertThat(Names.isClient(name)).isTrue();
  }

  @ParameterizedTest
  @ValueSource(
      strings = {"a b", "a/b", "a*", "news.*", "a\nb", "a\rb", "a\"b", "a\\b", "é", "a#b", "a?b", "a%20", "a;b", "a=b",
          "a,b", "\u0000", " a", "a\t"})
  void anythingElseIsRejected(String name) {
    assertThat(Names.isChannel(name)).isFalse();
    assertThat(Names.isClient(name)).isFalse();
  }

  @Test
  void patternIsAValidChannelFollowedByDotStar() {
    assertThat(Names.isPattern("news.*")).isTrue();
    assertThat(Names.isPattern("a.b.*")).isTrue();
    assertThat(Names.isPattern("a".repeat(200) + ".*")).isTrue();
    assertThat(Names.isPattern("a".repeat(201) + ".*")).isFalse();
    assertThat(Names.isPattern(".*")).isFalse(); // empty prefix: would match everything
    assertThat(Names.isPattern("*")).isFalse();
    assertThat(Names.isPattern("news*")).isFalse();
    assertThat(Names.isPattern("news.**")).isFalse();
    assertThat(Names.isPattern("news.*.*")).isFalse();
    assertThat(Names.isPattern("a.*.b")).isFalse(); // a wildcard only at the end
    assertThat(Names.isChannel("a.*.b")).isFalse();
    assertThat(Names.isPattern("news")).isFalse();
    assertThat(Names.isPattern("ne ws.*")).isFalse();
    assertThat(Names.isPattern(null)).isFalse();
  }

  @Test
  void patternPrefixKeepsTheTrailingDot() {
    assertThat(Names.patternPrefix("news.*")).isEqualTo("news.");
    assertThat(Names.patternPrefix("a.b.*")).isEqualTo("a.b.");
  }

  @Test
  void subscriptionParseSplitsChannelsFromPatternsAndDropsDuplicates() {
    Subscription s = Subscription.parse(List.of("a", "news.*", "a", "b", "news.*", "x.y.*"));
    assertThat(s.channels()).containsExactly("a", "b");
    assertThat(s.prefixes()).containsExactly("news.", "x.y.");
    assertThat(s.single()).isFalse();
    assertThat(Subscription.of("a").single()).isTrue();
    assertThat(Subscription.parse(List.of("a.*")).single()).isFalse();
  }

  @Test
  void patternMatchesChannelsStrictlyUnderItsPrefix() {
    Subscription s = Subscription.parse(List.of("news.*"));
    assertThat(s.matches("news.sport")).isTrue();
    assertThat(s.matches("news.sport.live")).isTrue();
    assertThat(s.matches("news")).isFalse();
    assertThat(s.matches("newsroom")).isFalse();
    assertThat(s.matches("news-x")).isFalse();
    assertThat(s.matches("a.news.b")).isFalse();
  }

  @Test
  void subscriptionCoversAtLeastOneChannelAndIsImmutable() {
    assertThatThrownBy(() -> new Subscription(List.of(), List.of())).isInstanceOf(IllegalArgumentException.class);
    java.util.ArrayList<String> channels = new java.util.ArrayList<>(List.of("a"));
    Subscription s = new Subscription(channels, List.of());
    channels.add("b");
    assertThat(s.channels()).containsExactly("a");
  }

  @Test
  void retentionRefusesNonsense() {
    assertThatThrownBy(() -> new Retention(0, java.time.Duration.ZERO, java.time.Duration.ZERO))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new Retention(1, java.time.Duration.ofSeconds(-1), java.time.Duration.ZERO))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new Retention(1, java.time.Duration.ZERO, java.time.Duration.ofSeconds(-1)))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
