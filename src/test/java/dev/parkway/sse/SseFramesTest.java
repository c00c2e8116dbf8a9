package dev.parkway.sse;

import static org.assertj.core.api.Assertions.assertThat;

import dev.parkway.transport.sse.SseFrames;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The frame writer on its own, fed raw CR and LF (which JSON data can never carry, but a frame writer must
 * not trust that): no value can end a frame early or start a forged one.
 */
class SseFramesTest {

  @Test
  void eventFrameHasIdEventAndDataLinesThenAnEmptyLine() {
    assertThat(text(SseFrames.event("c1", "message", bytes("{\"a\":1}"))))
        .isEqualTo("id: c1\nevent: message\ndata: {\"a\":1}\n\n");
  }

  @Test
  void rawCrLfCrAndLfInDataEachStartANewDataLine() {
    assertThat(text(SseFrames.event("1", "message", bytes("a\r\nb\rc\nd"))))
        .isEqualTo("id: 1\nevent: message\ndata: a\ndata: b\ndata: c\ndata: d\n\n");
  }

  @Test
  void blankLinesInDataCannotEndTheFrameOrForgeFields() {
    String forged = "x\r\n\r\nid: forged\r\nevent: evil\r\ndata: injected\n\n";
    List<Parsed> events = parse(text(SseFrames.event("real", "message", bytes(forged))));
    assertThat(events).hasSize(1);
    assertThat(events.get(0).id()).isEqualTo("real");
    assertThat(events.get(0).event()).isEqualTo("message");
    assertThat(events.get(0).data()).isEqualTo("x\n\nid: forged\nevent: evil\ndata: injected\n\n");
  }

  @Test
  void dataOnlyFramesAsTheBroadcastDemoSendsThem() {
    assertThat(text(SseFrames.data(bytes("hello")))).isEqualTo("data: hello\n\n");
    assertThat(text(SseFrames.data(bytes("two\nlines")))).isEqualTo("data: two\ndata: lines\n\n");
  }

  @Test
  void anIdWithALineBreakOrNulIsLeftOutRatherThanCut() {
    assertThat(text(SseFrames.event("a\nid: b", "message", bytes("1")))).isEqualTo("event: message\ndata: 1\n\n");
    assertThat(text(SseFrames.event("a\rb", null, bytes("1")))).isEqualTo("data: 1\n\n");
    assertThat(text(SseFrames.event("a\0b", null, bytes("1")))).isEqualTo("data: 1\n\n");
  }

  @Test
  void lineBreaksAreRemovedFromEventNames() {
    assertThat(text(SseFrames.event(null, "mes\r\nsage", bytes("1")))).isEqualTo("event: message\ndata: 1\n\n");
  }

  @Test
  void commentsAreOneColonLinePerLine() {
    assertThat(text(SseFrames.comment("ping"))).isEqualTo(": ping\n\n");
    assertThat(text(SseFrames.comment("a\r\ndata: forged"))).isEqualTo(": a\n: data: forged\n\n");
    assertThat(parse(text(SseFrames.comment("a\r\n\r\ndata: forged")))).isEmpty();
  }

  @Test
  void retryFrameSetsTheDelayAndDispatchesNothing() {
    assertThat(text(SseFrames.retry(2500))).isEqualTo("retry: 2500\n\n");
    assertThat(parse(text(SseFrames.retry(2500)))).isEmpty();
  }

  @Test
  void multiByteUtf8IsKeptWhole() {
    assertThat(text(SseFrames.data(bytes("héllo\n→ wörld")))).isEqualTo("data: héllo\ndata: → wörld\n\n");
  }

  @Test
  void anyDataRoundTripsAsExactlyOneEventWithLineBreaksNormalisedToLf() {
    Random random = new Random(20261123);
    char[] alphabet = {'a', 'b', ' ', ':', '\r', '\n', 'd', 't', 'i', 'é', 'e'};
    for (int round = 0; round < 2000; round++) {
      StringBuilder sb = new StringBuilder();
      int length = random.nextInt(24);
      for (int i = 0; i < length; i++) {
        sb.append(alphabet[random.nextInt(alphabet.length)]);
      }
      String data = sb.toString();
      List<Parsed> events = parse(text(SseFrames.event("id" + round, "message", bytes(data))));
      assertThat(events).as("data %s", escape(data)).hasSize(1);
      assertThat(events.get(0).data())
          .as("data %s", escape(data))
          .isEqualTo(data.replace("\r\n", "\n").replace('\r', '\n'));
      assertThat(events.get(0).id()).isEqualTo("id" + round);
    }
  }

  // ---- a parser that follows the HTML standard's event-stream interpretation ----

  record Parsed(String id, String event, String data) {}

  /** Parses a whole stream; returns the events a browser would dispatch. */
  static List<Parsed> parse(String stream) {
    List<Parsed> out = new ArrayList<>();
    String id = null;
    String event = null;
    StringBuilder data = new StringBuilder();
    int i = 0;
    while (i < stream.length()) {
      int end = i;
      while (end < stream.length() && stream.charAt(end) != '\r' && stream.charAt(end) != '\n') {
        end++;
      }
      if (end == stream.length()) {
        break; // an unterminated last line is discarded
      }
      String line = stream.substring(i, end);
      i = end + (stream.charAt(end) == '\r' && end + 1 < stream.length() && stream.charAt(end + 1) == '\n' ? 2 : 1);
      if (line.isEmpty()) {
        if (data.length() > 0) {
          String d = data.substring(0, data.length() - 1);
          out.add(new Parsed(id, event == null ? "message" : event, d));
        }
        data.setLength(0);
        event = null;
        continue;
      }
      if (line.startsWith(":")) {
        continue;
      }
      int colon = line.indexOf(':');
      String field = colon < 0 ? line : line.substring(0, colon);
      String value = colon < 0 ? "" : line.substring(colon + 1);
      if (value.startsWith(" ")) {
        value = value.substring(1);
      }
      switch (field) {
        case "data" -> data.append(value).append('\n');
        case "event" -> event = value;
        case "id" -> id = value;
        default -> { }
      }
    }
    return out;
  }

  private static byte[] bytes(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  private static String text(byte[] frame) {
    return new String(frame, StandardCharsets.UTF_8);
  }

  private static String escape(String s) {
    return s.replace("\r", "\\r").replace("\n", "\\n");
  }
}
