package dev.parkway.transport.sse;

import dev.parkway.core.Cursor;
import dev.parkway.core.Event;
import dev.parkway.core.Gap;

/**
 * How a stream renders what it reads as SSE frames. The native API has one format ({@link
 * NativeFormat}: {@code id}, {@code event}, {@code data}); a compatibility route brings its own (the
 * broadcast example's bare {@code data:} frames) over the same stream machinery.
 *
 * <p>Build frames with {@link SseFrames}, which makes CR/LF injection impossible. Implementations are
 * stateless; a stream calls them from whichever thread is running it, one call at a time.
 */
public interface SseFormat {
  /**
   * The frame for one event.
   *
   * @param after the cursor right after this event: a client that resumes from it gets the next one
   */
  byte[] event(Event event, Cursor after);

  /**
   * The frame for a gap (events the reader asked for that are gone), or null to send nothing.
   *
   * @param after the cursor after every gap of this read, for the last gap of a read; null for the others
   *     (a client that stops between two gap frames must resume before both, so it is told of both again)
   */
  default byte[] gap(Gap gap, Cursor after) {
    return null;
  }

  /** The frame sent before a stream closes because {@code channel} was deleted, or null for none. */
  default byte[] deleted(String channel) {
    return null;
  }

  /** The stream's {@code Cache-Control} header. */
  default String cacheControl() {
    return "no-store";
  }
}
