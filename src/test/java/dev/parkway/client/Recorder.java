package dev.parkway.client;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

/** A listener that records every call, for assertions from the test thread. */
class Recorder implements SubscriptionListener {
  final List<Event> events = new CopyOnWriteArrayList<>();
  final List<Gap> gaps = new CopyOnWriteArrayList<>();
  final List<Throwable> errors = new CopyOnWriteArrayList<>();
  final AtomicInteger closedCalls = new AtomicInteger();
  final AtomicInteger superseded = new AtomicInteger();
  final AtomicReference<Throwable> closedCause = new AtomicReference<>();
  final AtomicReference<Thread> thread = new AtomicReference<>();

  @Override
  public void onEvent(Event event) throws Exception {
    thread.set(Thread.currentThread());
    events.add(event);
  }

  @Override
  public void onGap(Gap gap) {
    thread.set(Thread.currentThread());
    gaps.add(gap);
  }

  @Override
  public void onError(Throwable error) {
    thread.set(Thread.currentThread());
    errors.add(error);
  }

  @Override
  public void onSuperseded() {
    superseded.incrementAndGet();
  }

  @Override
  public void onClosed(Throwable cause) {
    closedCause.set(cause);
    closedCalls.incrementAndGet();
  }

  List<Long> seqs() {
    return events.stream().map(Event::seq).toList();
  }
}
