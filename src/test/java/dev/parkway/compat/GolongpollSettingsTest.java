package dev.parkway.compat;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The route's settings: its own maximum timeout, named in the refusal, and a path prefix for both routes. */
class GolongpollSettingsTest extends GolongpollBaseTest {

  @Override
  protected Map<String, String> settings() {
    return Map.of(
        "parkway.compat.golongpoll.timeout.max", "5",
        "parkway.compat.golongpoll.path", "/glp");
  }

  @Override
  protected String prefix() {
    return "/glp";
  }

  @Test
  void timeoutAboveTheConfiguredMaximumIsRefusedNamingIt() {
    assertSubscribeError(
        subscribe("timeout", "6", "category", "c"), "Invalid or missing 'timeout' arg.  Must be 1-5.");
  }

  @Test
  void bothRoutesLiveUnderThePrefix() {
    String c = category("prefixed");
    publish(c, "1");
    HttpResponse<String> answer = subscribe("timeout", "5", "category", c, "since_time", "0");
    assertThat(json(answer).getJsonArray("events")).hasSize(1);

    HttpResponse<String> unprefixed =
        send(
            HttpRequest.newBuilder(URI.create(server.baseUri() + "/publish"))
                .timeout(PATIENCE)
                .POST(HttpRequest.BodyPublishers.ofString("{\"category\":\"" + c + "\",\"data\":1}"))
                .build());
    assertThat(unprefixed.statusCode()).isEqualTo(404);
  }
}
