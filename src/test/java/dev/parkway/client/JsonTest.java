package dev.parkway.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The client's own JSON reader: strict, complete for RFC 8259, and raw-preserving for event data. */
class JsonTest {

  @Test
  void readsEveryKindOfValue() {
    Object value = Json.parse(" {\"o\": {\"a\": [1, -2.5, 1E+3, true, false, null]}, \"s\": \"x\"} ");
    assertThat(value).isEqualTo(
        Map.of("o", Map.of("a", Arrays.asList(1L, new BigDecimal("-2.5"), new BigDecimal("1E+3"), true, false, null)),
            "s", "x"));
    assertThat(Json.parse("[]")).isEqualTo(List.of());
    assertThat(Json.parse("{}")).isEqualTo(Map.of());
    assertThat(Json.parse("-0")).isEqualTo(0L);
    assertThat(Json.parse("9223372036854775807")).isEqualTo(Long.MAX_VALUE);
    assertThat(Json.parse("9223372036854775808")).isEqualTo(new BigInteger("9223372036854775808"));
    assertThat(Json.parse("\"\"")).isEqualTo("");
  }

  @Test
  void decodesEveryEscape() {
    assertThat(Json.parse("\"q\\\" b\\\\ s\\/ \\b\\f\\n\\r\\t \\u00e9 \\uD83D\\uDE00\""))
        .isEqualTo("q\" b\\ s/ \b\f\n\r\t é \uD83D\uDE00");
    assertThat(Json.parse("\"é😀 raw\"")).isEqualTo("é😀 raw");
  }

  @Test
  void keepsKeyOrderAndTheLastOfRepeatedKeys() {
    @SuppressWarnings("unchecked")
    Map<String, Object> map = (Map<String, Object>) Json.parse("{\"b\":1,\"a\":2,\"b\":3}");
    assertThat(map).containsExactly(Map.entry("a", 2L), Map.entry("b", 3L));
  }

  @ParameterizedTest
  @ValueSource(strings = {
      "", " ", "{", "}", "[1,]", "{\"a\":1,}", "{,}", "[,1]", "{\"a\" 1}", "{a:1}", "{'a':1}",
      "01", "1.", ".5", "-", "1e", "1e+", "+1", "NaN", "Infinity", "tru", "nul", "True",
      "\"abc", "\"a\\x\"", "\"\\u12\"", "\"\\u12G4\"", "\"tab\there\"", "\"line\nbreak\"",
      "1 2", "{} x", "[1] ]", "// c\n1", "\"\\"
  })
  void refusesMalformedText(String text) {
    assertThatThrownBy(() -> Json.parse(text)).isInstanceOf(JsonException.class);
  }

  @Test
  void refusesNestingPastTheLimitInsteadOfOverflowingTheStack() {
    String deep = "[".repeat(100_000) + "]".repeat(100_000);
    assertThatThrownBy(() -> Json.parse(deep)).isInstanceOf(JsonException.class).hasMessageContaining("nested");
  }

  @Test
  void reportsWhereTheTextWentWrong() {
    assertThatThrownBy(() -> Json.parse("[1, 2, x]"))
        .isInstanceOfSatisfying(JsonException.class, e -> assertThat(e.position()).isEqualTo(7));
  }

  @Test
  void writesWhatItReads() {
    Map<String, Object> value = new LinkedHashMap<>();
    value.put("text", "a \"quoted\"\nline\u0001 é");
    value.put("list", Arrays.asList(1, 2.5, null, true));
    value.put("big", new BigInteger("123456789012345678901234567890"));
    String json = Json.write(value);
    assertThat(json).isEqualTo(
        "{\"text\":\"a \\\"quoted\\\"\\nline\\u0001 é\",\"list\":[1,2.5,null,true],"
            + "\"big\":123456789012345678901234567890}");
    assertThat(Json.parse(json)).isEqualTo(Map.of(
        "text", "a \"quoted\"\nline\u0001 é",
        "list", Arrays.asList(1L, new BigDecimal("2.5"), null, true),
        "big", new BigInteger("123456789012345678901234567890")));
    assertThat(Json.quote("x")).isEqualTo("\"x\"");
    assertThatThrownBy(() -> Json.write(Double.NaN)).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void pollAnswerHandsEventDataOverAsRawJsonText() {
    PollAnswer answer = PollAnswer.parse(
        "{\"events\":[{\"channel\":\"shapes\",\"seq\":1,\"timestamp\":17,\"data\":{\"n\":1E+3,\"s\":\"é\\n\",\"list\":[1,2.50]}},"
            + "{\"channel\":\"shapes\",\"seq\":2,\"timestamp\":18,\"data\":\"text\"}],"
            + "\"cursor\":\"abc\",\"more\":true,\"gaps\":[{\"channel\":\"shapes\",\"requested\":2,\"oldest\":6}],"
            + "\"future\":{\"ignored\":[1]}}");
    assertThat(answer.events).containsExactly(
        new Event("shapes", null, 1, 17, "{\"n\":1E+3,\"s\":\"é\\n\",\"list\":[1,2.50]}"),
        new Event("shapes", null, 2, 18, "\"text\""));
    assertThat(answer.events.get(0).field("list")).isEqualTo(List.of(1L, new BigDecimal("2.50")));
    assertThat(answer.events.get(1).dataString()).isEqualTo("text");
    assertThat(answer.gaps).containsExactly(new Gap("shapes", null, 2, 6));
    assertThat(answer.cursor).isEqualTo("abc");
    assertThat(answer.more).isTrue();
    assertThat(answer.timeout).isFalse();
  }

  @Test
  void pollAnswerReadsMailboxMessagesAndFlags() {
    PollAnswer answer = PollAnswer.parse(
        "{\"events\":[],\"cursor\":\"c\",\"more\":false,\"gap\":{\"client\":\"bob\",\"requested\":1,\"oldest\":3},"
            + "\"timeout\":true,\"superseded\":true}");
    assertThat(answer.gaps).containsExactly(new Gap(null, "bob", 1, 3));
    assertThat(answer.timeout).isTrue();
    assertThat(answer.superseded).isTrue();
  }

  @ParameterizedTest
  @ValueSource(strings = {
      "{\"events\":[]}",
      "{\"cursor\":\"c\"}",
      "{\"events\":[{\"seq\":1,\"timestamp\":2,\"data\":1}],\"cursor\":\"c\"}",
      "{\"events\":[{\"channel\":\"a\",\"seq\":\"1\",\"timestamp\":2,\"data\":1}],\"cursor\":\"c\"}",
      "{\"events\":[{\"channel\":\"a\",\"seq\":1,\"timestamp\":2}],\"cursor\":\"c\"}",
      "{\"events\":[],\"cursor\":\"c\",\"more\":\"yes\"}",
      "[]",
      "<html>oops</html>"
  })
  void pollAnswerRefusesAnswersThatAreNotPollAnswers(String body) {
    assertThatThrownBy(() -> PollAnswer.parse(body)).isInstanceOf(JsonException.class);
  }
}
