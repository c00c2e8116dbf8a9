package dev.parkway.store.redis;

import java.util.List;

/**
 * The names of every Redis key and Pub/Sub channel the store uses, under the configured prefix; see
 * {@link Scripts} for what each holds. Each kind has its own short infix ({@code s:}, {@code h:}, ...) so no
 * channel name, whatever it contains, can produce another kind's key. Immutable.
 *
 * @param database the Redis database: Pub/Sub channels are shared by every database of a server, so the
 *     notification channel names it, and two deployments in two databases do not wake each other
 */
record RedisKeys(String prefix, int database) {

  String epoch() {
    return prefix + "epoch";
  }

  /** The sorted set of live channel keys. */
  String index() {
    return prefix + "channels";
  }

  String stream(String channel) {
    return prefix + "s:" + channel;
  }

  String meta(String channel) {
    return prefix + "h:" + channel;
  }

  String idempotencyKeys(String channel) {
    return prefix + "k:" + channel;
  }

  String idempotencyTimes(String channel) {
    return prefix + "t:" + channel;
  }

  /** The Pub/Sub channel that carries appends and deletions to every node. */
  String notices() {
    return prefix + "notices:" + database;
  }

  /** KEYS of a script that touches one channel's stream and meta (read, stats, acknowledge...). */
  List<String> channel(String channel) {
    return List.of(epoch(), stream(channel), meta(channel));
  }

  /** KEYS of a script that also touches the idempotency keys and the index (append, delete). */
  List<String> channelAndIndex(String channel) {
    return List.of(
        epoch(),
        stream(channel),
        meta(channel),
        idempotencyKeys(channel),
        idempotencyTimes(channel),
        index());
  }
}
