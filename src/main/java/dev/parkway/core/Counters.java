package dev.parkway.core;

import java.util.concurrent.atomic.LongAdder;

/** The broker's running totals, for {@code /metrics} and for tests to wait on. Thread-safe. */
public final class Counters {
  public final LongAdder published = new LongAdder();
  public final LongAdder duplicates = new LongAdder();
  public final LongAdder delivered = new LongAdder();
  public final LongAdder answers = new LongAdder();
  public final LongAdder timeouts = new LongAdder();
  public final LongAdder gaps = new LongAdder();
  public final LongAdder superseded = new LongAdder();
  public final LongAdder deletedAnswers = new LongAdder();
  public final LongAdder clientsGone = new LongAdder();
  /** Error answers by status and code; see {@link Rejections}. */
  public final Rejections rejections = new Rejections();
}
