package dev.parkway.store.file;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

/**
 * Captures what one logger says at INFO and above during a test instead of printing it (tests stay
 * quiet), so a test can assert what was logged. Close it to restore the logger. Thread-safe.
 */
final class LogCapture extends Handler implements AutoCloseable {
  final List<String> messages = new CopyOnWriteArrayList<>();
  private final Logger logger;
  private final boolean parents;
  private final Level level;

  LogCapture(Class<?> source) {
    this.logger = Logger.getLogger(source.getName());
    this.parents = logger.getUseParentHandlers();
    this.level = logger.getLevel();
    logger.setUseParentHandlers(false);
    logger.setLevel(Level.INFO);
    logger.addHandler(this);
  }

  @Override
  public void publish(LogRecord record) {
    messages.add(record.getLevel() + " " + record.getMessage());
  }

  @Override
  public void flush() {}

  @Override
  public void close() {
    logger.removeHandler(this);
    logger.setUseParentHandlers(parents);
    logger.setLevel(level);
  }
}
