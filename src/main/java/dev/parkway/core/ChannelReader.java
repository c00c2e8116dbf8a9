package dev.parkway.core;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Turns a subscription and a position into a {@link Batch}: resolves where a poll starts, expands
 * patterns, detects gaps and cursors from another epoch, and merges channels into one ordered answer.
 *
 * <p>This is the one read path: an immediate poll, a woken waiter, a stream resuming, all come through
 * {@link #read}. Stateless apart from the store; thread-safe.
 */
public final class ChannelReader {
  private final EventStore store;
  private final int maxAnswerBytes;

  /**
   * @param maxAnswerBytes an answer stops adding events once their JSON passes this many bytes (it always
   *     holds at least one event), and says {@code more}
   */
  public ChannelReader(EventStore store, int maxAnswerBytes) {
    this.store = store;
    this.maxAnswerBytes = maxAnswerBytes;
  }

  /**
   * The cursor a new poll starts from.
   *
   * @throws InvalidCursorException for an {@code AfterSeq} past the head (only valid on one channel)
   */
  public Cursor start(Subscription subscription, Start start) {
    if (start instanceof Start.After after) {
      return after.cursor();
    }
    Map<String, Long> positions = new LinkedHashMap<>();
    for (String channel : covered(subscription, null)) {
      long position;
      if (start instanceof Start.Since since) {
        position = store.firstSeqSince(channel, since.millis()) - 1;
      } else if (start instanceof Start.AfterSeq afterSeq) {
        position = afterSeq.seq();
      } else {
        EventStore.Slice now = store.readAfter(channel, Long.MAX_VALUE, 0);
        position = start instanceof Start.Oldest ? now.oldest() - 1 : now.head();
      }
      positions.put(channel, position);
    }
    return new Cursor(store.epoch(), positions);
  }

  /**
   * Reads up to {@code limit} events after {@code cursor}.
   *
   * @throws InvalidCursorException if, in the current epoch, the cursor is ahead of a channel's head
   */
  public Batch read(Subscription subscription, Cursor cursor, int limit) {
    boolean sameEpoch = cursor.epoch().equals(store.epoch());
    List<Gap> gaps = new ArrayList<>(0);
    List<Event> candidates = new ArrayList<>();
    Map<String, Long> positions = new LinkedHashMap<>();
    Set<String> live = new HashSet<>();
    Set<String> full = new HashSet<>();
    for (String channel : covered(subscription, cursor)) {
      long position = sameEpoch ? cursor.position(channel) : 0;
      EventStore.Slice slice = store.readAfter(channel, position, limit);
      if (sameEpoch && position > slice.head()) {
        throw new InvalidCursorException(
            "cursor is ahead of channel " + channel + " (head " + slice.head() + ")");
      }
      if (!sameEpoch && cursor.covers(channel)) {
        // Another epoch: that history is gone, whatever seq the cursor names.
        gaps.add(new Gap(channel, cursor.position(channel) + 1, slice.oldest()));
        position = slice.oldest() - 1;
      } else if (position + 1 < slice.oldest()) {
        gaps.add(new Gap(channel, position + 1, slice.oldest()));
        position = slice.oldest() - 1;
      }
      if (slice.exists()) {
        live.add(channel);
      }
      positions.put(channel, position);
      candidates.addAll(slice.events());
      if (slice.events().size() == limit && slice.events().get(limit - 1).seq() < slice.head()) {
        full.add(channel);
      }
    }
    if (positions.size() > 1) {
      // Merge channels by time; a stable sort keeps each channel's own seq order.
      candidates.sort(Comparator.comparingLong(Event::timestamp));
    }
    List<Event> events = new ArrayList<>(Math.min(limit, candidates.size()));
    long bytes = 0;
    for (Event event : candidates) {
      if (events.size() == limit || (!events.isEmpty() && bytes + event.jsonBytes().length > maxAnswerBytes)) {
        break;
      }
      bytes += event.jsonBytes().length;
      events.add(event);
      positions.put(event.channel(), event.seq());
    }
    boolean more = events.size() < candidates.size() || !full.isEmpty();
    Cursor next = new Cursor(store.epoch(), positions);
    return new Batch(events, next, gaps, more, live);
  }

  /**
   * The channels a read covers, in a stable order: the exact channels, then the channels the cursor
   * already knows under the patterns (deleted ones included, so their position survives a re-creation),
   * then the channels that exist under the patterns now.
   */
  private Set<String> covered(Subscription subscription, Cursor cursor) {
    Set<String> channels = new LinkedHashSet<>(subscription.channels());
    if (!subscription.prefixes().isEmpty()) {
      if (cursor != null) {
        for (String known : cursor.positions().keySet()) {
          if (subscription.matches(known)) {
            channels.add(known);
          }
        }
      }
      for (String prefix : subscription.prefixes()) {
        channels.addAll(store.channelsUnder(prefix));
      }
    }
    return channels;
  }
}
