package dev.parkway.client;

/**
 * The answer to a publish.
 *
 * @param channel the channel
 * @param seq the event's number (for a repeat of an Idempotency-Key: the original's)
 * @param timestamp the event's time, epoch milliseconds
 * @param subscribers polls that the event woke (0 for a repeat)
 * @param repeated true when the server recognised the Idempotency-Key and stored nothing new (200)
 */
public record Published(String channel, long seq, long timestamp, int subscribers, boolean repeated) {}
