package dev.parkway.core;

import java.nio.charset.StandardCharsets;

/**
 * One accepted event: its channel, its per-channel sequence number, the epoch milliseconds at which it was
 * accepted, and its data as compact JSON text.
 *
 * <p>Immutable. The wire form ({@link #json()}, {@link #jsonBytes()}) is built once, when the event is
 * created, and then written as-is to every poller and stream that receives it: a fan-out to ten thousand
 * waiters encodes the event once, not ten thousand times. Channel names need no JSON escaping (their
 * alphabet has no quote, backslash or control character) and {@code data} is already valid JSON.
 *
 * <p>A mailbox message (its key is {@code @client}, see {@link Mailboxes}) renders as {@code
 * {"client":..,"seq":..,"timestamp":..,"data":..}}.
 */
public final class Event {
  private final String channel;
  private final long seq;
  private final long timestamp;
  private final String data;
  private final String json;
  private final byte[] jsonBytes;

  public Event(String channel, long seq, long timestamp, String data) {
    this.channel = channel;
    this.seq = seq;
    this.timestamp = timestamp;
    this.data = data;
    this.json =
        "{"
            + Mailboxes.jsonOwner(channel)
            + ",\"seq\":"
            + seq
            + ",\"timestamp\":"
            + timestamp
            + ",\"data\":"
            + data
            + '}';
    this.jsonBytes = json.getBytes(StandardCharsets.UTF_8);
  }

  public String channel() {
    return channel;
  }

  public long seq() {
    return seq;
  }

  public long timestamp() {
    return timestamp;
  }

  /** The event's data as compact JSON text. */
  public String data() {
    return data;
  }

  /** {@code {"channel":..,"seq":..,"timestamp":..,"data":..}}, built once. */
  public String json() {
    return json;
  }

  /** {@link #json()} in UTF-8. Callers must not modify the array. */
  public byte[] jsonBytes() {
    return jsonBytes;
  }

  @Override
  public String toString() {
    return json;
  }
}
