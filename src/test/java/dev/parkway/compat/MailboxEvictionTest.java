package dev.parkway.compat;

import static org.assertj.core.api.Assertions.assertThat;

import dev.parkway.core.Mailboxes;
import dev.parkway.testing.EmbeddedParkway;
import io.restassured.path.json.JsonPath;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Unacknowledged messages stay until the mailbox's capacity ({@code parkway.mailbox.capacity}, 3 here)
 * evicts them, and then the next poll reports a gap.
 */
class MailboxEvictionTest extends GinHttpSupport {

  @Override
  protected Map<String, String> settings() {
    return EmbeddedParkway.settings("parkway.mailbox.capacity", "3");
  }

  private String messages(String client) {
    return "/clients/" + client + "/messages";
  }

  @Test
  void capacityEvictionIsAGapOnThePollWithTheCursor() {
    String id = unique("full");
    post(messages(id), "1");
    String seenOne = body(getNow(messages(id) + "?timeout=0")).getString("cursor");
    for (int i = 2; i <= 6; i++) {
      post(messages(id), Integer.toString(i)); // capacity 3: 2 and 3 are evicted unread
    }
    JsonPath got = body(assertJson(getNow(messages(id) + "?timeout=0&after=" + seenOne), 200));
    assertThat(got.getMap("gap")).containsExactly(
        Map.entry("client", id), Map.entry("requested", 2), Map.entry("oldest", 4));
    assertThat(got.getList("events.seq", Integer.class)).containsExactly(4, 5, 6);
  }

  @Test
  void acknowledgedMessagesLeavingIsNoGap() {
    String id = unique("acked");
    for (int i = 1; i <= 3; i++) {
      post(messages(id), Integer.toString(i));
    }
    String all = body(getNow(messages(id) + "?timeout=0")).getString("cursor");
    for (int i = 4; i <= 6; i++) {
      post(messages(id), Integer.toString(i)); // evicts 1-3, which the cursor has seen
    }
    JsonPath got = body(getNow(messages(id) + "?timeout=0&after=" + all));
    assertThat(got.getMap("$")).doesNotContainKey("gap");
    assertThat(got.getList("events.seq", Integer.class)).containsExactly(4, 5, 6);
  }

  @Test
  void capacityEvictionIsAGapOnThePollWithoutACursorToo() {
    String id = unique("never-polled");
    for (int i = 1; i <= 5; i++) {
      post(messages(id), Integer.toString(i));
    }
    JsonPath got = body(getNow(messages(id) + "?timeout=0"));
    assertThat(got.getMap("gap")).containsExactly(
        Map.entry("client", id), Map.entry("requested", 1), Map.entry("oldest", 3));
    assertThat(got.getList("events.seq", Integer.class)).containsExactly(3, 4, 5);
    assertThat(server.broker().stats(Mailboxes.key(id)).orElseThrow().buffered()).isEqualTo(3);
  }
}
