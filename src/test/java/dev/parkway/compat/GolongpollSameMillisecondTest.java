package dev.parkway.compat;

import static org.assertj.core.api.Assertions.assertThat;

import dev.parkway.compat.GolongpollSubscribeTest.Seen;
import dev.parkway.core.Broker;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Events within one millisecond are neither lost nor repeated by a client that follows {@code since_time}
 * and {@code last_id} from the last event it got. Answers are cut at 3 events here, so answer boundaries
 * fall inside runs of events that share a timestamp.
 */
class GolongpollSameMillisecondTest extends GolongpollBaseTest {
  private static final int LIMIT = 3;

  @Override
  protected Map<String, String> settings() {
    return Map.of("parkway.poll.limit.max", Integer.toString(LIMIT));
  }

  @ParameterizedTest
  @ValueSource(strings = {"burst", "burst/\u00e9 not a channel"})
  void burstIsReceivedExactlyOnceInOrderByAClientFollowingSinceTimeAndLastId(String hint) {
    String c = category(hint);
    String key = GolongpollCategory.keyOf(c);
    Broker broker = server.broker();
    int n = 300;
    for (int i = 0; i < n; i++) {
      broker.publish(key, Integer.toString(i), null);
    }

    Follow follow = follow(c, n);
    assertThat(follow.received()).extracting(s -> s.data().toString())
        .containsExactlyElementsOf(IntStream.range(0, n).mapToObj(Integer::toString).toList());
    assertThat(follow.boundariesInsideAMillisecond())
        .as("some answer began in the millisecond the previous one ended in")
        .isPositive();
  }

  @Test
  void burstPublishedOverHttpIsReceivedExactlyOnceInOrder() {
    String c = category("http burst");
    int n = 60;
    for (int i = 0; i < n; i++) {
      publish(c, Integer.toString(i));
    }
    Follow follow = follow(c, n);
    assertThat(follow.received()).extracting(s -> s.data().toString())
        .containsExactlyElementsOf(IntStream.range(0, n).mapToObj(Integer::toString).toList());
  }

  @Test
  void aClientThatLostItsLastIdGetsEveryEventOfThatMillisecondAgainButNothingOlder() {
    // golongpoll's rule with an unknown last_id: everything at since_time counts.
    String c = category("lost-id");
    Broker broker = server.broker();
    List<Long> timestamps = new ArrayList<>();
    for (int i = 0; i < 50; i++) {
      timestamps.add(broker.publish(c, Integer.toString(i), null).event().timestamp());
    }
    long since = timestamps.get(25);
    long atOrAfter = timestamps.stream().filter(t -> t >= since).count();
    List<Seen> got = new ArrayList<>();
    String lastId = null;
    long cursorTime = since;
    String unknown = "00000000-0000-8000-8000-000000000000";
    // first request with an unknown id, then follow as the Go client does
    for (int i = 0; i < 100 && got.size() < atOrAfter; i++) {
      HttpResponse<String> answer =
          subscribe("timeout", "1", "category", c, "since_time", Long.toString(cursorTime),
              "last_id", lastId == null ? unknown : lastId);
      for (Seen s : GolongpollSubscribeTest.events(answer)) {
        got.add(s);
        cursorTime = s.timestamp();
        lastId = s.id();
      }
    }
    assertThat(got).extracting(s -> s.data().toString()).containsExactlyElementsOf(
        IntStream.range(0, 50).filter(i -> timestamps.get(i) >= since).mapToObj(Integer::toString).toList());
  }

  /** What a client following since_time/last_id received, and how often an answer split a millisecond. */
  record Follow(List<Seen> received, int boundariesInsideAMillisecond) {}

  private Follow follow(String c, int n) {
    List<Seen> received = new ArrayList<>();
    int splits = 0;
    long since = 0;
    String lastId = null;
    for (int round = 0; round < 2 * n && received.size() < n; round++) {
      HttpResponse<String> answer =
          lastId == null
              ? subscribe("timeout", "1", "category", c, "since_time", Long.toString(since))
              : subscribe("timeout", "1", "category", c, "since_time", Long.toString(since), "last_id", lastId);
      List<Seen> events = GolongpollSubscribeTest.events(answer);
      assertThat(events.size()).isLessThanOrEqualTo(LIMIT);
      if (lastId != null && events.get(0).timestamp() == since) {
        splits++;
      }
      for (Seen s : events) {
        received.add(s);
        since = s.timestamp();
        lastId = s.id();
      }
    }
    // Nothing more: the next poll with the last position times out.
    HttpResponse<String> last =
        subscribe("timeout", "1", "category", c, "since_time", Long.toString(since), "last_id", lastId);
    assertThat(json(last).containsKey("timeout")).as(last.body()).isTrue();
    return new Follow(received, splits);
  }
}
