package dev.parkway.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import dev.parkway.testing.ParkwayHttpSupport;
import io.restassured.path.json.JsonPath;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

/**
 * {@code GET /metrics}: the Prometheus text format, with counters that move as requests are served, and
 * nothing in it (or in {@code /health}) that names a channel, a client, an address or a token.
 */
class MetricsEndpointTest extends ParkwayHttpSupport {
  private static final String PREFIX = "text/plain;version=0.0.4";

  @Override
  protected Map<String, String> settings() {
    return Map.of("parkway.parked.per-address.max", "1", "parkway.body.max", "64");
  }

  @Test
  void metricsAreTheTextFormatWithEveryParkwayFamily() {
    HttpResponse<String> metrics = getNow("/metrics");

    assertThat(metrics.statusCode()).isEqualTo(200);
    assertThat(metrics.headers().firstValue("Content-Type")).hasValueSatisfying(v -> assertThat(v.replace(" ", "")).startsWith(PREFIX));
    assertThat(metrics.headers().firstValue("Cache-Control")).hasValue("no-store");
    for (String family :
        List.of(
            "parkway_parked_polls", "parkway_open_streams", "parkway_store_up", "parkway_shutting_down",
            "parkway_published_total", "parkway_delivered_total", "parkway_poll_timeouts_total",
            "parkway_gaps_total", "parkway_superseded_total", "parkway_clients_gone_total",
            "parkway_memory_bytes", "parkway_memory_channels", "parkway_memory_evicted_total")) {
      assertThat(metrics.body()).as(family).containsPattern("(?m)^" + family + " ");
    }
    assertThat(metrics.body()).contains("# TYPE parkway_rejected_total counter");
    assertThat(metrics.body()).contains("# TYPE parkway_store_operation_seconds histogram");
    assertThat(MetricsText.value(metrics.body(), "parkway_store_up")).isEqualTo(1);
  }

  @Test
  void countersFollowPublishesDeliveriesTimeoutsAndTheStore() {
    String c = unique("counted");
    String before = getNow("/metrics").body();

    publishCreated(c, "1");
    publishCreated(c, "2");
    HttpResponse<String> read = getNow("/channels/" + c + "?after=0&timeout=0");
    HttpResponse<String> timedOut = getNow("/channels/" + c + "?timeout=0.1");
    String after = getNow("/metrics").body();

    assertThat(read.statusCode()).isEqualTo(200);
    assertThat(timedOut.statusCode()).isEqualTo(200);
    assertThat(delta(before, after, "parkway_published_total")).isEqualTo(2);
    assertThat(delta(before, after, "parkway_delivered_total")).isEqualTo(2);
    assertThat(delta(before, after, "parkway_poll_timeouts_total")).isEqualTo(1);
    assertThat(delta(before, after, "parkway_store_operation_seconds_count{operation=\"append\"}")).isEqualTo(2);
    assertThat(delta(before, after, "parkway_store_operation_seconds_count{operation=\"read\"}")).isPositive();
    assertThat(MetricsText.value(after, "parkway_memory_bytes")).isPositive();
  }

  @Test
  void parkedPollsAreAGauge() {
    String c = unique("gauge");
    CompletableFuture<HttpResponse<String>> poll = getAsync("/channels/" + c + "?timeout=10");
    awaitParked(1);

    assertThat(MetricsText.value(getNow("/metrics").body(), "parkway_parked_polls")).isEqualTo(1);

    publishCreated(c, "1");
    assertThat(answer(poll).statusCode()).isEqualTo(200);
    awaitParked(0);
    assertThat(MetricsText.value(getNow("/metrics").body(), "parkway_parked_polls")).isZero();
  }

  @Test
  void rejectionsAreCountedByStatusAndErrorCode() {
    String c = unique("refused");
    String before = getNow("/metrics").body();

    assertThat(getNow("/channels/bad!name").statusCode()).isEqualTo(400);
    assertThat(send(postJson("/channels/" + c, "\"" + "x".repeat(100) + "\"")).statusCode()).isEqualTo(413);
    CompletableFuture<HttpResponse<String>> parked = getAsync("/channels/" + c + "?timeout=10");
    awaitParked(1);
    assertThat(getNow("/channels/" + c + "?timeout=10").statusCode()).isEqualTo(429);
    assertThat(getNow("/stream?channel=" + c).statusCode()).isEqualTo(429);
    assertThat(send(request("/metrics").POST(HttpRequest.BodyPublishers.noBody()).build()).statusCode())
        .isEqualTo(405);
    String after = getNow("/metrics").body();
    publishCreated(c, "1");
    assertThat(answer(parked).statusCode()).isEqualTo(200);

    assertThat(delta(before, after, "parkway_rejected_total{error=\"invalid_channel\",status=\"400\"}")).isEqualTo(1);
    assertThat(delta(before, after, "parkway_rejected_total{error=\"body_too_large\",status=\"413\"}")).isEqualTo(1);
    assertThat(delta(before, after, "parkway_rejected_total{error=\"too_many_polls\",status=\"429\"}")).isEqualTo(2);
    assertThat(delta(before, after, "parkway_rejected_total{error=\"method_not_allowed\",status=\"405\"}")).isEqualTo(1);
  }

  @Test
  void neitherMetricsNorHealthNameAChannelAClientOrAnAddress() {
    String channel = unique("secret-channel-name");
    String client = unique("secret-client-id");
    publishCreated(channel, "1");
    assertThat(send(postJson("/clients/" + client + "/messages", "1")).statusCode()).isEqualTo(202);
    assertThat(getNow("/channels/" + channel + "?timeout=0&client=" + client).statusCode()).isEqualTo(200);

    for (String path : List.of("/metrics", "/health")) {
      String body = getNow(path).body();
      assertThat(body).as(path).doesNotContain("secret-channel-name", "secret-client-id", "127.0.0.1");
    }
  }

  @Test
  void healthReportsUpTheStoreAndParkedPolls() {
    HttpResponse<String> health = getNow("/health");

    assertThat(health.statusCode()).isEqualTo(200);
    JsonPath body = JsonPath.from(health.body());
    assertThat(body.getString("status")).isEqualTo("up");
    assertThat(body.getString("store")).isEqualTo("memory");
    assertThat(body.getInt("parked")).isZero();
  }

  @Test
  void headAnswersTheHeadersOnly() {
    HttpResponse<String> head = send(request("/metrics").method("HEAD", HttpRequest.BodyPublishers.noBody()).build());

    assertThat(head.statusCode()).isEqualTo(200);
    assertThat(head.body()).isEmpty();
    assertThat(head.headers().firstValue("Content-Type")).hasValueSatisfying(v -> assertThat(v.replace(" ", "")).startsWith(PREFIX));
  }

  private static double delta(String before, String after, String sample) {
    return MetricsText.value(after, sample) - valueOrZero(before, sample);
  }

  private static double valueOrZero(String text, String sample) {
    try {
      return MetricsText.value(text, sample);
    } catch (AssertionError absent) {
      return 0;
    }
  }
}
