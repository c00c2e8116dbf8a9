package dev.parkway.core;

/**
 * The result of a publish: the stored event (the original one for a repeated idempotency key), whether it
 * was such a repeat, and how many waiters covered the channel when it was stored.
 */
public record Published(Event event, boolean duplicate, int subscribers) {}
