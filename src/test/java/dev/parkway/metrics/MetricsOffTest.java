package dev.parkway.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import dev.parkway.testing.ParkwayHttpSupport;
import io.restassured.path.json.JsonPath;
import java.net.http.HttpResponse;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** {@code parkway.metrics=off}: {@code /metrics} is not mounted, and answers the JSON 404 of any unknown path. */
class MetricsOffTest extends ParkwayHttpSupport {
  @Override
  protected Map<String, String> settings() {
    return Map.of("parkway.metrics", "off");
  }

  @Test
  void metricsSwitchedOffIsNotFound() {
    HttpResponse<String> metrics = getNow("/metrics");

    assertThat(metrics.statusCode()).isEqualTo(404);
    assertThat(JsonPath.from(metrics.body()).getString("error")).isEqualTo("not_found");
    assertThat(getNow("/health").statusCode()).isEqualTo(200);
  }
}
