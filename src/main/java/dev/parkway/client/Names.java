package dev.parkway.client;

import java.util.regex.Pattern;

/** The server's naming rules, checked before a name goes into a URL. */
final class Names {
  private static final Pattern CHANNEL = Pattern.compile("[A-Za-z0-9._:-]{1,200}");
  private static final Pattern CLIENT = Pattern.compile("[A-Za-z0-9._:-]{1,128}");

  private Names() {}

  static String requireChannel(String name) {
    if (name == null || !CHANNEL.matcher(name).matches()) {
      throw new IllegalArgumentException("a channel is 1-200 characters of A-Z a-z 0-9 . _ : -: " + name);
    }
    return name;
  }

  static String requireChannelOrPattern(String name) {
    if (name != null && name.endsWith(".*")) {
      requireChannel(name.substring(0, name.length() - 2));
      return name;
    }
    return requireChannel(name);
  }

  static String requireClient(String id) {
    if (id == null || !CLIENT.matcher(id).matches()) {
      throw new IllegalArgumentException("a client id is 1-128 characters of A-Z a-z 0-9 . _ : -: " + id);
    }
    return id;
  }
}
