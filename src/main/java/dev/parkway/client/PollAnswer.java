package dev.parkway.client;

import java.util.ArrayList;
import java.util.List;

/** A 200 poll answer as read from the wire (see docs/protocol.md, "A poll answer"). */
final class PollAnswer {
  final List<Event> events = new ArrayList<>();
  final List<Gap> gaps = new ArrayList<>();
  String cursor;
  boolean more;
  boolean timeout;
  boolean superseded;

  static PollAnswer parse(String body) {
    JsonReader r = new JsonReader(body);
    PollAnswer a = new PollAnswer();
    boolean sawEvents = false;
    r.beginObject();
    String key;
    while ((key = r.nextKey()) != null) {
      switch (key) {
        case "events":
          sawEvents = true;
          r.beginArray();
          while (r.nextElement()) {
            a.events.add(readEvent(r));
          }
          break;
        case "cursor":
          a.cursor = r.readStringValue();
          break;
        case "more":
          a.more = r.readBoolean();
          break;
        case "gap":
          a.gaps.add(readGap(r));
          break;
        case "gaps":
          r.beginArray();
          while (r.nextElement()) {
            a.gaps.add(readGap(r));
          }
          break;
        case "timeout":
          a.timeout = r.readBoolean();
          break;
        case "superseded":
          a.superseded = r.readBoolean();
          break;
        default:
          r.readValue(); // fields added by later versions are ignored
      }
    }
    r.finish();
    if (!sawEvents || a.cursor == null || a.cursor.isEmpty()) {
      throw new JsonException("a poll answer needs \"events\" and \"cursor\"", 0);
    }
    return a;
  }

  private static Event readEvent(JsonReader r) {
    String channel = null;
    String client = null;
    long seq = -1;
    long timestamp = -1;
    String data = null;
    int at = r.position();
    r.beginObject();
    String key;
    while ((key = r.nextKey()) != null) {
      switch (key) {
        case "channel": channel = r.readStringValue(); break;
        case "client": client = r.readStringValue(); break;
        case "seq": seq = r.readLong(); break;
        case "timestamp": timestamp = r.readLong(); break;
        case "data": data = r.readRaw(); break;
        default: r.readValue();
      }
    }
    if ((channel == null) == (client == null) || seq < 0 || timestamp < 0 || data == null) {
      throw new JsonException("an event needs channel or client, seq, timestamp and data", at);
    }
    return new Event(channel, client, seq, timestamp, data);
  }

  private static Gap readGap(JsonReader r) {
    String channel = null;
    String client = null;
    long requested = -1;
    long oldest = -1;
    int at = r.position();
    r.beginObject();
    String key;
    while ((key = r.nextKey()) != null) {
      switch (key) {
        case "channel": channel = r.readStringValue(); break;
        case "client": client = r.readStringValue(); break;
        case "requested": requested = r.readLong(); break;
        case "oldest": oldest = r.readLong(); break;
        default: r.readValue();
      }
    }
    if ((channel == null) == (client == null) || requested < 0 || oldest < 0) {
      throw new JsonException("a gap needs channel or client, requested and oldest", at);
    }
    return new Gap(channel, client, requested, oldest);
  }
}
