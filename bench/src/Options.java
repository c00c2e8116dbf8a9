import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Command-line options of the form {@code --name value}, each with a default; anything else (an
 * unknown name, a missing value, a number out of range) prints the problem and the usage, and exits
 * with code 2. Immutable once parsed.
 */
final class Options {
  private final String tool;
  private final String usage;
  private final Map<String, String> values;

  private Options(String tool, String usage, Map<String, String> values) {
    this.tool = tool;
    this.usage = usage;
    this.values = values;
  }

  /** {@code defaults} names every option the tool knows (without the dashes), in usage order. */
  static Options parse(String tool, String[] args, Map<String, String> defaults) {
    StringBuilder usage = new StringBuilder("usage: java -cp target/bench-tools " + tool);
    defaults.forEach((k, v) -> usage.append(" [--").append(k).append(' ').append(v).append(']'));
    Options o = new Options(tool, usage.toString(), new LinkedHashMap<>(defaults));
    for (int i = 0; i < args.length; i += 2) {
      String name = args[i].startsWith("--") ? args[i].substring(2) : "";
      if (!defaults.containsKey(name)) {
        o.fail("unknown option " + args[i]);
      }
      if (i + 1 >= args.length) {
        o.fail("missing value for " + args[i]);
      }
      o.values.put(name, args[i + 1]);
    }
    return o;
  }

  /** Names and default values, in usage order: {@code defaults("port", "8080", "n", "1000")}. */
  static Map<String, String> defaults(String... pairs) {
    Map<String, String> m = new LinkedHashMap<>();
    for (int i = 0; i < pairs.length; i += 2) {
      m.put(pairs[i], pairs[i + 1]);
    }
    return m;
  }

  String text(String name) {
    return values.get(name);
  }

  int number(String name, int min, int max) {
    try {
      int x = Integer.parseInt(values.get(name));
      if (x >= min && x <= max) {
        return x;
      }
    } catch (NumberFormatException e) {
      // reported below
    }
    fail("--" + name + " must be an integer from " + min + " to " + max);
    return 0;
  }

  void fail(String problem) {
    System.err.println(tool + ": " + problem);
    System.err.println(usage);
    System.exit(2);
  }
}
