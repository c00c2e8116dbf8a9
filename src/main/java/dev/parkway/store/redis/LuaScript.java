package dev.parkway.store.redis;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import redis.clients.jedis.UnifiedJedis;
import redis.clients.jedis.exceptions.JedisNoScriptException;

/**
 * One Lua script, run by its SHA-1 ({@code EVALSHA}) so its text crosses the network only when Redis
 * does not know it: the first time, and after Redis restarted (its script cache is not persisted), when
 * {@code EVALSHA} answers {@code NOSCRIPT} and the script is sent once with {@code EVAL}, which also
 * caches it. Immutable and thread-safe.
 */
final class LuaScript {
  private final String name;
  private final String source;
  private final String sha;

  LuaScript(String name, String source) {
    this.name = name;
    this.source = source;
    this.sha = sha1(source);
  }

  String name() {
    return name;
  }

  /** Runs the script; the reply as Jedis decodes it (strings, longs, lists of them, or null). */
  Object run(UnifiedJedis redis, List<String> keys, List<String> args) {
    try {
      return redis.evalsha(sha, keys, args);
    } catch (JedisNoScriptException e) {
      return redis.eval(source, keys, args);
    }
  }

  private static String sha1(String text) {
    try {
      MessageDigest digest = MessageDigest.getInstance("SHA-1");
      return HexFormat.of().formatHex(digest.digest(text.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("the JDK has no SHA-1", e);
    }
  }
}
