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

  /** Retention losses this close before a cursor's issue time still count as a gap (clock steps). */
  private static final long LOSS_SLACK_MILLIS = 1000;

  /**
   * The cursor a new poll starts from. A bare seq past a channel's head cannot be from this epoch (a bare
   * seq carries none), so it gets a cursor of {@link Cursor#UNKNOWN_EPOCH} and the read reports a gap.
   */
  public Cursor start(Subscription subscription, Start start) {
    if (start instanceof Start.After after) {
      return after.cursor();
    }
    long issuedAt = store.now(); // before listing channels: anything created later is "after" it
    Map<String, Long> positions = new LinkedHashMap<>();
    String epoch = store.epoch();
    for (String channel : covered(subscription)) {
      EventStore.Slice now = store.readAfter(channel, Long.MAX_VALUE, 0);
      long position;
      if (start instanceof Start.Since since) {
        position = store.firstSeqSince(channel, since.millis()) - 1;
        if (now.lostTimestamp() >= since.millis() && position + 1 <= now.oldest()) {
          position = Math.min(position, now.oldest() - 2); // matching events were dropped: a gap
        }
      } else if (start instanceof Start.AfterSeq afterSeq) {
        position = afterSeq.seq();
        if (position > now.head()) {
          epoch = Cursor.UNKNOWN_EPOCH;
        }
      } else {
        position = start instanceof Start.Oldest ? now.oldest() - 1 : now.head();
      }
      positions.put(channel, position);
    }
    return new Cursor(epoch, issuedAt, positions);
  }

  /**
   * Reads up to {@code limit} events after {@code cursor}.
   *
   * @throws InvalidCursorException if, in the current epoch, the cursor is ahead of a channel's head
   */
  public Batch read(Subscription subscription, Cursor cursor, int limit) {
    if (limit < 1) {
      throw new IllegalArgumentException("limit must be at least 1");
    }
    long issuedAt = store.now(); // before listing channels, as in start()
    boolean sameEpoch = cursor.epoch().equals(store.epoch());
    List<Gap> gaps = new ArrayList<>(0);
    List<Event> candidates = new ArrayList<>();
    Map<String, Long> positions = new LinkedHashMap<>();
    Set<String> live = new HashSet<>();
    boolean more = false;
    for (String channel : covered(subscription)) {
      boolean known = cursor.covers(channel);
      long position = sameEpoch && known ? cursor.position(channel) : 0;
      EventStore.Slice slice = store.readAfter(channel, position, limit);
      if (sameEpoch && position > slice.head()) {
        throw new InvalidCursorException(
            "cursor is ahead of channel " + channel + " (head " + slice.head() + ")");
      }
      if (!sameEpoch && known) {
        // Another epoch: that history is gone, whatever seq the cursor names.
        gaps.add(new Gap(channel, cursor.position(channel) + 1, slice.oldest()));
        position = slice.oldest() - 1;
      } else if (!known) {
        // Created (or re-created, or first matched) after the cursor: every retained event is new,
        // and only what retention dropped since the cursor was issued is missing.
        if (slice.lostTimestamp() >= cursor.issuedAt() - LOSS_SLACK_MILLIS && slice.oldest() > 1) {
          gaps.add(new Gap(channel, 1, slice.oldest())); // the reader wanted the channel from its start
        }
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
      List<Event> read = slice.events();
      more |= read.size() == limit && read.get(limit - 1).seq() < slice.head();
    }
    if (positions.size() > 1) {
      // Merge channels by time; a stable sort keeps each channel's own seq order.
      candidates.sort(Comparator.comparingLong(Event::timestamp));
    }
    List<Event> events = new ArrayList<>(Math.min(limit, candidates.size()));
    long bytes = 0;
    for (Event event : candidates) {
      int size = event.jsonBytes().length;
      if (events.size() == limit || (!events.isEmpty() && bytes + size > maxAnswerBytes)) {
        more = true;
        break;
      }
      bytes += size;
      events.add(event);
      positions.put(event.channel(), event.seq());
    }
    // Nothing moved: answer with the very cursor the reader sent (a timeout says "unchanged"). Its older
    // issue time is still right: no channel it lacks existed before this read began.
    Cursor next =
        sameEpoch && positions.equals(cursor.positions())
            ? cursor
            : new Cursor(store.epoch(), issuedAt, positions);
    return new Batch(events, next, gaps, more, live);
  }

  /**
   * The channels a read covers, in a stable order: the exact channels, then the channels that exist
   * under the patterns now. A deleted channel under a pattern drops out of the cursor; if it is created
   * again it is read as new (see {@link Cursor}), so cursors do not grow with channels long gone.
   */
  private Set<String> covered(Subscription subscription) {
    Set<String> channels = new LinkedHashSet<>(subscription.channels());
    for (String prefix : subscription.prefixes()) {
      channels.addAll(store.channelsUnder(prefix));
    }
    return channels;
  }
}
