package dev.parkway.compat;

import dev.parkway.core.Event;
import dev.parkway.transport.http.JsonBody;
import jakarta.json.JsonArrayBuilder;
import jakarta.json.JsonException;
import jakarta.json.JsonObject;
import jakarta.json.JsonReader;
import jakarta.json.JsonString;
import jakarta.json.JsonValue;
import jakarta.json.spi.JsonProvider;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;

/**
 * The chat tutorial's message, {@code {"id": "<uuid>", "created_at": "<RFC 3339>", "body": "..."}}, made
 * from a stored event of the chat channel: the id is {@link EventIds#of} the event, {@code created_at} its
 * timestamp in UTC with milliseconds, and the body is read from its data {@code {"body": "..."}}. Events
 * published on the chat channel through the native API may hold any JSON: a JSON string is the body
 * itself, and any other value that is not {@code {"body": "<string>"}} becomes its JSON text. Stateless;
 * thread-safe.
 */
final class ChatMessages {
  private static final JsonProvider JSON = JsonBody.JSON;
  private static final DateTimeFormatter RFC_3339_MILLIS =
      DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSS'Z'").withZone(ZoneOffset.UTC);

  private ChatMessages() {}

  /** The event data stored for a posted body: {@code {"body": "..."}}, compact. */
  static String data(String body) {
    return JSON.createObjectBuilder().add("body", body).build().toString();
  }

  static String createdAt(long epochMillis) {
    return RFC_3339_MILLIS.format(Instant.ofEpochMilli(epochMillis));
  }

  /** One message as the tutorial's JSON object. */
  static JsonObject message(String epoch, String channel, long seq, long timestamp, String body) {
    return JSON.createObjectBuilder()
        .add("id", EventIds.of(epoch, channel, seq).toString())
        .add("created_at", createdAt(timestamp))
        .add("body", body)
        .build();
  }

  /** A poll's answer: the events as a JSON array of messages, in the order given (publish order). */
  static byte[] array(String epoch, List<Event> events) {
    JsonArrayBuilder array = JSON.createArrayBuilder();
    for (Event event : events) {
      array.add(message(epoch, event.channel(), event.seq(), event.timestamp(), body(event.data())));
    }
    return array.build().toString().getBytes(StandardCharsets.UTF_8);
  }

  /** The body held by an event's data; see the class comment for data not posted by this route. */
  static String body(String data) {
    JsonValue value;
    try (JsonReader reader = JSON.createReader(new StringReader(data))) {
      value = reader.readValue();
    } catch (JsonException e) {
      return data; // stored data is valid JSON; keep going rather than fail a whole answer
    }
    if (value instanceof JsonObject object && object.get("body") instanceof JsonString body) {
      return body.getString();
    }
    if (value instanceof JsonString text) {
      return text.getString();
    }
    return data;
  }
}
