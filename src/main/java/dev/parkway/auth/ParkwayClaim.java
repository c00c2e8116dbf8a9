package dev.parkway.auth;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The {@code parkway} claim of a token: for each action, the channels and mailboxes it is granted on.
 *
 * <pre>{@code
 * "parkway": {"subscribe": ["chat.*", "@alice"], "publish": ["chat.room1"], "admin": []}
 * }</pre>
 *
 * Each member is a list of {@link ChannelPatterns} entries; a missing member grants nothing. No action
 * implies another (a token that publishes to {@code chat.room1} and should read it back lists it under
 * {@code subscribe} too). A member other than these three is refused rather than ignored, so a misspelt
 * action ({@code "publsh"}) shows as an invalid token instead of a puzzling 403. Immutable; thread-safe.
 */
public record ParkwayClaim(ChannelPatterns subscribe, ChannelPatterns publish, ChannelPatterns admin)
    implements Grant {

  /** The claim's name in the token. */
  public static final String NAME = "parkway";

  @Override
  public boolean allows(Action action, Target target) {
    return switch (action) {
      case SUBSCRIBE -> subscribe.covers(target);
      case PUBLISH -> publish.covers(target);
      case ADMIN -> admin.covers(target);
    };
  }

  /**
   * Reads the claim's JSON object, as a JSON parser gives it (a map of lists of strings).
   *
   * @throws IllegalArgumentException saying what is wrong with it
   */
  public static ParkwayClaim parse(Object claim) {
    if (!(claim instanceof Map<?, ?> members)) {
      throw new IllegalArgumentException("the " + NAME + " claim must be an object");
    }
    for (Object key : members.keySet()) {
      if (!"subscribe".equals(key) && !"publish".equals(key) && !"admin".equals(key)) {
        throw new IllegalArgumentException(
            "the " + NAME + " claim has a member \"" + key + "\"; its members are subscribe, publish and admin");
      }
    }
    return new ParkwayClaim(
        entries(members.get("subscribe"), "subscribe"),
        entries(members.get("publish"), "publish"),
        entries(members.get("admin"), "admin"));
  }

  private static ChannelPatterns entries(Object value, String member) {
    if (value == null) {
      return ChannelPatterns.none();
    }
    if (!(value instanceof List<?> list)) {
      throw new IllegalArgumentException(NAME + "." + member + " must be a list of strings");
    }
    List<String> entries = new ArrayList<>(list.size());
    for (Object entry : list) {
      if (!(entry instanceof String s)) {
        throw new IllegalArgumentException(NAME + "." + member + " must be a list of strings");
      }
      entries.add(s);
    }
    try {
      return ChannelPatterns.parse(entries);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(NAME + "." + member + ": " + e.getMessage());
    }
  }
}
