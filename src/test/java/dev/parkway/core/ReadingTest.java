package dev.parkway.core;

import static dev.parkway.core.CoreFixture.T0;
import static dev.parkway.core.CoreFixture.after;
import static dev.parkway.core.CoreFixture.ids;
import static dev.parkway.core.CoreFixture.request;
import static dev.parkway.core.CoreFixture.seqs;
import static dev.parkway.core.CoreFixture.sub;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Where a poll starts and what one read returns: starts (head, oldest, since, after seq, cursor), limits and
 * {@code more}, gaps (trimmed history, another epoch), cursors ahead of the head, multi-channel merging,
 * patterns covering later channels, and the answer-size cap. Reads go through the broker with timeout 0 (or
 * parked, where waking is the point) and through {@link ChannelReader} directly.
 */
class ReadingTest {
  private CoreFixture f = new CoreFixture();

  /** A poll with timeout 0: always answered at once, on this thread. */
  private Answer.Events now(Subscription s, Start start, int limit) {
    RecordingResponder r = new RecordingResponder();
    assertThat(f.broker.poll(request(s, start, 0, limit, null), r)).isNull();
    return r.events();
  }

  private Answer.Events now(Subscription s, Start start) {
    return now(s, start, 100);
  }

  private void at(long millis) {
    f.clock.setMillis(millis);
  }

  @Test
  void headStartGivesOnlyEventsPublishedAfterThePoll() {
    f.publishN("a", 3);
    Answer.Events none = now(sub("a"), new Start.Head());
    assertThat(none.events()).isEmpty();
    assertThat(none.reason()).isEqualTo(Answer.Reason.TIMEOUT);
    assertThat(none.cursor().positions()).containsExactly(Map.entry("a", 3L));

    RecordingResponder r = new RecordingResponder();
    assertThat(f.broker.poll(request(sub("a"), new Start.Head()), r)).isNotNull();
    f.publish("a", "\"new\"");
    f.executor.runAll();
    assertThat(seqs(r.events())).containsExactly(4L);
    assertThat(r.events().events().get(0).data()).isEqualTo("\"new\"");
    assertThat(r.events().cursor().position("a")).isEqualTo(4);
  }

  @Test
  void oldestStartReadsFromTheOldestRetainedWithoutAGap() {
    f = new CoreFixture(new Retention(3, Duration.ZERO, Duration.ZERO), 1 << 20);
    f.publishN("a", 5);
    Answer.Events e = now(sub("a"), new Start.Oldest());
    assertThat(seqs(e)).containsExactly(3L, 4L, 5L);
    assertThat(e.gaps()).isEmpty();
    assertThat(e.reason()).isEqualTo(Answer.Reason.DATA);
    assertThat(e.more()).isFalse();
  }

  @Test
  void oldestStartOnAChannelThatDoesNotExistYetGetsItsFirstEvent() {
    RecordingResponder r = new RecordingResponder();
    f.broker.poll(request(sub("later"), new Start.Oldest()), r);
    f.publishN("later", 2);
    f.executor.runAll();
    assertThat(seqs(r.events())).containsExactly(1L, 2L);
  }

  @Test
  void sinceStartReadsFromTheFirstEventAtOrAfterTheTime() {
    at(T0);
    f.publish("a", "1");
    at(T0 + 1_000);
    f.publish("a", "2");
    at(T0 + 2_000);
    f.publish("a", "3");

    assertThat(seqs(now(sub("a"), new Start.Since(0)))).containsExactly(1L, 2L, 3L);
    assertThat(seqs(now(sub("a"), new Start.Since(T0 + 500)))).containsExactly(2L, 3L);
    assertThat(seqs(now(sub("a"), new Start.Since(T0 + 1_000)))).containsExactly(2L, 3L);
    assertThat(seqs(now(sub("a"), new Start.Since(T0 + 2_000)))).containsExactly(3L);
    Answer.Events later = now(sub("a"), new Start.Since(T0 + 5_000));
    assertThat(later.events()).isEmpty();
    assertThat(later.gaps()).isEmpty();
    assertThat(later.cursor().position("a")).isEqualTo(3);
  }

  @Test
  void sinceStartReportsAGapWhenMatchingEventsWereDropped() {
    f = new CoreFixture(new Retention(2, Duration.ZERO, Duration.ZERO), 1 << 20);
    for (int i = 1; i <= 5; i++) {
      at(T0 + i * 1_000L);
      f.publish("a", Integer.toString(i));
    }
    // Retained: 4 (T0+4s) and 5 (T0+5s); 3 (T0+3s) was the last one dropped.
    Answer.Events lost = now(sub("a"), new Start.Since(T0 + 2_000));
    assertThat(lost.gaps()).hasSize(1);
    assertThat(lost.gaps().get(0).channel()).isEqualTo("a");
    assertThat(lost.gaps().get(0).oldest()).isEqualTo(4);
    assertThat(lost.gaps().get(0).requested()).isLessThan(4);
    assertThat(seqs(lost)).containsExactly(4L, 5L);

    Answer.Events whole = now(sub("a"), new Start.Since(T0 + 3_500)); // nothing it asked for was dropped
    assertThat(whole.gaps()).isEmpty();
    assertThat(seqs(whole)).containsExactly(4L, 5L);
  }

  @Test
  void afterSeqStartReadsAfterThatSeq() {
    f.publishN("a", 3);
    assertThat(seqs(now(sub("a"), new Start.AfterSeq(0)))).containsExactly(1L, 2L, 3L);
    assertThat(seqs(now(sub("a"), new Start.AfterSeq(1)))).containsExactly(2L, 3L);
    Answer.Events atHead = now(sub("a"), new Start.AfterSeq(3));
    assertThat(atHead.events()).isEmpty();
    assertThat(atHead.reason()).isEqualTo(Answer.Reason.TIMEOUT);
  }

  @Test
  void afterSeqPastTheHeadCanOnlyBeFromAnEarlierEpochAndReportsAGap() {
    // A bare seq carries no epoch: past the head, it was issued before the store lost its history.
    f.publishN("a", 3);
    RecordingResponder r = new RecordingResponder();
    assertThat(f.broker.poll(request(sub("a"), new Start.AfterSeq(9)), r)).isNull();
    Answer.Events e = r.events();
    assertThat(e.gaps()).containsExactly(new Gap("a", 10, 1));
    assertThat(seqs(e)).containsExactly(1L, 2L, 3L);
    assertThat(e.cursor().epoch()).isEqualTo(f.store.epoch());
    assertThat(f.broker.parkedCount()).isZero();
  }

  @Test
  void limitCapsAnAnswerAndMoreSaysThatEventsRemain() {
    f.publishN("a", 5);
    Answer.Events first = now(sub("a"), new Start.Oldest(), 2);
    assertThat(seqs(first)).containsExactly(1L, 2L);
    assertThat(first.more()).isTrue();
    Answer.Events second = now(sub("a"), after(first.cursor()), 2);
    assertThat(seqs(second)).containsExactly(3L, 4L);
    assertThat(second.more()).isTrue();
    Answer.Events third = now(sub("a"), after(second.cursor()), 2);
    assertThat(seqs(third)).containsExactly(5L);
    assertThat(third.more()).isFalse();
    // Exactly the limit, with nothing after it, is not "more".
    Answer.Events exact = now(sub("a"), after(second.cursor()), 1);
    assertThat(exact.more()).isFalse();
  }

  @Test
  void limitAcrossChannelsDeliversEverythingOnceOverSeveralAnswers() {
    for (int i = 0; i < 4; i++) {
      at(T0 + i * 10L);
      f.publish("a", "0");
      at(T0 + i * 10L + 5);
      f.publish("b", "0");
    }
    List<String> seen = new ArrayList<>();
    Start start = new Start.Oldest();
    boolean more = true;
    int answers = 0;
    while (more) {
      Answer.Events e = now(sub("a", "b"), start, 3);
      assertThat(e.events()).hasSizeLessThanOrEqualTo(3);
      seen.addAll(ids(e));
      more = e.more();
      start = after(e.cursor());
      answers++;
      assertThat(answers).as("answers needed").isLessThan(10);
    }
    assertThat(seen).containsExactly("a:1", "b:1", "a:2", "b:2", "a:3", "b:3", "a:4", "b:4");
    assertThat(now(sub("a", "b"), start, 3).events()).isEmpty();
  }

  @Test
  void cursorBeforeTheOldestRetainedReportsAGapAndContinuesFromTheOldest() {
    f = new CoreFixture(new Retention(3, Duration.ZERO, Duration.ZERO), 1 << 20);
    f.publishN("a", 2);
    Cursor seenOne = now(sub("a"), new Start.Oldest(), 1).cursor();
    assertThat(seenOne.position("a")).isEqualTo(1);
    f.publishN("a", 3); // head 5, retained 3..5: event 2 is gone unseen

    Answer.Events e = now(sub("a"), after(seenOne));
    assertThat(e.gaps()).containsExactly(new Gap("a", 2, 3));
    assertThat(seqs(e)).containsExactly(3L, 4L, 5L);
    assertThat(e.reason()).isEqualTo(Answer.Reason.DATA);
    assertThat(f.broker.counters().gaps.sum()).isEqualTo(1);

    Answer.Events next = now(sub("a"), after(e.cursor()));
    assertThat(next.gaps()).isEmpty();
    assertThat(next.events()).isEmpty();
  }

  @Test
  void aGapWithNoEventsLeftIsStillAnsweredAtOnceNeverSkippedSilently() {
    f = new CoreFixture(new Retention(100, Duration.ofSeconds(10), Duration.ZERO), 1 << 20);
    f.publishN("a", 3);
    Cursor seenOne = new Cursor(f.store.epoch(), Map.of("a", 1L));
    f.clock.advance(Duration.ofSeconds(60)); // every event aged out

    RecordingResponder r = new RecordingResponder();
    assertThat(f.broker.poll(request(sub("a"), after(seenOne)), r)).isNull(); // not parked
    Answer.Events e = r.events();
    assertThat(e.events()).isEmpty();
    assertThat(e.gaps()).containsExactly(new Gap("a", 2, 4));
    assertThat(e.cursor().position("a")).isEqualTo(3);
    assertThat(f.broker.parkedCount()).isZero();
  }

  @Test
  void aCursorFromAnotherEpochReportsAGapForEveryChannelItNames() {
    f.publishN("a", 3);
    f.publishN("news.x", 2);
    f.publishN("news.y", 1);
    Map<String, Long> old = new LinkedHashMap<>();
    old.put("a", 7L); // further than this store's head: in another epoch that is no error
    old.put("b", 0L); // does not exist here
    old.put("news.x", 1L);
    Cursor foreign = new Cursor("mforeign00000", old);
    assertThat(foreign.epoch()).isNotEqualTo(f.store.epoch());

    Answer.Events e = now(sub("a", "b", "news.*"), after(foreign));
    assertThat(e.gaps())
        .containsExactlyInAnyOrder(new Gap("a", 8, 1), new Gap("b", 1, 1), new Gap("news.x", 2, 1));
    // Delivery continues from the oldest of every channel; news.y, unnamed, is read from its first event.
    assertThat(ids(e)).containsExactlyInAnyOrder("a:1", "a:2", "a:3", "news.x:1", "news.x:2", "news.y:1");
    assertThat(e.cursor().epoch()).isEqualTo(f.store.epoch());
    assertThat(e.cursor().positions())
        .containsEntry("a", 3L).containsEntry("b", 0L).containsEntry("news.x", 2L).containsEntry("news.y", 1L);

    Answer.Events next = now(sub("a", "b", "news.*"), after(e.cursor()));
    assertThat(next.gaps()).isEmpty();
    assertThat(next.events()).isEmpty();
  }

  @Test
  void aCursorAheadOfTheHeadInTheCurrentEpochIsInvalid() {
    f.publishN("a", 3);
    RecordingResponder r = new RecordingResponder();
    Cursor ahead = new Cursor(f.store.epoch(), Map.of("a", 4L));
    assertThatThrownBy(() -> f.broker.poll(request(sub("a"), after(ahead)), r))
        .isInstanceOf(InvalidCursorException.class);
    Cursor ghost = new Cursor(f.store.epoch(), Map.of("ghost", 1L));
    assertThatThrownBy(() -> f.broker.poll(request(sub("ghost"), after(ghost)), r))
        .isInstanceOf(InvalidCursorException.class);
    assertThatThrownBy(() -> new ChannelReader(f.store, 1 << 20).read(sub("a"), ahead, 10))
        .isInstanceOf(InvalidCursorException.class);
    assertThat(r.calls()).isZero();
    assertThat(f.broker.parkedCount()).isZero();
  }

  @Test
  void aCursorAtTheHeadOfADeletedChannelStaysValid() {
    f.publishN("a", 3);
    Cursor atHead = new Cursor(f.store.epoch(), Map.of("a", 3L));
    f.broker.delete("a");
    Answer.Events e = now(sub("a"), after(atHead));
    assertThat(e.events()).isEmpty();
    assertThat(e.gaps()).isEmpty();
    f.publish("a", "\"again\"");
    assertThat(seqs(now(sub("a"), after(atHead)))).containsExactly(4L);
  }

  @Test
  void severalChannelsAreMergedByTimestamp() {
    long[] times = {1, 2, 3, 4, 5, 6};
    String[] channels = {"a", "b", "a", "b", "b", "a"};
    for (int i = 0; i < times.length; i++) {
      at(T0 + times[i]);
      f.publish(channels[i], Integer.toString(i));
    }
    Answer.Events e = now(sub("a", "b"), new Start.Oldest());
    assertThat(ids(e)).containsExactly("a:1", "b:1", "a:2", "b:2", "b:3", "a:3");
    // Order within a channel survives equal timestamps (and a clock stepped back).
    at(T0);
    f.publish("b", "\"x\"");
    f.publish("a", "\"y\"");
    f.publish("b", "\"z\"");
    Answer.Events tie = now(sub("a", "b"), after(e.cursor()));
    assertThat(ids(tie)).containsSubsequence("b:4", "b:5").contains("a:4").hasSize(3);
  }

  @Test
  void aPatternCoversChannelsCreatedAfterTheCursorWasIssued() {
    f.publishN("news.a", 2);
    f.publishN("news", 1);
    Cursor issued = now(sub("news.*"), new Start.Head()).cursor();
    assertThat(issued.positions()).containsExactly(Map.entry("news.a", 2L));

    at(T0 + 10);
    f.publish("news.b", "1");
    at(T0 + 20);
    f.publish("news.a", "3");
    at(T0 + 30);
    f.publish("news.b.deep", "1");
    f.publish("news", "2");
    f.publish("newsroom", "1");
    f.publish("news-x", "1");

    Answer.Events e = now(sub("news.*"), after(issued));
    assertThat(ids(e)).containsExactly("news.b:1", "news.a:3", "news.b.deep:1");
    assertThat(e.gaps()).isEmpty();
  }

  @Test
  void aChannelTheCursorDoesNotNameReportsOnlyLossesAfterTheCursorWasIssued() {
    f = new CoreFixture(new Retention(2, Duration.ZERO, Duration.ZERO), 1 << 20);
    f.publishN("news.old", 5); // 1..3 dropped, long before the cursor below was issued
    f.clock.advance(Duration.ofMinutes(1));
    Cursor issued = now(sub("x"), new Start.Head()).cursor(); // names neither news channel
    assertThat(issued.issuedAt()).isEqualTo(f.clock.millis());

    f.clock.advance(Duration.ofSeconds(5));
    f.publishN("news.fresh", 5); // created after the cursor; 1..3 dropped since: a real gap

    Answer.Events e = now(sub("news.*"), after(issued));
    assertThat(e.gaps()).containsExactly(new Gap("news.fresh", 1, 4));
    assertThat(ids(e)).containsExactly("news.old:4", "news.old:5", "news.fresh:4", "news.fresh:5");
  }

  @Test
  void aChannelDeletedAndRecreatedUnderAPatternIsReadAsNewWithoutAGap() {
    f.publishN("news.a", 3);
    f.broker.delete("news.a");
    Cursor issued = now(sub("news.*"), new Start.Head()).cursor();
    assertThat(issued.covers("news.a")).isFalse(); // a deleted channel drops out of the cursor
    f.publish("news.a", "\"again\"");
    Answer.Events e = now(sub("news.*"), after(issued));
    assertThat(e.gaps()).isEmpty();
    assertThat(ids(e)).containsExactly("news.a:4");
  }

  @Test
  void aParkedPatternPollIsWokenByTheFirstEventOfABrandNewChannel() {
    f.publishN("news.a", 1);
    RecordingResponder r = new RecordingResponder();
    f.broker.poll(request(sub("news.*"), new Start.Head()), r);
    f.publish("newsroom", "1");
    f.publish("news", "1");
    f.executor.runAll();
    assertThat(r.calls()).isZero();

    f.publish("news.c.x", "\"first\"");
    f.executor.runAll();
    assertThat(ids(r.events())).containsExactly("news.c.x:1");
    assertThat(r.events().cursor().positions()).containsEntry("news.a", 1L).containsEntry("news.c.x", 1L);
  }

  @Test
  void answerByteCapSetsMoreButAlwaysReturnsAtLeastOneEvent() {
    String data = "\"" + "x".repeat(40) + "\"";
    int size = new Event("a", 1, T0, data).jsonBytes().length;
    f = new CoreFixture(CoreFixture.RETENTION, size * 2 + size / 2); // room for two events, not three
    for (int i = 0; i < 5; i++) {
      f.publish("a", data);
    }
    assertThat(f.memory.readAfter("a", 0, 10).events()).allSatisfy(ev -> assertThat(ev.jsonBytes()).hasSize(size));

    Answer.Events first = now(sub("a"), new Start.Oldest());
    assertThat(seqs(first)).containsExactly(1L, 2L);
    assertThat(first.more()).isTrue();
    Answer.Events second = now(sub("a"), after(first.cursor()));
    assertThat(seqs(second)).containsExactly(3L, 4L);
    assertThat(second.more()).isTrue();

    f.publish("a", "\"" + "y".repeat(10 * size) + "\""); // alone bigger than the cap
    f.publish("a", data);
    Answer.Events third = now(sub("a"), after(second.cursor()));
    assertThat(seqs(third)).containsExactly(5L);
    Answer.Events big = now(sub("a"), after(third.cursor()));
    assertThat(seqs(big)).containsExactly(6L);
    assertThat(big.more()).isTrue();
    Answer.Events last = now(sub("a"), after(big.cursor()));
    assertThat(seqs(last)).containsExactly(7L);
    assertThat(last.more()).isFalse();
  }

  @Test
  void readerReportsWhichCoveredChannelsExist() {
    f.publishN("a", 1);
    f.publishN("gone", 1);
    f.broker.delete("gone");
    ChannelReader reader = new ChannelReader(f.store, 1 << 20);
    Subscription s = sub("a", "gone", "never");
    Batch b = reader.read(s, reader.start(s, new Start.Oldest()), 10);
    assertThat(b.live()).containsExactly("a");
    assertThat(ids(Answer.Events.of(b))).containsExactly("a:1");
  }

  @Test
  void readerStartPositionsEveryCoveredChannel() {
    f.publishN("a", 3);
    f.publishN("p.x", 2);
    ChannelReader reader = new ChannelReader(f.store, 1 << 20);
    Subscription s = sub("a", "b", "p.*");
    assertThat(reader.start(s, new Start.Head()).positions())
        .containsExactly(Map.entry("a", 3L), Map.entry("b", 0L), Map.entry("p.x", 2L));
    assertThat(reader.start(s, new Start.Oldest()).positions())
        .containsExactly(Map.entry("a", 0L), Map.entry("b", 0L), Map.entry("p.x", 0L));
    assertThat(reader.start(s, new Start.Head()).epoch()).isEqualTo(f.store.epoch());
    Cursor given = new Cursor("whatever", Map.of());
    assertThat(reader.start(s, new Start.After(given))).isSameAs(given);
  }
}
