package dev.parkway.compat;

import static org.assertj.core.api.Assertions.assertThat;

import io.restassured.path.json.JsonPath;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

/** The chat tutorial's session (seed 003) on a new server: its chat channel starts empty. */
class ChatTutorialTest extends GinHttpSupport {
  static final String RFC_3339_MILLIS_UTC = "\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}\\.\\d{3}Z";

  @Test
  void theTutorialsSessionParksThenAnswersTheNewMessage() {
    // shell 2: curl http://localhost:8080/messages
    CompletableFuture<HttpResponse<String>> waiting = getAsync("/messages");
    awaitParked(1);

    // shell 3: curl --header "Content-Type: application/json" --request POST
    //          --data '{"body":"Hello World"}' http://localhost:8080/messages
    Instant before = Instant.now();
    HttpResponse<String> created = assertJson(post("/messages", "{\"body\":\"Hello World\"}"), 200);
    JsonPath message = body(created);
    assertThat(message.getMap("$").keySet()).containsExactly("id", "created_at", "body");
    assertThat(message.getString("body")).isEqualTo("Hello World");
    UUID id = UUID.fromString(message.getString("id"));
    assertThat(id.toString()).isEqualTo(message.getString("id"));
    assertThat(message.getString("created_at")).matches(RFC_3339_MILLIS_UTC);
    assertThat(Instant.parse(message.getString("created_at")))
        .isBetween(before.minusMillis(1000), Instant.now().plus(Duration.ofSeconds(1)));

    HttpResponse<String> answered = assertJson(answer(waiting), 200);
    assertThat(body(answered).getList("$")).hasSize(1);
    assertThat(body(answered).getMap("[0]")).isEqualTo(message.getMap("$"));
    assertThat(answered.body()).isEqualTo("[" + created.body() + "]");

    // The tutorial's default (no after, the zero UUID) is "from the oldest": asked again, the same.
    assertThat(getNow("/messages").body()).isEqualTo("[" + created.body() + "]");
    assertThat(getNow("/messages?after=00000000-0000-0000-0000-000000000000").body())
        .isEqualTo("[" + created.body() + "]");
    assertThat(body(created).getMap("$")).isEqualTo(Map.copyOf(message.getMap("$")));
  }
}
