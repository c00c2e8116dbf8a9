package dev.parkway.client;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.Iterator;
import java.util.Map;

/**
 * Minimal JSON helpers, so the client needs no JSON library.
 *
 * <p>{@link #parse} reads strictly (RFC 8259) into plain Java values: {@code Map<String, Object>} (keeps
 * key order, unmodifiable), {@code List<Object>} (unmodifiable), {@code String}, {@code Long} (or
 * {@code BigInteger}) for whole numbers, {@code BigDecimal} for the rest, {@code Boolean}, and
 * {@code null}. {@link #write} and {@link #quote} do the reverse, for building a publish body.
 */
public final class Json {
  private Json() {}

  /**
   * Parses one JSON text.
   *
   * @throws JsonException if the text is not exactly one valid JSON value
   */
  public static Object parse(String text) {
    return JsonReader.parse(text);
  }

  /** The JSON string literal for {@code s}, quotes included: {@code quote("a\"b")} is {@code "a\"b"}. */
  public static String quote(String s) {
    StringBuilder sb = new StringBuilder(s.length() + 2);
    appendString(sb, s);
    return sb.toString();
  }

  /**
   * Writes a value made of {@code Map} (String keys), {@code Iterable} (not Java arrays),
   * {@code CharSequence}, {@code Number}, {@code Boolean} and {@code null} as compact JSON.
   *
   * @throws IllegalArgumentException for any other type, or a non-finite double
   */
  public static String write(Object value) {
    StringBuilder sb = new StringBuilder();
    write(sb, value);
    return sb.toString();
  }

  private static void write(StringBuilder sb, Object value) {
    if (value == null) {
      sb.append("null");
    } else if (value instanceof CharSequence) {
      appendString(sb, value.toString());
    } else if (value instanceof Boolean) {
      sb.append(value);
    } else if (value instanceof Double || value instanceof Float) {
      double d = ((Number) value).doubleValue();
      if (Double.isNaN(d) || Double.isInfinite(d)) {
        throw new IllegalArgumentException("JSON has no " + d);
      }
      sb.append(BigDecimal.valueOf(d).stripTrailingZeros().toString());
    } else if (value instanceof BigDecimal || value instanceof BigInteger || value instanceof Long
        || value instanceof Integer || value instanceof Short || value instanceof Byte) {
      sb.append(value);
    } else if (value instanceof Map) {
      sb.append('{');
      boolean first = true;
      for (Map.Entry<?, ?> e : ((Map<?, ?>) value).entrySet()) {
        if (!(e.getKey() instanceof String)) {
          throw new IllegalArgumentException("JSON object keys must be strings");
        }
        if (!first) {
          sb.append(',');
        }
        first = false;
        appendString(sb, (String) e.getKey());
        sb.append(':');
        write(sb, e.getValue());
      }
      sb.append('}');
    } else if (value instanceof Iterable) {
      sb.append('[');
      Iterator<?> it = ((Iterable<?>) value).iterator();
      while (it.hasNext()) {
        write(sb, it.next());
        if (it.hasNext()) {
          sb.append(',');
        }
      }
      sb.append(']');
    } else {
      throw new IllegalArgumentException("cannot write " + value.getClass().getName() + " as JSON");
    }
  }

  private static void appendString(StringBuilder sb, String s) {
    sb.append('"');
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      switch (c) {
        case '"': sb.append("\\\""); break;
        case '\\': sb.append("\\\\"); break;
        case '\n': sb.append("\\n"); break;
        case '\r': sb.append("\\r"); break;
        case '\t': sb.append("\\t"); break;
        case '\b': sb.append("\\b"); break;
        case '\f': sb.append("\\f"); break;
        default:
          if (c < 0x20 || c == '\u2028' || c == '\u2029') {
            sb.append(String.format("\\u%04x", (int) c));
          } else {
            sb.append(c);
          }
      }
    }
    sb.append('"');
  }
}
