package dev.parkway.core;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A {@link PollResponder} that keeps every answer it is given. Being answered twice is the bug these tests
 * hunt, so a second call both throws (failing the thread that made it, when that is the test's) and is
 * recorded (so a call made on a pool thread, whose exception nobody sees, still fails the test through
 * {@link #single()} or {@link #calls()}). Thread-safe.
 */
public final class RecordingResponder implements PollResponder {
  private final List<Answer> answers = new CopyOnWriteArrayList<>();

  @Override
  public void answer(Answer answer) {
    answers.add(answer);
    if (answers.size() > 1) {
      throw new AssertionError("poll answered more than once: " + answers);
    }
  }

  public int calls() {
    return answers.size();
  }

  public boolean answered() {
    return !answers.isEmpty();
  }

  public List<Answer> answers() {
    return List.copyOf(answers);
  }

  /** The one answer; fails if there was none or more than one. */
  public Answer single() {
    List<Answer> got = answers();
    if (got.size() != 1) {
      throw new AssertionError("expected exactly one answer, got " + got);
    }
    return got.get(0);
  }

  /** The one answer, which must be an {@link Answer.Events}. */
  public Answer.Events events() {
    Answer a = single();
    if (!(a instanceof Answer.Events e)) {
      throw new AssertionError("expected Events, got " + a);
    }
    return e;
  }
}
