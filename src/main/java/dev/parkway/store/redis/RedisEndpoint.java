package dev.parkway.store.redis;

import dev.parkway.config.Config;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import redis.clients.jedis.ClientSetInfoConfig;
import redis.clients.jedis.ConnectionPoolConfig;
import redis.clients.jedis.DefaultJedisClientConfig;
import redis.clients.jedis.HostAndPort;
import redis.clients.jedis.JedisClientConfig;
import redis.clients.jedis.RedisClient;

/**
 * Where Redis is and how to connect to it, from {@code parkway.redis.*}: host and port from the URL; the
 * user and password from the URL's user info ({@code redis://user:secret@host}, {@code
 * redis://:secret@host}), unless {@code parkway.redis.password} is set, which wins (it keeps the secret
 * out of the URL); the database from the URL's path ({@code /2}) if it has one, else {@code
 * parkway.redis.database}; TLS for {@code rediss://} or {@code parkway.redis.tls=true}. Every connect and
 * every command is bounded by {@code parkway.redis.timeout}. Immutable.
 */
record RedisEndpoint(
    HostAndPort address, JedisClientConfig client, int poolSize, Duration timeout, int database) {
  private static final int DEFAULT_PORT = 6379;

  static RedisEndpoint of(Config.Redis redis) {
    URI url = redis.url();
    String user = null;
    String password = null;
    if (url.getRawUserInfo() != null) {
      String info = url.getRawUserInfo();
      int colon = info.indexOf(':');
      if (colon < 0) {
        password = decode(info);
      } else {
        user = colon == 0 ? null : decode(info.substring(0, colon));
        password = decode(info.substring(colon + 1));
      }
    }
    if (!redis.password().isEmpty()) {
      password = redis.password();
    }
    int database = redis.database();
    String path = url.getPath() == null ? "" : url.getPath().replace("/", "");
    if (!path.isEmpty()) {
      try {
        database = Integer.parseInt(path);
      } catch (NumberFormatException e) {
        throw new IllegalArgumentException(
            "parkway.redis.url: the path must be a database number (redis://host:6379/2), not /" + path);
      }
    }
    int timeoutMillis = (int) Math.min(Integer.MAX_VALUE, redis.timeout().toMillis());
    JedisClientConfig client =
        DefaultJedisClientConfig.builder()
            .resp2()
            .connectionTimeoutMillis(timeoutMillis)
            .socketTimeoutMillis(timeoutMillis)
            .user(user)
            .password(password == null || password.isEmpty() ? null : password)
            .database(database)
            .ssl(redis.tls())
            .clientName("parkway")
            // CLIENT SETINFO is Redis 7.2+; older servers would refuse it on every new connection.
            .clientSetInfoConfig(ClientSetInfoConfig.DISABLED)
            .build();
    HostAndPort address = new HostAndPort(url.getHost(), url.getPort() > 0 ? url.getPort() : DEFAULT_PORT);
    return new RedisEndpoint(address, client, redis.poolSize(), redis.timeout(), database);
  }

  /**
   * The pooled client for commands. Waiting for a free connection is bounded by the timeout; no evictor
   * thread runs (the store's own watch thread notices a dead Redis and clears the pool instead).
   */
  RedisClient openPool() {
    ConnectionPoolConfig pool = new ConnectionPoolConfig();
    pool.setMaxTotal(poolSize);
    pool.setMaxIdle(poolSize);
    pool.setMinIdle(0);
    pool.setBlockWhenExhausted(true);
    pool.setMaxWait(timeout);
    pool.setTestWhileIdle(false);
    pool.setTimeBetweenEvictionRuns(Duration.ofMillis(-1));
    pool.setJmxEnabled(false);
    return RedisClient.builder().hostAndPort(address).clientConfig(client).poolConfig(pool).build();
  }

  @Override
  public String toString() { // never print the password
    return address + " db " + database;
  }

  private static String decode(String text) {
    return URLDecoder.decode(text, StandardCharsets.UTF_8);
  }
}
