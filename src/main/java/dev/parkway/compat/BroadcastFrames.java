package dev.parkway.compat;

import dev.parkway.core.Cursor;
import dev.parkway.core.Event;
import dev.parkway.transport.sse.SseFormat;
import dev.parkway.transport.sse.SseFrames;
import java.nio.charset.StandardCharsets;

/**
 * The broadcast example's SSE demo frames: {@code data: <message>} and the empty line, nothing else (no
 * {@code id}, no {@code event}), as the original writes them. A message of several lines is sent as one
 * {@code data:} line per line, which a browser joins back with LF; a CR or LF in a message can never end
 * the frame early. Gaps are not told (the demo has no history to resume), and a deletion of the channel
 * just ends the stream. Stateless.
 */
final class BroadcastFrames implements SseFormat {
  private final BroadcastText text;

  BroadcastFrames(BroadcastText text) {
    this.text = text;
  }

  @Override
  public byte[] event(Event event, Cursor after) {
    return SseFrames.data(text.message(event.data()).getBytes(StandardCharsets.UTF_8));
  }

  @Override
  public String cacheControl() {
    return BroadcastServlet.CACHE_CONTROL;
  }
}
