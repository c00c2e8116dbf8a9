package dev.parkway.core;

/**
 * One poll, as validated by the transport.
 *
 * @param clientId null for an anonymous poll; otherwise a newer poll with the same id supersedes this one
 * @param timeoutMillis how long to park; 0 answers at once
 */
public record PollRequest(
    Subscription subscription, Start start, long timeoutMillis, int limit, String clientId) {}
