package dev.parkway.store.redis;

import dev.parkway.core.EventStore;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** A change listener that records what it was told, in order ({@code resync} included). Thread-safe. */
final class Told implements EventStore.ChangeListener {
  final List<String> lines = new CopyOnWriteArrayList<>();

  @Override
  public void appended(String channel, long seq) {
    lines.add("appended " + channel + " " + seq);
  }

  @Override
  public void deleted(String channel) {
    lines.add("deleted " + channel);
  }

  @Override
  public void resync() {
    lines.add("resync");
  }

  long resyncs() {
    return lines.stream().filter("resync"::equals).count();
  }
}
