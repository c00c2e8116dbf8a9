package dev.parkway.compat;

import static org.assertj.core.api.Assertions.assertThat;

import dev.parkway.testing.RawHttp;
import jakarta.json.JsonObject;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * golongpoll's subscription refusals: each exact string, answered 200 with the subscribe headers, in the
 * order golongpoll checks (timeout, category, since_time, last_id).
 */
class GolongpollValidationTest extends GolongpollBaseTest {
  static final String TIMEOUT = "Invalid or missing 'timeout' arg.  Must be 1-110.";
  static final String CATEGORY = "Invalid subscription category, must be 1-1024 characters long.";
  static final String SINCE_TIME = "Invalid 'since_time' arg.";
  static final String LAST_ID_WITHOUT_SINCE = "Must provide 'since_time' arg when providing 'last_id'.";
  static final String LAST_ID = "Param 'last_id' was not a valid UUID.";

  @Test
  void missingTimeoutIsRefused() {
    assertSubscribeError(subscribe("category", "c"), TIMEOUT);
  }

  @ParameterizedTest
  @ValueSource(strings = {"", "0", "111", "abc", "-1", "1.5", " 5", "5 ", "0x5", "\u0665", "99999999999999999999"})
  void timeoutOutsideOneToMaxOrNotAnIntegerIsRefused(String timeout) {
    assertSubscribeError(subscribe("timeout", timeout, "category", "c"), TIMEOUT);
  }

  @Test
  void missingCategoryIsRefused() {
    assertSubscribeError(subscribe("timeout", "5"), CATEGORY);
  }

  @Test
  void emptyCategoryIsRefused() {
    assertSubscribeError(subscribe("timeout", "5", "category", ""), CATEGORY);
  }

  @Test
  void categoryOf1025CharactersIsRefused() {
    assertSubscribeError(subscribe("timeout", "5", "category", "a".repeat(1025)), CATEGORY);
    assertSubscribeError(subscribe("timeout", "5", "category", "\u00e9".repeat(1025)), CATEGORY);
  }

  @Test
  void categoryOf1024CharactersIsAccepted() {
    // Characters, not bytes: 1024 two-byte characters fit. (1024 four-byte ones would too, but their
    // %-encoded query passes Tomcat's default 8 KB request-header limit; see the compatibility notes.)
    for (String category : new String[] {"a".repeat(1024), "\u00e9".repeat(1024)}) {
      publish(category, "1");
      HttpResponse<String> answer = subscribe("timeout", "5", "category", category, "since_time", "0");
      assertThat(answer.statusCode()).isEqualTo(200);
      JsonObject event = json(answer).getJsonArray("events").getJsonObject(0);
      assertThat(event.getString("category")).isEqualTo(category);
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"abc", "1.5", "12a", "--1", "+", "9223372036854775808", "\u0665", " 1"})
  void sinceTimeThatIsNotAnInt64IsRefused(String since) {
    assertSubscribeError(subscribe("timeout", "5", "category", "c", "since_time", since), SINCE_TIME);
  }

  @Test
  void lastIdWithoutSinceTimeIsRefused() {
    assertSubscribeError(
        subscribe("timeout", "5", "category", "c", "last_id", "6ba7b810-9dad-11d1-80b4-00c04fd430c8"),
        LAST_ID_WITHOUT_SINCE);
  }

  @ParameterizedTest
  @ValueSource(strings = {
      "abc",
      "6ba7b810-9dad-11d1-80b4-00c04fd430c",
      "6ba7b810-9dad-11d1-80b4-00c04fd430c8a",
      "6ba7b810x9dad-11d1-80b4-00c04fd430c8",
      "6ba7b810-9dad-11d1-80b4-00c04fd430cg",
      "[6ba7b810-9dad-11d1-80b4-00c04fd430c8]",
      "URN:UUID:6ba7b810-9dad-11d1-80b4-00c04fd430c8",
      "1-1-1-1-1"})
  void lastIdThatIsNotAUuidIsRefused(String lastId) {
    assertSubscribeError(
        subscribe("timeout", "5", "category", "c", "since_time", "0", "last_id", lastId), LAST_ID);
  }

  @ParameterizedTest
  @ValueSource(strings = {
      "6BA7B810-9DAD-11D1-80B4-00C04FD430C8",
      "{6ba7b810-9dad-11d1-80b4-00c04fd430c8}",
      "urn:uuid:6ba7b810-9dad-11d1-80b4-00c04fd430c8",
      "6ba7b8109dad11d180b400c04fd430c8",
      "{6ba7b8109dad11d180b400c04fd430c8}",
      "urn:uuid:6ba7b8109dad11d180b400c04fd430c8"})
  void lastIdInEveryFormGofrsUuidReadsIsAccepted(String lastId) {
    String c = category("uuid-forms");
    publish(c, "\"x\"");
    HttpResponse<String> answer =
        subscribe("timeout", "5", "category", c, "since_time", "0", "last_id", lastId);
    assertThat(json(answer).getJsonArray("events")).hasSize(1);
  }

  @Test
  void checksRunInGolongpollsOrder() {
    // timeout before category
    assertSubscribeError(subscribe("timeout", "0", "category", ""), TIMEOUT);
    // category before since_time
    assertSubscribeError(subscribe("timeout", "5", "category", "", "since_time", "x"), CATEGORY);
    // since_time before last_id
    assertSubscribeError(
        subscribe("timeout", "5", "category", "c", "since_time", "x", "last_id", "nope"), SINCE_TIME);
    // a last_id without since_time is refused for that before its form is looked at
    assertSubscribeError(subscribe("timeout", "5", "category", "c", "last_id", "nope"), LAST_ID_WITHOUT_SINCE);
    // everything wrong at once: the timeout is named
    assertSubscribeError(subscribe("timeout", "x", "since_time", "x", "last_id", "nope"), TIMEOUT);
  }

  @Test
  void emptyParametersCountAsAbsent() {
    // The JavaScript client always sends last_id, empty before its first event.
    String c = category("empty-last-id");
    publish(c, "1");
    HttpResponse<String> answer = subscribe("timeout", "5", "category", c, "since_time", "0", "last_id", "");
    assertThat(json(answer).getJsonArray("events")).hasSize(1);
  }

  @Test
  void signedAndZeroPaddedNumbersAreReadAsGoReadsThem() {
    String c = category("signed");
    publish(c, "1");
    HttpResponse<String> answer = subscribe("timeout", "+05", "category", c, "since_time", "-1");
    assertThat(json(answer).getJsonArray("events")).hasSize(1);
  }

  @Test
  void aMalformedPairIsDroppedAndTheRestOfTheQueryStillCounts() {
    String c = category("malformed");
    publish(c, "1");
    // Go's url.ParseQuery drops "category=%zz" and "x;y=1" and keeps the first valid category.
    RawHttp.Response answer = rawGet("/events?timeout=5&category=%zz&x;y=1&category=" + c + "&since_time=0&category=other");
    assertThat(answer.status()).isEqualTo(200);
    assertThat(json(answer.body()).getJsonArray("events").getJsonObject(0).getString("category")).isEqualTo(c);

    RawHttp.Response refused = rawGet("/events?timeout=%zz&category=" + c);
    assertThat(refused.status()).isEqualTo(200);
    assertThat(refused.headers()).containsEntry("content-type", "application/json");
    assertThat(refused.body()).isEqualTo("{\"error\": \"" + TIMEOUT + "\"}");
  }

  @Test
  void plusInTheQueryIsASpace() {
    publish("a b", "1");
    HttpResponse<String> answer = send(get("/events?timeout=5&category=a+b&since_time=0"));
    assertThat(json(answer).getJsonArray("events").getJsonObject(0).getString("category")).isEqualTo("a b");
  }
}
