package dev.parkway.compat;

import dev.parkway.config.Config;
import dev.parkway.core.Broker;
import dev.parkway.core.Mailboxes;
import dev.parkway.core.Timer;
import dev.parkway.transport.http.JsonBody;
import dev.parkway.transport.http.JsonWriter;
import dev.parkway.transport.http.PollHandler;
import jakarta.json.bind.Jsonb;

/**
 * What every compatibility route is built from: the same broker, mailboxes, parking path and JSON
 * helpers as the native API. Adapters hold no state of their own beyond what this gives them.
 */
public record CompatContext(
    Broker broker,
    Mailboxes mailboxes,
    Config config,
    PollHandler polls,
    JsonBody body,
    JsonWriter json,
    Jsonb jsonb,
    Timer timer) {

  public Config.Compat settings() {
    return config.compat();
  }
}
