package dev.parkway.store.memory;

import dev.parkway.core.EventStore;
import dev.parkway.core.Names;
import dev.parkway.core.Retention;
import java.time.Clock;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.function.Function;

/**
 * The in-memory store: one {@link ChannelLog} per channel in a sorted concurrent map (so a wildcard finds
 * its channels by range, not by scanning all of them).
 *
 * <p>Its epoch is random per instance: a restart loses every event, and cursors from before it get a gap.
 * Beyond each channel's retention it honours {@link MemoryLimits} (channels that may exist, bytes per
 * channel, bytes in all), through one {@link MemoryBudget}. Thread-safe; appends to different channels
 * never contend, apart from the budget's atomic counters.
 */
public final class RingBufferStore implements EventStore {
  private final ConcurrentSkipListMap<String, ChannelLog> logs = new ConcurrentSkipListMap<>();
  private final Function<String, Retention> retention;
  private final Clock clock;
  private final String epoch;
  private final MemoryBudget budget;
  private volatile ChangeListener listener = new ChangeListener() {
    @Override
    public void appended(String channel, long seq) {}

    @Override
    public void deleted(String channel) {}
  };

  /** One retention rule for every channel. */
  public RingBufferStore(Retention retention, Clock clock) {
    this(channel -> retention, clock);
  }

  /** A retention rule chosen per channel (mailboxes keep their own capacity and TTL). */
  public RingBufferStore(Function<String, Retention> retention, Clock clock) {
    this(retention, clock, MemoryLimits.NONE);
  }

  /** Per-channel retention, and the store-wide {@code limits}. */
  public RingBufferStore(Function<String, Retention> retention, Clock clock, MemoryLimits limits) {
    this.budget = new MemoryBudget(limits);
    this.retention = retention;
    this.clock = clock;
    this.epoch = "m" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
  }

  @Override
  public String epoch() {
    return epoch;
  }

  @Override
  public long now() {
    return clock.millis();
  }

  @Override
  public Appended append(String channel, String data, String idempotencyKey) {
    ChannelLog log = logs.get(channel);
    if (log == null) {
      // Refuse before creating the log, so names refused at the limit leave nothing behind. (A log
      // created by a publish that loses the race for the last place stays, empty: it is one per such
      // race, and the channel's own append admits it later if a place frees up.)
      budget.refuseIfFull();
      log = logs.computeIfAbsent(channel, name -> new ChannelLog(name, budget));
    }
    Appended appended = log.append(data, idempotencyKey, clock, retention.apply(channel));
    if (!appended.duplicate()) {
      budget.evictOver(logs);
      listener.appended(channel, appended.event().seq());
    }
    return appended;
  }

  @Override
  public Slice readAfter(String channel, long afterSeq, int max) {
    ChannelLog log = logs.get(channel);
    if (log == null) {
      return new Slice(List.of(), 1, 0, false);
    }
    return log.readAfter(afterSeq, max, clock.millis(), retention.apply(channel));
  }

  @Override
  public long firstSeqSince(String channel, long sinceMillis) {
    ChannelLog log = logs.get(channel);
    return log == null ? 1 : log.firstSeqSince(sinceMillis, clock.millis(), retention.apply(channel));
  }

  @Override
  public Optional<ChannelStats> stats(String channel) {
    ChannelLog log = logs.get(channel);
    return log == null ? Optional.empty() : Optional.ofNullable(log.stats(clock.millis(), retention.apply(channel)));
  }

  @Override
  public long acknowledge(String channel, long upToSeq) {
    ChannelLog log = logs.get(channel);
    return log == null ? 0 : log.acknowledge(upToSeq);
  }

  @Override
  public boolean delete(String channel) {
    ChannelLog log = logs.get(channel);
    boolean existed = log != null && log.delete();
    if (existed) {
      listener.deleted(channel);
    }
    return existed;
  }

  @Override
  public List<String> channelsUnder(String prefix) {
    return Names.under(logs, prefix, ChannelLog::live);
  }


  @Override
  public void trimExpired() {
    long now = clock.millis();
    logs.forEach((channel, log) -> log.trimExpired(now, retention.apply(channel)));
    budget.compact(logs);
  }

  /** Bytes of events held now, all channels and mailboxes together (for {@code /metrics}). */
  public long bytes() {
    return budget.bytes();
  }

  /** Channels and mailboxes that exist now (deleted ones excluded). */
  public int channelCount() {
    return budget.liveChannels();
  }

  /** Events dropped so far because the store held more than its byte limit. */
  public long evicted() {
    return budget.evicted();
  }

  /**
   * Entries of the append order the byte limit evicts by, stale ones included (diagnostics: it stays
   * proportional to the events held).
   */
  public long appendOrderSize() {
    return budget.queued();
  }

  @Override
  public void setListener(ChangeListener listener) {
    this.listener = listener;
  }

  @Override
  public void close() {
    logs.clear();
  }
}
