package dev.parkway.store.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.parkway.config.Config;
import dev.parkway.core.Event;
import dev.parkway.core.EventStore;
import dev.parkway.core.Retention;
import dev.parkway.core.StoreUnavailableException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import redis.clients.jedis.Protocol;
import redis.clients.jedis.RedisClient;

/**
 * What the Redis store does beyond the single-store contract: several nodes on one Redis, Redis's clock,
 * a Redis that lost its data or its scripts, a dropped subscription, an outage, and a clean close. Every
 * store here runs on Redis's own clock, as in production.
 */
class RedisStreamStoreTest {
  private static final AtomicInteger PREFIXES = new AtomicInteger();
  private static final Retention RETENTION = new Retention(1000, Duration.ZERO, Duration.ofMinutes(5));
  @RegisterExtension static final LocalRedis REDIS = LocalRedis.perClass();
  private final List<EventStore> opened = new ArrayList<>();
  private String prefix;

  @AfterEach
  void closeStores() {
    opened.forEach(EventStore::close);
    if (!REDIS.running()) {
      REDIS.restart();
    }
  }

  /** A node: a store on this test's prefix, with a recording listener. */
  private RedisStreamStore node(Told told) {
    if (prefix == null) {
      prefix = "unit" + PREFIXES.incrementAndGet() + ":";
    }
    RedisStreamStore store = RedisStreamStore.open(REDIS.config(prefix), channel -> RETENTION);
    store.setListener(told);
    opened.add(store);
    return store;
  }

  @Test
  void anAppendOnOneNodeIsToldOnceOnEveryNode() {
    Told toldA = new Told();
    Told toldB = new Told();
    RedisStreamStore a = node(toldA);
    RedisStreamStore b = node(toldB);

    a.append("x", "1", null);
    await().until(() -> toldB.lines.contains("appended x 1"));
    // Notices reach every subscriber in publish order, so once A has heard B's marker it has also
    // heard (and must have skipped) its own notice for x.
    b.append("marker", "1", null);
    await().until(() -> toldA.lines.contains("appended marker 1"));
    assertThat(toldA.lines).containsExactly("appended x 1", "appended marker 1");
    assertThat(toldB.lines).containsExactly("appended x 1", "appended marker 1");
  }

  @Test
  void aDeletionOnOneNodeIsToldOnTheOther() {
    Told toldB = new Told();
    RedisStreamStore a = node(new Told());
    RedisStreamStore b = node(toldB);
    a.append("doomed", "1", null);
    assertThat(a.delete("doomed")).isTrue();
    await().until(() -> toldB.lines.contains("deleted doomed"));
    assertThat(b.readAfter("doomed", 0, 10).exists()).isFalse();
    assertThat(b.append("doomed", "2", null).event().seq()).isEqualTo(2);
  }

  @Test
  void everyNodeSharesOneEpochAndOneSequenceAcrossRestarts() {
    RedisStreamStore a = node(new Told());
    RedisStreamStore b = node(new Told());
    assertThat(b.epoch()).isEqualTo(a.epoch());
    a.append("c", "1", null);
    b.append("c", "2", null);
    a.close();
    RedisStreamStore again = node(new Told());
    assertThat(again.epoch()).isEqualTo(b.epoch());
    assertThat(again.append("c", "3", null).event().seq()).isEqualTo(3);
    assertThat(b.readAfter("c", 0, 10).events()).extracting(Event::data).containsExactly("1", "2", "3");
  }

  @Test
  void eventsAreStampedWithRedisTimeAndNowNeverRunsAheadOfIt() {
    RedisStreamStore store = node(new Told());
    try (RedisClient client = REDIS.client()) {
      for (int i = 0; i < 50; i++) {
        long now = store.now();
        long before = redisMillis(client);
        Event event = store.append("clock", Integer.toString(i), null).event();
        long after = redisMillis(client);
        assertThat(event.timestamp()).isBetween(before, after);
        assertThat(now).isLessThanOrEqualTo(event.timestamp());
      }
    }
  }

  @Test
  void aRedisThatLostItsDataGetsANewEpochAndEveryWaiterIsWoken() {
    Told told = new Told();
    RedisStreamStore store = node(told);
    store.append("c", "1", null);
    store.append("c", "2", null);
    String before = store.epoch();
    try (RedisClient client = REDIS.client()) {
      client.keys(prefix + "*").forEach(client::del); // as a Redis restarted without persistence
    }
    assertThat(store.append("c", "again", null).event().seq()).isEqualTo(1);
    assertThat(store.epoch()).isNotEqualTo(before);
    assertThat(told.lines).contains("resync");
  }

  @Test
  void scriptsAreSentAgainAfterRedisForgetsThem() {
    RedisStreamStore store = node(new Told());
    store.append("c", "1", null);
    try (RedisClient client = REDIS.client()) {
      client.scriptFlush();
    }
    assertThat(store.append("c", "2", null).event().seq()).isEqualTo(2);
    assertThat(store.readAfter("c", 0, 10).events()).hasSize(2);
  }

  @Test
  void aDroppedSubscriptionIsRestoredAndEveryWaiterWokenOnce() {
    Told toldB = new Told();
    RedisStreamStore a = node(new Told());
    RedisStreamStore b = node(toldB);
    try (RedisClient client = REDIS.client()) {
      client.sendCommand(Protocol.Command.CLIENT, "KILL", "TYPE", "pubsub");
    }
    await().until(() -> b.subscriptions() == 2 && b.healthy());
    assertThat(toldB.resyncs()).isEqualTo(1);
    a.append("after", "1", null);
    await().until(() -> toldB.lines.contains("appended after 1"));
  }

  @Test
  void anOutageFailsCommandsAndHealthUntilRedisReturnsThenRecoversByItself() {
    Told told = new Told();
    RedisStreamStore store = node(told);
    store.append("c", "1", null);
    REDIS.stop();

    assertThatThrownBy(() -> store.append("c", "2", null)).isInstanceOf(StoreUnavailableException.class);
    assertThat(store.healthy()).isFalse();
    assertThatThrownBy(() -> store.readAfter("c", 0, 10)).isInstanceOf(StoreUnavailableException.class);
    store.trimExpired(); // skipped quietly while Redis is known to be down

    REDIS.restart();
    await().atMost(Duration.ofSeconds(20)).until(store::healthy);
    await().until(() -> told.resyncs() >= 1);
    assertThat(store.append("c", "2", null).event().seq()).isEqualTo(2); // nothing lost, no hole
    assertThat(store.readAfter("c", 0, 10).events()).extracting(Event::data).containsExactly("1", "2");
  }

  @Test
  void openingWithoutRedisFailsAsUnavailable() throws Exception {
    int closedPort;
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      closedPort = socket.getLocalPort();
    }
    Config.Redis config =
        new Config.Redis(
            URI.create("redis://127.0.0.1:" + closedPort), "", false, 0, 2, Duration.ofMillis(500), "x:");
    assertThatThrownBy(() -> RedisStreamStore.open(config, channel -> RETENTION))
        .isInstanceOf(StoreUnavailableException.class);
    assertThat(redisThreads()).isEmpty();
  }

  @Test
  void closeStopsTheStoresThreads() {
    RedisStreamStore store = node(new Told());
    assertThat(redisThreads()).contains("parkway-redis-feed", "parkway-redis-watch");
    store.close();
    opened.remove(store);
    await().until(() -> redisThreads().isEmpty());
  }

  private static long redisMillis(RedisClient client) {
    List<?> time = (List<?>) client.sendCommand(Protocol.Command.TIME);
    return Replies.asLong(time.get(0)) * 1000 + Replies.asLong(time.get(1)) / 1000;
  }

  private static Set<String> redisThreads() {
    return Thread.getAllStackTraces().keySet().stream()
        .filter(Thread::isAlive)
        .map(Thread::getName)
        .filter(name -> name.startsWith("parkway-redis-"))
        .collect(java.util.stream.Collectors.toSet());
  }
}
