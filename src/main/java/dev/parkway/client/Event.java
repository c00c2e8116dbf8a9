package dev.parkway.client;

import java.time.Instant;
import java.util.Objects;

/**
 * One event as delivered: from a channel ({@link #channel()} set, {@link #client()} null) or a mailbox
 * message ({@link #client()} set, {@link #channel()} null).
 *
 * @param channel the channel it was published to, or null for a mailbox message
 * @param client the client whose mailbox it came from, or null for a channel event
 * @param seq its number in the channel (or mailbox), from 1
 * @param timestamp server time it was accepted, epoch milliseconds
 * @param dataJson the event's {@code data} as raw JSON text, exactly as the server sent it
 */
public record Event(String channel, String client, long seq, long timestamp, String dataJson) {
  public Event {
    if ((channel == null) == (client == null)) {
      throw new IllegalArgumentException("an event has either a channel or a client");
    }
    Objects.requireNonNull(dataJson, "dataJson");
  }

  /** The channel, or the client id for a mailbox message. */
  public String source() {
    return channel != null ? channel : client;
  }

  /** True for a mailbox message. */
  public boolean isMessage() {
    return client != null;
  }

  /** The timestamp as an Instant. */
  public Instant time() {
    return Instant.ofEpochMilli(timestamp);
  }

  /** The data parsed by {@link Json#parse}: Map, List, String, Number, Boolean or null. */
  public Object data() {
    return Json.parse(dataJson);
  }

  /**
   * The data when it is a JSON string, unquoted.
   *
   * @throws IllegalStateException if the data is not a JSON string
   */
  public String dataString() {
    Object data = data();
    if (data instanceof String) {
      return (String) data;
    }
    throw new IllegalStateException("data is not a JSON string: " + dataJson);
  }

  /**
   * The value under {@code key} when the data is a JSON object (null if absent).
   *
   * @throws IllegalStateException if the data is not a JSON object
   */
  public Object field(String key) {
    Object data = data();
    if (data instanceof java.util.Map) {
      return ((java.util.Map<?, ?>) data).get(key);
    }
    throw new IllegalStateException("data is not a JSON object: " + dataJson);
  }
}
