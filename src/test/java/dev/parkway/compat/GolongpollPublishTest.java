package dev.parkway.compat;

import static org.assertj.core.api.Assertions.assertThat;

import jakarta.json.JsonObject;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** golongpoll's publish handler: its success body, its refusals with their statuses, its headers. */
class GolongpollPublishTest extends GolongpollBaseTest {
  static final String METHOD = "{\"error\": \"Invalid HTTP Method. Only POST allowed.\"}";
  static final String BODY = "{\"error\": \"Invalid POST body json.\"}";
  static final String CATEGORY =
      "{\"error\": \"Invalid or missing 'category' arg, must be 1-1024 characters long.\"}";
  static final String DATA = "{\"error\": \"Invalid or missing 'data' arg, must be non-nil.\"}";

  @Override
  protected Map<String, String> settings() {
    return Map.of("parkway.body.max", "4096");
  }

  @Test
  void publishAnswersSuccessAndStoresTheEventForSubscribers() {
    String c = category("pub");
    HttpResponse<String> response =
        publishBody("{\"category\": \"" + c + "\", \"data\": {\"message\": \"Hello\"}}");
    assertThat(response.statusCode()).isEqualTo(200);
    assertPublishHeaders(response);
    assertThat(response.body()).isEqualTo("{\"success\": true}");

    HttpResponse<String> events = subscribe("timeout", "5", "category", c, "since_time", "0");
    JsonObject event = json(events).getJsonArray("events").getJsonObject(0);
    assertThat(event.getJsonObject("data")).isEqualTo(parseJson("{\"message\":\"Hello\"}"));
  }

  @ParameterizedTest
  @ValueSource(strings = {"GET", "PUT", "DELETE", "PATCH", "OPTIONS"})
  void anyMethodButPostIsRefused405(String method) {
    HttpResponse<String> response =
        send(
            HttpRequest.newBuilder(URI.create(server.baseUri() + "/publish"))
                .timeout(PATIENCE)
                .method(method, HttpRequest.BodyPublishers.ofString("{\"category\":\"a\",\"data\":1}"))
                .build());
    assertThat(response.statusCode()).isEqualTo(405);
    assertPublishHeaders(response);
    assertThat(response.body()).isEqualTo(METHOD);
    assertThat(response.headers().firstValue("Allow")).hasValue("POST");
  }

  @ParameterizedTest
  @ValueSource(strings = {
      "", "   ", "not json", "{", "{\"category\":\"a\",\"data\":1", "{\"category\":\"a\" \"data\":1}",
      "[1,2]", "\"text\"", "42", "true", "{\"category\":5,\"data\":1}", "{\"category\":{},\"data\":1}",
      "{\"category\":[\"a\"],\"data\":1}", "{'category':'a','data':1}", "{\"category\":\"a\",\"data\":1,}"})
  void bodyThatIsNotJsonOfThePublishShapeIsRefused400(String body) {
    HttpResponse<String> response = publishBody(body);
    assertThat(response.statusCode()).as(body).isEqualTo(400);
    assertPublishHeaders(response);
    assertThat(response.body()).isEqualTo(BODY);
  }

  @ParameterizedTest
  @ValueSource(strings = {
      "{\"data\":1}", "{\"category\":\"\",\"data\":1}", "{\"category\":null,\"data\":1}", "null", "{}"})
  void missingOrEmptyCategoryIsRefused400(String body) {
    HttpResponse<String> response = publishBody(body);
    assertThat(response.statusCode()).as(body).isEqualTo(400);
    assertPublishHeaders(response);
    assertThat(response.body()).isEqualTo(CATEGORY);
  }

  @Test
  void categoryOver1024CharactersIsRefused400() {
    HttpResponse<String> response = publishBody("{\"category\":\"" + "a".repeat(1025) + "\",\"data\":1}");
    assertThat(response.statusCode()).isEqualTo(400);
    assertThat(response.body()).isEqualTo(CATEGORY);
  }

  @ParameterizedTest
  @ValueSource(strings = {"{\"category\":\"a\"}", "{\"category\":\"a\",\"data\":null}"})
  void missingOrNullDataIsRefused400(String body) {
    HttpResponse<String> response = publishBody(body);
    assertThat(response.statusCode()).as(body).isEqualTo(400);
    assertPublishHeaders(response);
    assertThat(response.body()).isEqualTo(DATA);
  }

  @Test
  void anInvalidCategoryIsNamedBeforeMissingData() {
    assertThat(publishBody("{\"category\":\"\"}").body()).isEqualTo(CATEGORY);
  }

  @Test
  void noContentTypeOrAnotherOneIsAcceptedAsGolongpollDoes() {
    // golongpoll's Go client sends its publish without a Content-Type; the JavaScript client says JSON.
    String c = category("no-type");
    String body = "{\"category\":\"" + c + "\",\"data\":\"x\"}";
    HttpResponse<String> untyped =
        send(
            HttpRequest.newBuilder(URI.create(server.baseUri() + "/publish"))
                .timeout(PATIENCE)
                .POST(HttpRequest.BodyPublishers.ofString(body))
                .build());
    assertThat(untyped.statusCode()).as(untyped.body()).isEqualTo(200);
    HttpResponse<String> text =
        send(
            HttpRequest.newBuilder(URI.create(server.baseUri() + "/publish"))
                .timeout(PATIENCE)
                .header("Content-Type", "text/plain; charset=ISO-8859-1")
                .POST(HttpRequest.BodyPublishers.ofString(body))
                .build());
    assertThat(text.statusCode()).as(text.body()).isEqualTo(200);
    assertThat(json(subscribe("timeout", "5", "category", c, "since_time", "0")).getJsonArray("events"))
        .hasSize(2);
  }

  @Test
  void bodyIsReadAsGoDecodesIt() {
    // Member names match case-insensitively (the last match wins), unknown members are ignored, and
    // anything after the first JSON value is not read.
    String c = category("go-decode");
    HttpResponse<String> response =
        publishBody("{\"Category\":\"ignored\",\"CATEGORY\":\"" + c + "\",\"extra\":[1],\"Data\":[1,{\"k\":true}]} trailing");
    assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
    JsonObject event =
        json(subscribe("timeout", "5", "category", c, "since_time", "0")).getJsonArray("events").getJsonObject(0);
    assertThat(event.get("data")).isEqualTo(parseJson("[1,{\"k\":true}]"));
  }

  @Test
  void everyJsonValueButNullIsData() {
    String c = category("values");
    for (String data : new String[] {"0", "false", "\"\"", "[]", "{}", "-1.5e3", "\"line\\nbreak\""}) {
      publish(c, data);
    }
    var events = json(subscribe("timeout", "5", "category", c, "since_time", "0")).getJsonArray("events");
    assertThat(events).hasSize(7);
    assertThat(events.getJsonObject(6).getString("data")).isEqualTo("line\nbreak");
  }

  @Test
  void bodyOverTheLimitIsRefused413() {
    String big = "{\"category\":\"a\",\"data\":\"" + "x".repeat(5000) + "\"}";
    HttpResponse<String> response = publishBody(big);
    assertThat(response.statusCode()).isEqualTo(413);
    assertPublishHeaders(response);
    assertThat(json(response).getString("error")).contains("4096");
  }
}
