package dev.parkway.core;

/**
 * Events a reader asked for that are gone: it wanted {@code requested} onwards, and the oldest the store
 * still holds is {@code oldest}. Delivery goes on from {@code oldest}; a gap is never skipped silently.
 */
public record Gap(String channel, long requested, long oldest) {}
