package dev.parkway.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.zip.Deflater;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The cursor's opaque wire form: what it round-trips, and everything it refuses. */
class CursorTest {

  /** The plain wire text, base64'd as the server does for short cursors. */
  private static String wire(String plain) {
    return Base64.getUrlEncoder().withoutPadding().encodeToString(plain.getBytes(StandardCharsets.UTF_8));
  }

  /** The plain wire text, deflated and marked as the server does for long cursors. */
  private static String deflated(byte[] plain) {
    Deflater deflater = new Deflater(Deflater.BEST_COMPRESSION, true);
    deflater.setInput(plain);
    deflater.finish();
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    byte[] buffer = new byte[4096];
    while (!deflater.finished()) {
      out.write(buffer, 0, deflater.deflate(buffer));
    }
    deflater.end();
    return "~" + Base64.getUrlEncoder().withoutPadding().encodeToString(out.toByteArray());
  }

  @Test
  void encodeDecodeRoundTripKeepsEpochIssueTimePositionsAndOrder() {
    Map<String, Long> positions = new LinkedHashMap<>();
    positions.put("zeta", 7L);
    positions.put("alpha.beta:gamma-1_2", 0L);
    positions.put("news.sport", Long.MAX_VALUE);
    Cursor cursor = new Cursor("m0123456789ab", 1_700_000_000_123L, positions);

    String text = cursor.encode();
    Cursor back = Cursor.decode(text);

    assertThat(back).isEqualTo(cursor);
    assertThat(back.epoch()).isEqualTo("m0123456789ab");
    assertThat(back.issuedAt()).isEqualTo(1_700_000_000_123L);
    assertThat(back.positions()).containsExactly(
        Map.entry("zeta", 7L), Map.entry("alpha.beta:gamma-1_2", 0L), Map.entry("news.sport", Long.MAX_VALUE));
    assertThat(back.encode()).isEqualTo(text);
  }

  @Test
  void aLongCursorIsCompressedAndStillRoundTrips() {
    Map<String, Long> positions = new LinkedHashMap<>();
    for (int i = 0; i < 2_000; i++) {
      positions.put("user." + i + ".notifications", (long) i * 3);
    }
    Cursor cursor = new Cursor("m0123456789ab", 42, positions);
    String text = cursor.encode();
    assertThat(text).startsWith("~");
    assertThat(text.length()).isLessThan(64 * 1024);
    assertThat(Cursor.decode(text)).isEqualTo(cursor);
    assertThat(Cursor.decode(text).positions().keySet()).containsExactlyElementsOf(positions.keySet());
  }

  @Test
  void encodedFormIsUrlSafeWithoutPadding() {
    for (int n = 0; n < 120; n += 3) {
      Cursor cursor = new Cursor("e" + n, n * 1_000L, Map.of("c".repeat(n + 1), (long) n * 977));
      assertThat(cursor.encode()).matches("~?[A-Za-z0-9_-]+");
      assertThat(Cursor.decode(cursor.encode())).isEqualTo(cursor);
    }
  }

  @Test
  void aCursorWithNoChannelsRoundTrips() {
    Cursor cursor = new Cursor("epoch1", 5, Map.of());
    assertThat(Cursor.decode(cursor.encode())).isEqualTo(cursor);
    assertThat(Cursor.decode(cursor.encode()).positions()).isEmpty();
    assertThat(Cursor.decode(wire("epoch1;0")).issuedAt()).isZero();
  }

  @Test
  void mailboxKeysAreAcceptedButOnlyAroundAValidClientId() {
    Cursor cursor = new Cursor("e", 1, Map.of(Mailboxes.key("phone-1"), 3L));
    assertThat(Cursor.decode(cursor.encode()).position("@phone-1")).isEqualTo(3);
    assertThatThrownBy(() -> Cursor.decode(wire("e;0;@=1"))).isInstanceOf(InvalidCursorException.class);
    assertThatThrownBy(() -> Cursor.decode(wire("e;0;@a b=1"))).isInstanceOf(InvalidCursorException.class);
    assertThatThrownBy(() -> Cursor.decode(wire("e;0;@" + "c".repeat(129) + "=1")))
        .isInstanceOf(InvalidCursorException.class);
  }

  @Test
  void equalityIncludesTheIssueTime() {
    assertThat(new Cursor("e", 1, Map.of("a", 1L))).isEqualTo(new Cursor("e", 1, Map.of("a", 1L)))
        .hasSameHashCodeAs(new Cursor("e", 1, Map.of("a", 1L)))
        .isNotEqualTo(new Cursor("e", 2, Map.of("a", 1L)))
        .isNotEqualTo(new Cursor("f", 1, Map.of("a", 1L)))
        .isNotEqualTo(new Cursor("e", 1, Map.of("a", 2L)));
    assertThat(new Cursor("e", Map.of()).issuedAt()).isZero();
  }

  @Test
  void positionOfAChannelTheCursorDoesNotNameIsZero() {
    Cursor cursor = new Cursor("e", Map.of("a", 4L));
    assertThat(cursor.position("a")).isEqualTo(4);
    assertThat(cursor.position("b")).isZero();
    assertThat(cursor.covers("a")).isTrue();
    assertThat(cursor.covers("b")).isFalse();
  }

  @Test
  void withReplacesAndAddsPositionsWithoutChangingTheOriginal() {
    Cursor cursor = new Cursor("e", 9, Map.of("a", 4L));
    Cursor next = cursor.with(Map.of("a", 5L, "b", 1L));
    assertThat(cursor.positions()).containsExactly(Map.entry("a", 4L));
    assertThat(next.positions()).containsEntry("a", 5L).containsEntry("b", 1L).hasSize(2);
    assertThat(next.issuedAt()).isEqualTo(9);
    assertThat(next.epoch()).isEqualTo("e");
    assertThat(cursor.with(Map.of())).isSameAs(cursor);
  }

  @Test
  void positionsAreImmutable() {
    Map<String, Long> source = new LinkedHashMap<>(Map.of("a", 1L));
    Cursor cursor = new Cursor("e", source);
    source.put("a", 99L);
    assertThat(cursor.position("a")).isEqualTo(1);
    assertThatThrownBy(() -> cursor.positions().put("b", 2L)).isInstanceOf(UnsupportedOperationException.class);
  }

  @ParameterizedTest(name = "[{index}] plain \"{0}\"")
  @ValueSource(
      strings = {
        "", // nothing
        "e", // no issue time
        "e;", // empty issue time
        "e;x", // non-numeric issue time
        "e;-1", // negative issue time
        "e;+1",
        "e;1234567890123456789", // 19 digits
        ";0;a=1", // empty epoch
        "ep och;0;a=1", // epoch with a space
        "ep/och;0", // epoch with a bad char
        "e;0;a", // no '='
        "e;0;=1", // empty channel
        "e;0;a b=1", // channel with a space
        "e;0;a*=1", // pattern, not a channel
        "e;0;a=", // empty seq
        "e;0;a=x", // non-numeric
        "e;0;a=1.5",
        "e;0;a=0x10",
        "e;0;a=-1", // negative
        "e;0;a=99999999999999999999", // overflows a long
        "e;0;a=1;a=2", // duplicate channel
        "e;0;a=1;", // trailing empty entry
        "e;0;;a=1",
      })
  void decodeRejectsMalformedContent(String plain) {
    assertThatThrownBy(() -> Cursor.decode(wire(plain))).isInstanceOf(InvalidCursorException.class);
  }

  @Test
  void decodeRejectsAChannelNameThatIsTooLong() {
    assertThat(Cursor.decode(wire("e;0;" + "c".repeat(200) + "=1")).position("c".repeat(200))).isEqualTo(1);
    assertThatThrownBy(() -> Cursor.decode(wire("e;0;" + "c".repeat(201) + "=1")))
        .isInstanceOf(InvalidCursorException.class);
  }

  @Test
  void decodeRejectsAnEpochThatIsTooLong() {
    assertThat(Cursor.decode(wire("e".repeat(64) + ";0")).epoch()).hasSize(64);
    assertThatThrownBy(() -> Cursor.decode(wire("e".repeat(65) + ";0"))).isInstanceOf(InvalidCursorException.class);
  }

  @ParameterizedTest(name = "[{index}] \"{0}\"")
  @ValueSource(
      strings = {
        "not base64!",
        "abc$",
        "a+b/", // standard, not URL-safe, alphabet
        "A", // a single base64 char is never valid
        "%3D%3D",
        "   ",
        "12",
        "42", // a bare integer is the transport's business (after=<seq>); as a cursor it is garbage
        "~", // compressed, but empty
        "~not base64!",
        "~AAAA", // base64, but not deflate data
        "~ZXBvY2g7MA", // base64 of plain text, marked as compressed
      })
  void decodeRejectsTextThatIsNotACursor(String text) {
    assertThatThrownBy(() -> Cursor.decode(text)).isInstanceOf(InvalidCursorException.class);
  }

  @Test
  void decodeRejectsATruncatedCompressedCursor() {
    Map<String, Long> positions = new LinkedHashMap<>();
    for (int i = 0; i < 100; i++) {
      positions.put("channel." + i, (long) i);
    }
    String text = new Cursor("e", 0, positions).encode();
    assertThat(text).startsWith("~");
    assertThatThrownBy(() -> Cursor.decode(text.substring(0, text.length() / 2)))
        .isInstanceOf(InvalidCursorException.class);
  }

  @Test
  void decodeRefusesACompressedCursorThatInflatesWithoutBound() {
    // Small on the wire, megabytes in memory: refused however well-formed the inflated text would be
    // (here "e;0;a=000...0001", which Long.parseLong would happily read as 1).
    byte[] head = "e;0;a=".getBytes(StandardCharsets.US_ASCII);
    byte[] bomb = new byte[head.length + 4 * 1024 * 1024 + 1];
    System.arraycopy(head, 0, bomb, 0, head.length);
    java.util.Arrays.fill(bomb, head.length, bomb.length - 1, (byte) '0');
    bomb[bomb.length - 1] = '1';
    String text = deflated(bomb);
    assertThat(text.length()).isLessThan(64 * 1024);
    assertThatThrownBy(() -> Cursor.decode(text)).isInstanceOf(InvalidCursorException.class);
    // The same shape, small, is a cursor: what is refused above is the size alone.
    assertThat(Cursor.decode(deflated("e;0;a=0001".getBytes(StandardCharsets.US_ASCII))).position("a")).isEqualTo(1);
  }

  @Test
  void decodeRejectsNullEmptyAndOversizeInput() {
    assertThatThrownBy(() -> Cursor.decode(null)).isInstanceOf(InvalidCursorException.class);
    assertThatThrownBy(() -> Cursor.decode("")).isInstanceOf(InvalidCursorException.class);
    assertThatThrownBy(() -> Cursor.decode("A".repeat(64 * 1024 + 1))).isInstanceOf(InvalidCursorException.class);
    // An oversize but otherwise well-formed plain cursor is refused before it is decoded.
    StringBuilder plain = new StringBuilder("e;0");
    for (int i = 0; plain.length() < 60_000; i++) {
      plain.append(";ch").append(i).append("=1");
    }
    assertThatThrownBy(() -> Cursor.decode(wire(plain.toString()))).isInstanceOf(InvalidCursorException.class);
  }

  @Test
  void decodeRejectsBytesThatAreNotUtf8() {
    byte[] bad = {'e', ';', '0', ';', 'a', (byte) 0xC3, '=', '1'};
    String text = Base64.getUrlEncoder().withoutPadding().encodeToString(bad);
    assertThatThrownBy(() -> Cursor.decode(text)).isInstanceOf(InvalidCursorException.class);
  }

  @Test
  void invalidCursorExceptionCarriesNoStackTrace() {
    // It is a client mistake answered 400; filling stack traces for garbage input is wasted work.
    assertThatThrownBy(() -> Cursor.decode("!")).satisfies(e -> assertThat(e.getStackTrace()).isEmpty());
  }
}
