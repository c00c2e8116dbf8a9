package dev.parkway.metrics;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Reads one sample from the Prometheus text format (tests only). */
public final class MetricsText {
  private MetricsText() {}

  /** The value of the sample {@code name} (with exactly {@code labels}, e.g. {@code {status="400"}}). */
  public static double value(String text, String nameWithLabels) {
    Matcher m =
        Pattern.compile("^" + Pattern.quote(nameWithLabels) + " (\\S+)$", Pattern.MULTILINE).matcher(text);
    if (!m.find()) {
      throw new AssertionError("no sample " + nameWithLabels + " in\n" + text);
    }
    return Double.parseDouble(m.group(1));
  }
}
