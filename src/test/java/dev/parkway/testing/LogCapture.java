package dev.parkway.testing;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

/**
 * Captures what one logger says during a test instead of printing it (tests stay quiet), so a test can
 * assert what was logged. Close it to restore the logger. Thread-safe.
 */
public final class LogCapture extends Handler implements AutoCloseable {
  /** Each record as {@code "<LEVEL> <message>"} (then its exception, if any), in the order logged. */
  public final List<String> messages = new CopyOnWriteArrayList<>();
  private final Logger logger;
  private final boolean parents;
  private final Level level;

  /** What {@code source}'s logger says at INFO and above. */
  public LogCapture(Class<?> source) {
    this(source.getName(), Level.INFO);
  }

  /** What the logger named {@code name} says at {@code lowest} and above. */
  public LogCapture(String name, Level lowest) {
    this.logger = Logger.getLogger(name);
    this.parents = logger.getUseParentHandlers();
    this.level = logger.getLevel();
    logger.setUseParentHandlers(false);
    logger.setLevel(lowest);
    logger.addHandler(this);
  }

  /** How many captured messages contain {@code fragment}. */
  public long count(String fragment) {
    return messages.stream().filter(m -> m.contains(fragment)).count();
  }

  @Override
  public void publish(LogRecord record) {
    // With the exception logged, if any: a start-up refusal's reason is often only there.
    Throwable thrown = record.getThrown();
    messages.add(record.getLevel() + " " + record.getMessage() + (thrown == null ? "" : " " + thrown));
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
