package dev.parkway.compat;

import static org.assertj.core.api.Assertions.assertThat;

import dev.parkway.core.Mailboxes;
import dev.parkway.testing.EmbeddedParkway;
import io.restassured.path.json.JsonPath;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Unacknowledged messages expire after the mailbox TTL ({@code parkway.mailbox.ttl}, 0.2 s here): a gap. */
class MailboxTtlTest extends GinHttpSupport {

  @Override
  protected Map<String, String> settings() {
    return EmbeddedParkway.settings("parkway.mailbox.ttl", "0.2");
  }

  @Test
  void expiredMessagesAreAGapOnThePollWithTheCursor() {
    String id = unique("slow");
    String messages = "/clients/" + id + "/messages";
    String empty = body(getNow(messages + "?timeout=0")).getString("cursor");
    post(messages, "\"one\"");
    post(messages, "\"two\"");
    waitUntil("both expired")
        .until(() -> server.broker().stats(Mailboxes.key(id)).orElseThrow().buffered() == 0);

    JsonPath got = body(assertJson(getNow(messages + "?timeout=5&after=" + empty), 200));
    assertThat(got.getMap("gap")).containsExactly(
        Map.entry("client", id), Map.entry("requested", 1), Map.entry("oldest", 3));
    assertThat(got.getList("events")).isEmpty();
    assertThat(got.getMap("$")).doesNotContainKey("timeout");
  }
}
