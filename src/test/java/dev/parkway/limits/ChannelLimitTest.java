package dev.parkway.limits;

import static org.assertj.core.api.Assertions.assertThat;

import dev.parkway.testing.ParkwayHttpSupport;
import io.restassured.path.json.JsonPath;
import java.net.http.HttpResponse;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * {@code parkway.channels.max}: channels and mailboxes that may exist at once. A publish that would
 * create one more is 507 {@code channel_limit_reached} and stores nothing; channels that exist still
 * accept events; deleting one makes room. One server per test method would be slow, so the tests share
 * one and leave the count where they found it.
 */
class ChannelLimitTest extends ParkwayHttpSupport {
  private static final int MAX = 3;

  @Override
  protected Map<String, String> settings() {
    return Map.of("parkway.channels.max", Integer.toString(MAX), "parkway.poll.channels.max", "2");
  }

  @Test
  void aPublishThatWouldCreateAChannelPastTheLimitIs507AndExistingChannelsStillAccept() {
    String[] channels = {unique("a"), unique("b"), unique("c")};
    for (String c : channels) {
      publishCreated(c, "1");
    }

    HttpResponse<String> refused = send(postJson("/channels/" + unique("d"), "1"));

    assertChannelLimit(refused);
    assertThat(publishCreated(channels[0], "2").statusCode()).isEqualTo(201);
    assertThat(send(postJson("/clients/" + unique("nobody") + "/messages", "1")).statusCode())
        .as("a first message creates a mailbox, which counts too").isEqualTo(507);

    assertThat(send(request("/channels/" + channels[1]).DELETE().build()).statusCode()).isEqualTo(204);
    String fresh = unique("e");
    assertThat(publishCreated(fresh, "1").statusCode()).isEqualTo(201);
    assertThat(JsonPath.from(getNow("/channels/" + fresh + "/info").body()).getLong("head")).isEqualTo(1);

    for (String c : new String[] {channels[0], channels[2], fresh}) {
      assertThat(send(request("/channels/" + c).DELETE().build()).statusCode()).isEqualTo(204);
    }
  }

  @Test
  void compatibilityPublishesAreRefusedTheSameWay() {
    String[] channels = {unique("x"), unique("y"), unique("z")};
    for (String c : channels) {
      publishCreated(c, "1");
    }

    HttpResponse<String> golongpoll =
        send(postJson("/publish", "{\"category\":\"" + unique("cat") + "\",\"data\":1}"));
    HttpResponse<String> chat = send(postJson("/messages", "{\"body\":\"hi\"}"));

    assertThat(golongpoll.statusCode()).as(golongpoll.body()).isEqualTo(507);
    assertThat(JsonPath.from(golongpoll.body()).getString("error")).contains("parkway.channels.max");
    assertChannelLimit(chat);
    for (String c : channels) {
      assertThat(send(request("/channels/" + c).DELETE().build()).statusCode()).isEqualTo(204);
    }
  }

  @Test
  void aStreamOverMoreChannelsThanAPollMayNameIs400() {
    HttpResponse<String> refused = getNow("/stream?channel=a&channel=b&channel=c");

    assertThat(refused.statusCode()).as(refused.body()).isEqualTo(400);
    assertThat(JsonPath.from(refused.body()).getString("error")).isEqualTo("too_many_channels");
  }

  static void assertChannelLimit(HttpResponse<String> refused) {
    assertThat(refused.statusCode()).as(refused.body()).isEqualTo(507);
    assertThat(refused.headers().firstValue("Content-Type")).hasValueSatisfying(v -> assertThat(v).startsWith("application/json"));
    JsonPath body = JsonPath.from(refused.body());
    assertThat(body.getMap("$")).containsOnlyKeys("error", "message");
    assertThat(body.getString("error")).isEqualTo("channel_limit_reached");
    assertThat(body.getString("message")).contains("parkway.channels.max");
  }
}
