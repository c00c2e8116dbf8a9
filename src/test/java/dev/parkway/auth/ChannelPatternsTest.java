package dev.parkway.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

/** The entries of a grant: exact channels, patterns, the catch-all, and mailboxes. */
class ChannelPatternsTest {
  private static ChannelPatterns of(String... entries) {
    return ChannelPatterns.parse(List.of(entries));
  }

  @Test
  void exactChannelCoversOnlyItself() {
    ChannelPatterns p = of("chat.room1");
    assertThat(p.covers(Target.channel("chat.room1"))).isTrue();
    assertThat(p.covers(Target.channel("chat.room2"))).isFalse();
    assertThat(p.covers(Target.channel("chat.room1.x"))).isFalse();
    assertThat(p.covers(Target.channel("chat"))).isFalse();
  }

  @Test
  void patternCoversChannelsStrictlyUnderItsPrefix() {
    ChannelPatterns p = of("chat.*");
    assertThat(p.covers(Target.channel("chat.room1"))).isTrue();
    assertThat(p.covers(Target.channel("chat.eu.room9"))).isTrue();
    assertThat(p.covers(Target.channel("chat"))).isFalse();
    assertThat(p.covers(Target.channel("chatter.x"))).isFalse();
  }

  @Test
  void aPatternTargetNeedsAGrantAtLeastAsWide() {
    assertThat(of("chat.*").covers(Target.pattern("chat.*"))).isTrue();
    assertThat(of("chat.*").covers(Target.pattern("chat.eu.*"))).isTrue();
    assertThat(of("chat.eu.*").covers(Target.pattern("chat.*"))).isFalse();
    // Exact channels never add up to a pattern: a wildcard poll also gets channels created later.
    assertThat(of("chat.a", "chat.b").covers(Target.pattern("chat.*"))).isFalse();
    assertThat(of("*").covers(Target.pattern("anything.*"))).isTrue();
    assertThat(of("chat.*").covers(Target.pattern("not a pattern"))).isFalse();
  }

  @Test
  void starCoversEveryChannelAndTheServerButNoMailbox() {
    ChannelPatterns p = of("*");
    assertThat(p.covers(Target.channel("news"))).isTrue();
    assertThat(p.covers(Target.channel("%Z29sb25ncG9sbCBjYXQ"))).isTrue(); // a golongpoll internal key
    assertThat(p.covers(Target.server())).isTrue();
    assertThat(p.covers(Target.mailbox("alice"))).isFalse();
    assertThat(of("news.*").covers(Target.server())).isFalse();
  }

  @Test
  void mailboxEntriesCoverMailboxesOnly() {
    ChannelPatterns p = of("@alice", "@team.*");
    assertThat(p.covers(Target.mailbox("alice"))).isTrue();
    assertThat(p.covers(Target.mailbox("bob"))).isFalse();
    assertThat(p.covers(Target.mailbox("team.red"))).isTrue();
    assertThat(p.covers(Target.mailbox("team"))).isFalse();
    assertThat(p.covers(Target.channel("alice"))).isFalse();
    assertThat(of("alice").covers(Target.mailbox("alice"))).isFalse();
    assertThat(of("@*").covers(Target.mailbox("anyone"))).isTrue();
    assertThat(of("@*").covers(Target.channel("news"))).isFalse();
  }

  @Test
  void nothingCoversNothing() {
    ChannelPatterns p = ChannelPatterns.none();
    assertThat(p.covers(Target.channel("news"))).isFalse();
    assertThat(p.covers(Target.mailbox("alice"))).isFalse();
    assertThat(p.covers(Target.server())).isFalse();
  }

  @Test
  void malformedEntriesAreRefusedByName() {
    for (String bad : List.of("chat*", "", "@", "chat.**", "a b", "@bad id", ".*", "**")) {
      assertThatThrownBy(() -> of(bad)).as(bad).isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("\"" + bad + "\"");
    }
  }
}
