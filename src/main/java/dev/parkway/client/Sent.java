package dev.parkway.client;

/**
 * The answer to a mailbox send.
 *
 * @param client the recipient
 * @param seq the message's number in the mailbox
 * @param timestamp when it was accepted, epoch milliseconds
 * @param waiting true when a poll of that client was waiting for it
 */
public record Sent(String client, long seq, long timestamp, boolean waiting) {}
