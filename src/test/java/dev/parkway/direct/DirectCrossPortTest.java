package dev.parkway.direct;

import static org.assertj.core.api.Assertions.assertThat;

import io.restassured.path.json.JsonPath;
import java.net.http.HttpResponse;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

/**
 * Both ports serve one broker: a publish on either wakes the polls parked on the other, and a cursor
 * issued by one port is read on by the other.
 */
class DirectCrossPortTest extends DirectTestSupport {

  @Override
  protected Map<String, String> moreSettings() {
    return Map.of("parkway.poll.timeout.max", "30");
  }

  @Test
  void aPollParkedOnTheDirectPortIsAnsweredByAPublishOnTheServletPort() {
    String c = unique("to-direct");
    CompletableFuture<HttpResponse<String>> single = directGetAsync("/channels/" + c + "?timeout=30");
    CompletableFuture<HttpResponse<String>> many = directGetAsync("/poll?channel=" + c + "&timeout=30");
    awaitParked(2);
    publishCreated(c, "{\"via\":\"servlet\"}");
    for (CompletableFuture<HttpResponse<String>> poll : java.util.List.of(single, many)) {
      HttpResponse<String> answer = answer(poll);
      assertThat(answer.statusCode()).as(answer.body()).isEqualTo(200);
      assertCommonHeaders(answer.headers());
      assertThat(body(answer).getList("events.data.via", String.class)).containsExactly("servlet");
    }
  }

  @Test
  void aPollParkedOnTheServletPortIsAnsweredByAPublishOnTheDirectPort() {
    String c = unique("to-servlet");
    CompletableFuture<HttpResponse<String>> single = getAsync("/channels/" + c + "?timeout=30");
    CompletableFuture<HttpResponse<String>> many = getAsync("/poll?channel=" + c + "&timeout=30");
    awaitParked(2);
    HttpResponse<String> published = directPost("/channels/" + c, "{\"via\":\"direct\"}");
    assertThat(published.statusCode()).isEqualTo(201);
    assertThat(body(published).getInt("subscribers")).isEqualTo(2);
    for (CompletableFuture<HttpResponse<String>> poll : java.util.List.of(single, many)) {
      HttpResponse<String> answer = answer(poll);
      assertThat(answer.statusCode()).as(answer.body()).isEqualTo(200);
      assertThat(body(answer).getList("events.data.via", String.class)).containsExactly("direct");
    }
  }

  @Test
  void aCursorFromOnePortReadsOnAtTheOther() {
    String c = unique("cursor");
    publishCreated(c, "1");
    String fromServlet = body(getNow("/channels/" + c + "?after=0&timeout=0")).getString("cursor");
    directPublish(c, "2");
    JsonPath onDirect = body(directGet("/channels/" + c + "?timeout=0&after=" + fromServlet));
    assertThat(onDirect.getList("events.data", Integer.class)).containsExactly(2);
    publishCreated(c, "3");
    JsonPath backOnServlet = body(getNow("/channels/" + c + "?timeout=0&after=" + onDirect.getString("cursor")));
    assertThat(backOnServlet.getList("events.data", Integer.class)).containsExactly(3);
  }
}
