package dev.parkway.transport.http;

import jakarta.json.bind.annotation.JsonbPropertyOrder;

/**
 * The JSON bodies Parkway answers with, other than poll answers (which {@link AnswerWriter} builds from
 * events' pre-encoded JSON). Separate from core types so the wire can stay stable while the core moves.
 * Public because JSON-B reads record components reflectively.
 */
public final class Wire {
  private Wire() {}

  @JsonbPropertyOrder({"error", "message"})
  public record Error(String error, String message) {}

  @JsonbPropertyOrder({"channel", "seq", "timestamp", "subscribers"})
  public record Published(String channel, long seq, long timestamp, int subscribers) {}

  @JsonbPropertyOrder({"client", "seq", "timestamp", "waiting"})
  public record Queued(String client, long seq, long timestamp, boolean waiting) {}

  @JsonbPropertyOrder({"channel", "head", "oldest", "buffered", "subscribers"})
  public record ChannelInfo(String channel, long head, long oldest, int buffered, int subscribers) {}

  @JsonbPropertyOrder({"status", "store", "parked"})
  public record Health(String status, String store, int parked) {}
}
