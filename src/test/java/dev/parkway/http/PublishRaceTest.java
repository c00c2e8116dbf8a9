package dev.parkway.http;

import static org.assertj.core.api.Assertions.assertThat;

import jakarta.json.JsonNumber;
import jakarta.json.JsonObject;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

/**
 * A publish racing a poll's deadline, over HTTP: whichever wins, the poll gets exactly one answer, and an
 * event the poll did not carry is there for the next poll after its cursor. Nothing lost, nothing twice.
 *
 * <p>Both outcomes are correct and which one occurs is timing, so the tests assert the invariants of each
 * and that, over all iterations, every event was received exactly once and in order. A second answer
 * written to a poll would also show: the keep-alive connection it went out on would carry a stray
 * response, and the next request on it would fail to parse.
 */
class PublishRaceTest extends HttpTestSupport {
  private static final int ITERATIONS = 200;
  /** Deadlines of 1-20 ms: the same order of time as a publish's round trip, so both orders occur. */
  private static final String[] TIMEOUTS = {"0.001", "0.002", "0.005", "0.01", "0.02"};

  @Test
  void publishRacingTheDeadlineIsDeliveredExactlyOnce() {
    String c = channel("race");
    String cursor = json(getNow("/channels/" + c + "?timeout=0")).getString("cursor");
    List<Integer> received = new ArrayList<>();
    for (int i = 1; i <= ITERATIONS; i++) {
      CompletableFuture<HttpResponse<String>> poll =
          getAsync("/channels/" + c + "?timeout=" + TIMEOUTS[i % TIMEOUTS.length] + "&after=" + cursor);
      CompletableFuture<HttpResponse<String>> publish = publishAsync(c, Integer.toString(i));

      HttpResponse<String> response = answer(poll);
      assertThat(response.statusCode()).as("iteration %d: %s", i, response.body()).isEqualTo(200);
      assertThat(answer(publish).statusCode()).isEqualTo(201);
      JsonObject first = json(response);
      List<Integer> carried = data(first);
      if (carried.isEmpty()) {
        // The deadline won: a timeout answer that kept the cursor; the event waits for the next poll.
        assertThat(first.getBoolean("timeout", false)).as("iteration %d: %s", i, first).isTrue();
        assertSamePosition(first.getString("cursor"), cursor);
        JsonObject next = json(getNow("/channels/" + c + "?timeout=0&after=" + cursor));
        carried = data(next);
        cursor = next.getString("cursor");
        assertThat(carried).as("iteration %d: the follow-up poll gets the event", i).containsExactly(i);
      } else {
        assertThat(first.containsKey("timeout")).as("iteration %d: %s", i, first).isFalse();
        assertThat(carried).as("iteration %d", i).containsExactly(i);
        cursor = first.getString("cursor");
        JsonObject next = json(getNow("/channels/" + c + "?timeout=0&after=" + cursor));
        assertThat(data(next)).as("iteration %d: nothing delivered twice", i).isEmpty();
      }
      received.addAll(carried);
    }
    assertThat(received).containsExactlyElementsOf(oneTo(ITERATIONS));
  }

  @Test
  void manyPollsRacingOnePublishEachGetTheEventExactlyOnce() {
    String c = channel("fanout-race");
    String cursor = json(getNow("/channels/" + c + "?timeout=0")).getString("cursor");
    for (int round = 1; round <= 20; round++) {
      List<CompletableFuture<HttpResponse<String>>> polls = new ArrayList<>();
      for (int p = 0; p < 10; p++) {
        polls.add(getAsync("/channels/" + c + "?timeout=" + TIMEOUTS[p % TIMEOUTS.length] + "&after=" + cursor));
      }
      assertThat(answer(publishAsync(c, Integer.toString(round))).statusCode()).isEqualTo(201);
      for (CompletableFuture<HttpResponse<String>> poll : polls) {
        HttpResponse<String> response = answer(poll);
        assertThat(response.statusCode()).as("round %d: %s", round, response.body()).isEqualTo(200);
        JsonObject answer = json(response);
        List<Integer> carried = data(answer);
        if (carried.isEmpty()) {
          assertThat(answer.getBoolean("timeout", false)).as("round %d: %s", round, answer).isTrue();
          assertSamePosition(answer.getString("cursor"), cursor);
          carried = data(json(getNow("/channels/" + c + "?timeout=0&after=" + cursor)));
        }
        assertThat(carried).as("round %d", round).containsExactly(round);
      }
      cursor = json(getNow("/channels/" + c + "?timeout=0&after=" + cursor)).getString("cursor");
    }
  }

  private CompletableFuture<HttpResponse<String>> publishAsync(String c, String json) {
    return http.sendAsync(post(c, json), HttpResponse.BodyHandlers.ofString());
  }

  private static JsonObject json(HttpResponse<String> response) {
    return parseJson(response.body()).asJsonObject();
  }

  /** The events' data, each an integer in these tests. */
  private static List<Integer> data(JsonObject answer) {
    List<Integer> out = new ArrayList<>();
    answer.getJsonArray("events").forEach(e -> out.add(((JsonNumber) e.asJsonObject().get("data")).intValueExact()));
    return out;
  }

  private static List<Integer> oneTo(int n) {
    List<Integer> out = new ArrayList<>();
    for (int i = 1; i <= n; i++) {
      out.add(i);
    }
    return out;
  }
}
