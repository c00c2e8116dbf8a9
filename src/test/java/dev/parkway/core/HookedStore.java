package dev.parkway.core;

import java.util.List;
import java.util.Optional;

/**
 * An {@link EventStore} that delegates everything to another one and lets a test run code right after a
 * {@link #readAfter} has read (so a publish, a deletion or a whole executor run can be made to land between a
 * poll's read and its next step). Composition, not a subclass: the store under it is the real one.
 */
public final class HookedStore implements EventStore {
  /** Called after each read, on the reading thread, with the result it is about to return. */
  @FunctionalInterface
  public interface ReadHook {
    void afterRead(String channel, long afterSeq, Slice result);
  }

  /** Called before each read, on the reading thread. */
  @FunctionalInterface
  public interface BeforeReadHook {
    void beforeRead(String channel, long afterSeq);
  }

  private final EventStore delegate;
  private volatile BeforeReadHook beforeRead = (channel, afterSeq) -> {};
  private volatile ReadHook afterRead = (channel, afterSeq, result) -> {};

  public HookedStore(EventStore delegate) {
    this.delegate = delegate;
  }

  public void afterRead(ReadHook hook) {
    this.afterRead = hook;
  }

  public void beforeRead(BeforeReadHook hook) {
    this.beforeRead = hook;
  }

  @Override
  public Slice readAfter(String channel, long afterSeq, int max) {
    beforeRead.beforeRead(channel, afterSeq);
    Slice slice = delegate.readAfter(channel, afterSeq, max);
    afterRead.afterRead(channel, afterSeq, slice);
    return slice;
  }

  @Override
  public String epoch() {
    return delegate.epoch();
  }

  @Override
  public Appended append(String channel, String data, String idempotencyKey) {
    return delegate.append(channel, data, idempotencyKey);
  }

  @Override
  public long firstSeqSince(String channel, long sinceMillis) {
    return delegate.firstSeqSince(channel, sinceMillis);
  }

  @Override
  public Optional<ChannelStats> stats(String channel) {
    return delegate.stats(channel);
  }

  @Override
  public boolean delete(String channel) {
    return delegate.delete(channel);
  }

  @Override
  public List<String> channelsUnder(String prefix) {
    return delegate.channelsUnder(prefix);
  }

  @Override
  public void trimExpired() {
    delegate.trimExpired();
  }

  @Override
  public void setListener(ChangeListener listener) {
    delegate.setListener(listener);
  }

  @Override
  public long acknowledge(String channel, long upToSeq) {
    return delegate.acknowledge(channel, upToSeq);
  }

  @Override
  public long now() {
    return delegate.now();
  }

  @Override
  public boolean healthy() {
    return delegate.healthy();
  }

  @Override
  public void close() {
    delegate.close();
  }
}
