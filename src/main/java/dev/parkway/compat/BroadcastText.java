package dev.parkway.compat;

import jakarta.json.bind.Jsonb;
import jakarta.json.bind.JsonbException;

/**
 * A broadcast's two forms: the plain text the seed's clients send and receive, and the JSON string it is
 * stored as on the broadcast channel, so that native pollers and streams of that channel see it as any
 * other event ({@code "data": "hello"}). Thread-safe (JSON-B instances are).
 */
final class BroadcastText {
  private final Jsonb jsonb;

  BroadcastText(Jsonb jsonb) {
    this.jsonb = jsonb;
  }

  /** The message as a JSON string (quotes, backslashes and control characters escaped). */
  String toJson(String message) {
    return jsonb.toJson(message);
  }

  /**
   * The text of an event's data: the string itself for a JSON string (what {@code /updatemessage}
   * stores), the JSON text as-is for anything else a native publisher put on the channel.
   */
  String message(String data) {
    if (data.startsWith("\"")) {
      try {
        return jsonb.fromJson(data, String.class);
      } catch (JsonbException e) {
        return data;
      }
    }
    return data;
  }
}
