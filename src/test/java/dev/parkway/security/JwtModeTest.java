package dev.parkway.security;

import static org.assertj.core.api.Assertions.assertThat;

import com.nimbusds.jose.JWSAlgorithm;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

/** {@code parkway.auth=jwt}: HS256 tokens whose parkway claim lists channels, patterns and mailboxes. */
class JwtModeTest extends SecurityTestSupport {
  @Override
  protected Map<String, String> settings() {
    return Map.of("parkway.auth", "jwt", "parkway.auth.jwt.secret", Jwts.SECRET);
  }

  private static String token(List<String> subscribe, List<String> publish, List<String> admin) {
    return Jwts.valid(Jwts.claim(subscribe, publish, admin));
  }

  @Test
  void validTokenPublishesAndSubscribesWithinItsClaim() {
    String room = unique("room");
    String reader = token(List.of("chat.*"), List.of(), List.of());
    String writer = token(List.of(), List.of("chat." + room), List.of());
    CompletableFuture<HttpResponse<String>> poll =
        sendAsync(as(reader, "/channels/chat." + room + "?timeout=10").GET().build());
    awaitParked(1);

    HttpResponse<String> published = post(writer, "/channels/chat." + room, "{\"m\":1}");
    assertThat(published.statusCode()).as(published.body()).isEqualTo(201);

    HttpResponse<String> answer = answer(poll);
    assertThat(answer.statusCode()).as(answer.body()).isEqualTo(200);
    assertThat(body(answer).getInt("events[0].data.m")).isEqualTo(1);
  }

  @Test
  void channelOutsideTheClaimIs403() {
    String writer = token(List.of("chat.*"), List.of("chat.room1"), List.of());
    assertForbidden(post(writer, "/channels/chat.room2", "1"));
    assertForbidden(post(writer, "/channels/news", "1"));
    assertForbidden(get(writer, "/channels/news?timeout=0"));
    assertForbidden(get(writer, "/channels/chat?timeout=0")); // chat.* is strictly under chat
    assertForbidden(get(writer, "/channels/chat.room1/info")); // publish is not admin
  }

  @Test
  void expiredTokenIs401() {
    long now = System.currentTimeMillis();
    String expired = Jwts.hs256(Jwts.SECRET, Jwts.claims(now - 3_600_000, 60, Jwts.claim(List.of("*"), List.of(), List.of())).build());
    assertThat(assertUnauthorized(get(expired, "/channels/news?timeout=0"), true).getString("message"))
        .isEqualTo("the token has expired");
  }

  @Test
  void wrongSignatureIs401() {
    String forged = Jwts.hs256("some-other-secret-0123456789-0123456789",
        Jwts.claims(System.currentTimeMillis(), 600, Jwts.claim(List.of("*"), List.of("*"), List.of("*"))).build());
    assertUnauthorized(post(forged, "/channels/news", "1"), true);
  }

  @Test
  void algNoneAndOtherAlgorithmsAre401() {
    var claims = Jwts.claims(System.currentTimeMillis(), 600, Jwts.claim(List.of("*"), List.of("*"), List.of("*"))).build();
    assertUnauthorized(post(Jwts.unsigned(claims), "/channels/news", "1"), true);
    assertUnauthorized(post(Jwts.sign(Jwts.SECRET + "0123456789abcdef", JWSAlgorithm.HS384, claims), "/channels/news", "1"), true);
  }

  @Test
  void wildcardPollNeedsAPatternThatCoversIt() {
    String p = unique("scores");
    String wide = token(List.of(p + ".*"), List.of(), List.of());
    String exact = token(List.of(p + ".football", p + ".tennis"), List.of(), List.of());

    assertThat(get(wide, "/poll?channel=" + p + ".*&timeout=0").statusCode()).isEqualTo(200);
    assertThat(get(wide, "/poll?channel=" + p + ".eu.*&channel=" + p + ".tennis&timeout=0").statusCode()).isEqualTo(200);
    assertThat(get(exact, "/poll?channel=" + p + ".football,"  + p + ".tennis&timeout=0").statusCode()).isEqualTo(200);
    assertThat(assertForbidden(get(exact, "/poll?channel=" + p + ".*&timeout=0")).getString("message"))
        .contains(p + ".*");
    // Every channel a poll names must be covered, not just one of them.
    assertForbidden(get(wide, "/poll?channel=" + p + ".football&channel=news&timeout=0"));
    assertForbidden(get(wide, "/stream?channel=" + p + ".x&channel=news"));
  }

  @Test
  void mailboxClaimNamesTheClientsAPollerMayReadAndASenderMayWrite() {
    String alice = unique("alice");
    String bob = unique("bob");
    String aliceToken = token(List.of("@" + alice), List.of("@" + bob), List.of());

    HttpResponse<String> sent = post(aliceToken, "/clients/" + bob + "/messages", "\"hi bob\"");
    assertThat(sent.statusCode()).as(sent.body()).isEqualTo(202);
    assertForbidden(post(aliceToken, "/clients/" + alice + "/messages", "\"to myself\""));
    assertThat(get(aliceToken, "/clients/" + alice + "/messages?timeout=0").statusCode()).isEqualTo(200);
    assertThat(assertForbidden(get(aliceToken, "/clients/" + bob + "/messages?timeout=0")).getString("message"))
        .contains("mailbox").contains(bob);
  }

  @Test
  void actingAsAClientIdOnAPollNeedsThatClientsMailbox() {
    String c = unique("shared");
    String bob = unique("bob");
    String other = token(List.of(c), List.of(), List.of());
    String bobs = token(List.of(c, "@" + bob), List.of(), List.of());
    assertForbidden(get(other, "/channels/" + c + "?timeout=0&client=" + bob));
    assertThat(get(bobs, "/channels/" + c + "?timeout=0&client=" + bob).statusCode()).isEqualTo(200);
  }

  @Test
  void adminClaimAllowsInfoAndDelete() {
    String c = unique("ops.channel");
    String admin = token(List.of(), List.of("ops.*"), List.of("ops.*"));
    assertThat(post(admin, "/channels/" + c, "1").statusCode()).isEqualTo(201);
    assertThat(get(admin, "/channels/" + c + "/info").statusCode()).isEqualTo(200);
    assertForbidden(delete(token(List.of("*"), List.of("*"), List.of()), "/channels/" + c));
    assertThat(delete(admin, "/channels/" + c).statusCode()).isEqualTo(204);
  }

  @Test
  void seedRoutesCheckTheChannelOrMailboxTheyTouch() {
    String alice = unique("alice");
    String token = token(List.of("chat.*"), List.of("@" + alice), List.of());
    // golongpoll: the category is the channel
    assertForbidden(get(token, "/events?category=news&timeout=1"));
    assertForbidden(post(token, "/publish", "{\"category\":\"chat.room1\",\"data\":1}"));
    // node: the mailbox named in the body
    assertForbidden(post(token, "/poll/send", "{\"to\":\"someone-else\",\"message\":1}"));
    HttpResponse<String> allowed = post(token, "/poll/send", "{\"to\":\"" + alice + "\",\"message\":1}");
    assertThat(allowed.statusCode()).as(allowed.body()).isEqualTo(200);
    // chat and broadcast: their configured channels, outside this claim
    assertForbidden(get(token, "/messages"));
    assertForbidden(get(token, "/getmessage"));
  }
}
