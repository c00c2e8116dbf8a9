package dev.parkway.store.file;

/**
 * Everything about a channel except its events, as a STATE record carries it. Every field only ever
 * grows, so records merge by taking the larger of each field ({@link JournalChannel#applyState}), in
 * any order and any number of times: a STATE record written a little ahead of, or behind, the APPEND records around it
 * says nothing false. That is what lets the journal restate every channel at any moment without
 * stopping publishers, and then delete old segments (see {@link Housekeeping}).
 *
 * @param head the highest seq ever assigned
 * @param lastTimestamp the newest event's timestamp (timestamps never decrease within a channel)
 * @param droppedThrough every event with a seq up to this one is gone (trimmed, acknowledged or deleted)
 * @param lostSeq the newest event retention dropped (0: none), with its timestamp {@code lostTimestamp}
 * @param ackedThrough the highest seq a reader acknowledged (mailboxes)
 * @param deletedThrough the head when the channel was last deleted (0: never); the channel exists while
 *     {@code head > deletedThrough}
 */
record ChannelMarks(
    long head,
    long lastTimestamp,
    long droppedThrough,
    long lostSeq,
    long lostTimestamp,
    long ackedThrough,
    long deletedThrough) {}
