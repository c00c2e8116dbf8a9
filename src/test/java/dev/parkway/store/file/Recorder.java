package dev.parkway.store.file;

import dev.parkway.core.EventStore;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** A change listener that writes down what it is told, for assertions. Thread-safe. */
final class Recorder implements EventStore.ChangeListener {
  final List<String> told = new CopyOnWriteArrayList<>();

  @Override
  public void appended(String channel, long seq) {
    told.add("appended " + channel + " " + seq);
  }

  @Override
  public void deleted(String channel) {
    told.add("deleted " + channel);
  }
}
