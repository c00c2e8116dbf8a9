package dev.parkway.library;

import static dev.parkway.testing.ParkwayHttpSupport.answer;
import static dev.parkway.testing.ParkwayHttpSupport.body;
import static dev.parkway.testing.ParkwayHttpSupport.unique;
import static dev.parkway.testing.ParkwayHttpSupport.waitUntil;
import static org.assertj.core.api.Assertions.assertThat;

import dev.parkway.ParkwayInitializer;
import dev.parkway.core.Broker;
import dev.parkway.testing.PlainHttp;
import io.restassured.path.json.JsonPath;
import jakarta.servlet.ServletContainerInitializer;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * Library mode: a host application ({@link HostApp}) that declares nothing of Parkway gets all of Parkway's
 * routes under {@code parkway.prefix=/push}, behind its own filter, beside its own servlet, and nothing of
 * Parkway outside the prefix. Every request carries the host filter's header unless the test is about the
 * filter. Every test leaves no poll parked.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class LibraryModeTest {
  private HostApp host;
  private PlainHttp http;

  @BeforeAll
  void startHost(@TempDir Path dir) {
    host = HostApp.start(dir, Map.of("parkway.prefix", "/push", "parkway.poll.timeout.max", "10"), "");
    http = new PlainHttp(host.baseUri(), "X-Host-App", "yes");
  }

  @AfterAll
  void stopHost() {
    if (host != null) {
      host.close();
    }
  }

  @AfterEach
  void parkedPollsDrain() {
    Broker broker = host.broker();
    waitUntil("parked polls drain").until(() -> broker.parkedCount() == 0);
  }

  @Test
  void theJarNamesItsInitializerForTheContainer() {
    List<String> found =
        ServiceLoader.load(ServletContainerInitializer.class).stream().map(p -> p.type().getName()).toList();
    assertThat(found).contains(ParkwayInitializer.class.getName());
  }

  @Test
  void theInitializerStartsParkwayOnceInTheHost() {
    assertThat(host.broker()).isNotNull();
    assertThat(host.servletNames().filter(n -> n.equals("parkway-channels"))).hasSize(1);
  }

  @Test
  void healthAnswersUnderThePrefix() {
    HttpResponse<String> health = http.get("/push/health");
    assertThat(health.statusCode()).as(health.body()).isEqualTo(200);
    assertThat(body(health).getString("status")).isEqualTo("up");
  }

  @Test
  void aParkedPollUnderThePrefixIsAnsweredByAPublishAndItsCursorResumes() {
    String channel = unique("lib");
    CompletableFuture<HttpResponse<String>> poll = http.getAsync("/push/channels/" + channel + "?timeout=10");
    waitUntil("the poll parks").until(() -> host.broker().parkedCount() == 1);

    HttpResponse<String> published = http.postJson("/push/channels/" + channel, "{\"n\":1}");
    assertThat(published.statusCode()).as(published.body()).isEqualTo(201);
    HttpResponse<String> answered = answer(poll);
    assertThat(answered.statusCode()).as(answered.body()).isEqualTo(200);
    JsonPath events = body(answered);
    assertThat(events.getList("events.seq", Integer.class)).containsExactly(1);
    assertThat(events.getInt("events[0].data.n")).isEqualTo(1);

    http.postJson("/push/channels/" + channel, "{\"n\":2}");
    HttpResponse<String> resumed =
        http.get("/push/channels/" + channel + "?timeout=0&after=" + events.getString("cursor"));
    assertThat(body(resumed).getList("events.seq", Integer.class)).as(resumed.body()).containsExactly(2);
    assertThat(http.get("/push/channels/" + channel + "/info").statusCode()).isEqualTo(200);
  }

  @Test
  void compatibilityRoutesMoveUnderThePrefixToo() {
    String category = unique("cat");
    HttpResponse<String> golongpoll =
        http.postJson("/push/publish", "{\"category\":\"" + category + "\",\"data\":\"hi\"}");
    assertThat(golongpoll.statusCode()).as(golongpoll.body()).isEqualTo(200);
    assertThat(body(golongpoll).getBoolean("success")).isTrue();

    HttpResponse<String> chat = http.postJson("/push/messages", "{\"body\":\"hello\"}");
    assertThat(chat.statusCode()).as(chat.body()).isEqualTo(200);
    assertThat(body(chat).getString("body")).isEqualTo("hello");
  }

  @Test
  void anUnknownPathUnderThePrefixIsAJson404() {
    HttpResponse<String> unknown = http.get("/push/nothing/here");
    assertThat(unknown.statusCode()).isEqualTo(404);
    assertThat(body(unknown).getString("error")).isEqualTo("not_found");
  }

  @Test
  void theHostsOwnServletAndPagesStillServe() {
    HttpResponse<String> hello = http.get("/hello");
    assertThat(hello.statusCode()).isEqualTo(200);
    assertThat(hello.body()).isEqualTo("hello from the host");
    HttpResponse<String> page = http.get("/");
    assertThat(page.statusCode()).isEqualTo(200);
    assertThat(page.body()).contains("the host's own page");
  }

  @Test
  void theHostFilterRunsInFrontOfParkwaysRoutes() {
    HttpResponse<String> passed = http.get("/push/health");
    assertThat(passed.headers().firstValue("X-Host-Filter")).hasValue("passed");

    String channel = unique("gated");
    for (HttpRequest refused :
        List.of(
            http.bare("/push/health").GET().build(),
            http.bare("/push/channels/" + channel + "?timeout=10").GET().build(),
            http.bare("/push/channels/" + channel)
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("1"))
                .build())) {
      HttpResponse<String> answer = http.send(refused);
      assertThat(answer.statusCode()).as(refused.uri().toString()).isEqualTo(403);
      assertThat(answer.body()).isEqualTo("refused by the host application");
    }
    HttpResponse<String> info = http.get("/push/channels/" + channel + "/info");
    assertThat(info.statusCode()).as("the refused publish stored nothing: " + info.body()).isEqualTo(404);
  }

  @Test
  void nothingOfParkwayAnswersOutsideThePrefix() {
    for (String path :
        List.of(
            "/health", "/channels/x", "/channels/x/stream", "/clients/a/messages", "/poll?channel=x",
            "/stream?channel=x", "/poll/a", "/send/a", "/publish", "/events?category=x", "/messages",
            "/getmessage", "/updatemessage?message=m", "/parkway/health", "/parkway.js")) {
      HttpResponse<String> answer = http.get(path);
      assertThat(answer.statusCode()).as(path).isEqualTo(404);
      assertThat(answer.headers().firstValue("Content-Type").orElse(""))
          .as(path + ": the host's own 404, not Parkway's JSON")
          .doesNotContain("json");
    }
    HttpResponse<String> publish = http.postJson("/channels/x", "1");
    assertThat(publish.statusCode()).as("POST /channels/x outside the prefix").isIn(404, 405);
    assertThat(host.broker().parkedCount()).isZero();
  }
}
