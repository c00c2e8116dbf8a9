package dev.parkway.transport.sse;

import dev.parkway.core.Cursor;
import dev.parkway.core.Event;
import dev.parkway.core.Gap;
import java.nio.charset.StandardCharsets;

/**
 * Parkway's own stream frames (docs/streams.md):
 *
 * <pre>
 * id: &lt;cursor after this event&gt;
 * event: message
 * data: {"channel":"news","seq":42,"timestamp":1763800000123,"data":...}
 *
 * id: &lt;cursor after the gap&gt;
 * event: gap
 * data: {"channel":"news","requested":3,"oldest":8}
 *
 * event: deleted
 * data: {"channel":"news"}
 * </pre>
 *
 * The data line is the event's pre-encoded wire JSON, the same bytes a long poll answers with. Channel
 * names need no JSON escaping (their alphabet has no quote, backslash or control character). Stateless.
 */
public final class NativeFormat implements SseFormat {
  public static final NativeFormat INSTANCE = new NativeFormat();

  public static final String MESSAGE = "message";
  public static final String GAP = "gap";
  public static final String DELETED = "deleted";

  private NativeFormat() {}

  @Override
  public byte[] event(Event event, Cursor after) {
    return SseFrames.event(after.encode(), MESSAGE, event.jsonBytes());
  }

  @Override
  public byte[] gap(Gap gap, Cursor after) {
    String json =
        "{\"channel\":\"" + gap.channel() + "\",\"requested\":" + gap.requested()
            + ",\"oldest\":" + gap.oldest() + '}';
    return SseFrames.event(
        after == null ? null : after.encode(), GAP, json.getBytes(StandardCharsets.UTF_8));
  }

  @Override
  public byte[] deleted(String channel) {
    return SseFrames.event(
        null, DELETED, ("{\"channel\":\"" + channel + "\"}").getBytes(StandardCharsets.UTF_8));
  }
}
