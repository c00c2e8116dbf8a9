package dev.parkway.compat;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** The Go behaviours the route reproduces, without a server: string encoding, query and value parsing. */
class GolongpollWireTest {

  @Test
  void stringsAreEncodedAsGosEncodingJsonDoes() {
    assertThat(GolongpollWire.string("plain")).isEqualTo("\"plain\"");
    assertThat(GolongpollWire.string("q\"b\\")).isEqualTo("\"q\\\"b\\\\\"");
    assertThat(GolongpollWire.string("<a&b>")).isEqualTo("\"\\u003ca\\u0026b\\u003e\"");
    assertThat(GolongpollWire.string("\b\f\n\r\t")).isEqualTo("\"\\b\\f\\n\\r\\t\"");
    assertThat(GolongpollWire.string("\u0000\u001f\u007f")).isEqualTo("\"\\u0000\\u001f\u007f\"");
    assertThat(GolongpollWire.string("\u2028\u2029")).isEqualTo("\"\\u2028\\u2029\"");
    assertThat(GolongpollWire.string("caf\u00e9 \uD83D\uDE00 /")).isEqualTo("\"caf\u00e9 \uD83D\uDE00 /\"");
    assertThat(GolongpollWire.string("a\uD800b\uDC00")).isEqualTo("\"a\\ufffdb\\ufffd\"");
  }

  @Test
  void queryIsParsedAsGosNetUrlParsesIt() {
    GolongpollQuery q = GolongpollQuery.parse("a=1&a=2&b=x+y%2Bz&c&d=%zz&d=ok&e;f=1&=v&&g=%C3%A9&h=%FF");
    assertThat(q.get("a")).isEqualTo("1");
    assertThat(q.get("b")).isEqualTo("x y+z");
    assertThat(q.get("c")).isEmpty();
    assertThat(q.get("d")).isEqualTo("ok");
    assertThat(q.get("e;f")).isEmpty();
    assertThat(q.get("e")).isEmpty();
    assertThat(q.get("")).isEqualTo("v");
    assertThat(q.get("g")).isEqualTo("\u00e9");
    assertThat(q.get("h")).isEqualTo("\uFFFD");
    assertThat(q.get("missing")).isEmpty();
    assertThat(GolongpollQuery.parse(null).get("a")).isEmpty();
    assertThat(GolongpollQuery.parse("a=%4").get("a")).isEmpty();
  }

  @Test
  void integersAreParsedAsStrconvParsesThem() {
    assertThat(GolongpollQuery.parseLong("42")).hasValue(42);
    assertThat(GolongpollQuery.parseLong("+42")).hasValue(42);
    assertThat(GolongpollQuery.parseLong("-42")).hasValue(-42);
    assertThat(GolongpollQuery.parseLong("0000000000000000000000042")).hasValue(42);
    assertThat(GolongpollQuery.parseLong("9223372036854775807")).hasValue(Long.MAX_VALUE);
    assertThat(GolongpollQuery.parseLong("-9223372036854775808")).hasValue(Long.MIN_VALUE);
    for (String bad : new String[] {"", "+", "-", "9223372036854775808", "1_000", "0x1", "\u0661", " 1", "1e3"}) {
      assertThat(GolongpollQuery.parseLong(bad)).as(bad).isEmpty();
    }
  }

  @Test
  void uuidsAreParsedAsGofrsUuidParsesThem() {
    UUID expected = UUID.fromString("6ba7b810-9dad-11d1-80b4-00c04fd430c8");
    for (String ok : new String[] {
        "6ba7b810-9dad-11d1-80b4-00c04fd430c8", "6BA7B810-9DAD-11D1-80B4-00C04FD430C8",
        "{6ba7b810-9dad-11d1-80b4-00c04fd430c8}", "urn:uuid:6ba7b810-9dad-11d1-80b4-00c04fd430c8",
        "6ba7b8109dad11d180b400c04fd430c8", "{6ba7b8109dad11d180b400c04fd430c8}",
        "urn:uuid:6ba7b8109dad11d180b400c04fd430c8"}) {
      assertThat(GolongpollQuery.parseUuid(ok)).as(ok).isEqualTo(expected);
    }
    for (String bad : new String[] {
        "", "6ba7b810-9dad-11d1-80b4-00c04fd430c", "6ba7b8109-dad-11d1-80b4-00c04fd430c8",
        "(6ba7b810-9dad-11d1-80b4-00c04fd430c8)", "URN:UUID:6ba7b810-9dad-11d1-80b4-00c04fd430c8",
        "6ba7b810-9dad-11d1-80b4-00c04fd430cg", "+ba7b810-9dad-11d1-80b4-00c04fd430c8",
        "6ba7b810-9dad-11d1-80b4-00c04fd430\u0661\u0662", "1-1-1-1-1"}) {
      assertThat(GolongpollQuery.parseUuid(bad)).as(bad).isNull();
    }
  }

  @Test
  void categoryLengthCountsCharactersNotBytes() {
    String emoji = "\uD83D\uDE00";
    assertThat(GolongpollCategory.of(emoji.repeat(1024))).isNotNull();
    assertThat(GolongpollCategory.of(emoji.repeat(1025))).isNull();
    assertThat(GolongpollCategory.of("")).isNull();
    assertThat(GolongpollCategory.of(null)).isNull();
  }

  @Test
  void categoryMapsToItselfWhenAChannelNameElseToAnInternalKey() {
    assertThat(GolongpollCategory.of("news.sport").key()).isEqualTo("news.sport");
    assertThat(GolongpollCategory.of("news sport").key()).isEqualTo("%bmV3cyBzcG9ydA");
    assertThat(GolongpollCategory.of("x".repeat(201)).key()).startsWith("%");
    // An unpaired surrogate is U+FFFD, as Go would decode it: it cannot collide with "?".
    GolongpollCategory lone = GolongpollCategory.of("a\uD800");
    assertThat(lone.name()).isEqualTo("a\uFFFD");
    assertThat(lone.key()).isNotEqualTo(GolongpollCategory.of("a?").key());
    assertThat(new String(
            java.util.Base64.getUrlDecoder().decode(lone.key().substring(1)), StandardCharsets.UTF_8))
        .isEqualTo("a\uFFFD");
  }

  @Test
  void publishBodyIsDecodedAsGosDecoderDoes() throws Exception {
    GolongpollPublish p = GolongpollPublish.parse(
        "{\"category\":\"a\",\"data\":{\"x\": [1, 2]}}".getBytes(StandardCharsets.UTF_8));
    assertThat(p.category().name()).isEqualTo("a");
    assertThat(p.data()).isEqualTo("{\"x\":[1,2]}");
    // invalid UTF-8 inside a string becomes U+FFFD, as in Go
    byte[] bad = "{\"category\":\"a\",\"data\":\"x_\"}".getBytes(StandardCharsets.UTF_8);
    bad[bad.length - 3] = (byte) 0xff;
    assertThat(GolongpollPublish.parse(bad).data()).isEqualTo("\"x\uFFFD\"");
  }
}
