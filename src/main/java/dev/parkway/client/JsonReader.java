package dev.parkway.client;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A small, strict pull reader for JSON (RFC 8259): objects, arrays, strings with escapes, numbers,
 * {@code true}, {@code false}, {@code null}. Nothing else is accepted (no comments, no trailing commas,
 * no leading zeros, no NaN). Not thread-safe; one instance reads one text.
 */
final class JsonReader {
  private static final int MAX_DEPTH = 512;

  private final String text;
  private int pos;
  private int depth;
  private boolean[] first = new boolean[16];

  JsonReader(String text) {
    if (text == null) {
      throw new JsonException("no text", 0);
    }
    this.text = text;
  }

  /** Reads one whole JSON text: exactly one value, surrounded only by whitespace. */
  static Object parse(String text) {
    JsonReader reader = new JsonReader(text);
    Object value = reader.readValue();
    reader.finish();
    return value;
  }

  int position() {
    return pos;
  }

  /** Fails unless only whitespace remains. */
  void finish() {
    ws();
    if (pos != text.length()) {
      throw error("unexpected text after the JSON value");
    }
  }

  /** Reads any value: Map (ordered), List, String, Long/BigInteger/BigDecimal, Boolean or null. */
  Object readValue() {
    ws();
    char c = peek();
    switch (c) {
      case '{':
        return readObject();
      case '[':
        return readArray();
      case '"':
        return readString();
      case 't':
        literal("true");
        return Boolean.TRUE;
      case 'f':
        literal("false");
        return Boolean.FALSE;
      case 'n':
        literal("null");
        return null;
      default:
        if (c == '-' || (c >= '0' && c <= '9')) {
          return readNumber();
        }
        throw error("unexpected character '" + printable(c) + "'");
    }
  }

  /** Reads one value and returns its exact text (without surrounding whitespace). */
  String readRaw() {
    ws();
    int start = pos;
    readValue();
    return text.substring(start, pos);
  }

  private Map<String, Object> readObject() {
    Map<String, Object> map = new LinkedHashMap<>();
    beginObject();
    String key;
    while ((key = nextKey()) != null) {
      Object value = readValue();
      map.remove(key); // a repeated key keeps the last value
      map.put(key, value);
    }
    return Collections.unmodifiableMap(map);
  }

  private List<Object> readArray() {
    List<Object> list = new ArrayList<>();
    beginArray();
    while (nextElement()) {
      list.add(readValue());
    }
    return Collections.unmodifiableList(list);
  }

  void beginObject() {
    ws();
    expect('{');
    push();
  }

  /** The next key of the current object (the ':' consumed), or null when the object ended. */
  String nextKey() {
    ws();
    if (peek() == '}') {
      pos++;
      pop();
      return null;
    }
    if (!takeFirst()) {
      expect(',');
      ws();
    }
    if (peek() != '"') {
      throw error("expected a string key");
    }
    String key = readString();
    ws();
    expect(':');
    return key;
  }

  void beginArray() {
    ws();
    expect('[');
    push();
  }

  /** True if another element follows (the ',' consumed); false when the array ended. */
  boolean nextElement() {
    ws();
    if (peek() == ']') {
      pos++;
      pop();
      return false;
    }
    if (!takeFirst()) {
      expect(',');
    }
    return true;
  }

  String readString() {
    ws();
    expect('"');
    StringBuilder sb = null;
    int start = pos;
    while (true) {
      if (pos >= text.length()) {
        throw error("unterminated string");
      }
      char c = text.charAt(pos);
      if (c == '"') {
        String s = sb == null ? text.substring(start, pos) : sb.append(text, start, pos).toString();
        pos++;
        return s;
      }
      if (c < 0x20) {
        throw error("control character in string");
      }
      if (c == '\\') {
        if (sb == null) {
          sb = new StringBuilder();
        }
        sb.append(text, start, pos);
        pos++;
        if (pos >= text.length()) {
          throw error("unterminated escape");
        }
        char e = text.charAt(pos++);
        switch (e) {
          case '"': sb.append('"'); break;
          case '\\': sb.append('\\'); break;
          case '/': sb.append('/'); break;
          case 'b': sb.append('\b'); break;
          case 'f': sb.append('\f'); break;
          case 'n': sb.append('\n'); break;
          case 'r': sb.append('\r'); break;
          case 't': sb.append('\t'); break;
          case 'u': sb.append(hex4()); break;
          default:
            pos--;
            throw error("invalid escape '\\" + printable(e) + "'");
        }
        start = pos;
      } else {
        pos++;
      }
    }
  }

  private char hex4() {
    if (pos + 4 > text.length()) {
      throw error("truncated \\u escape");
    }
    int v = 0;
    for (int i = 0; i < 4; i++) {
      int d = Character.digit(text.charAt(pos), 16);
      if (d < 0) {
        throw error("invalid \\u escape");
      }
      v = v * 16 + d;
      pos++;
    }
    return (char) v;
  }

  long readLong() {
    ws();
    Object n = readValue();
    if (n instanceof Long) {
      return (Long) n;
    }
    throw error("expected a whole number");
  }

  boolean readBoolean() {
    Object b = readValue();
    if (b instanceof Boolean) {
      return (Boolean) b;
    }
    throw error("expected true or false");
  }

  String readStringValue() {
    ws();
    if (peek() != '"') {
      throw error("expected a string");
    }
    return readString();
  }

  private Number readNumber() {
    int start = pos;
    if (peek() == '-') {
      pos++;
    }
    if (peek() == '0') {
      pos++;
    } else if (isDigit(peek())) {
      digits();
    } else {
      throw error("invalid number");
    }
    boolean integral = true;
    if (pos < text.length() && text.charAt(pos) == '.') {
      pos++;
      if (!isDigit(peek())) {
        throw error("a digit must follow the decimal point");
      }
      digits();
      integral = false;
    }
    if (pos < text.length() && (text.charAt(pos) == 'e' || text.charAt(pos) == 'E')) {
      pos++;
      if (peek() == '+' || peek() == '-') {
        pos++;
      }
      if (!isDigit(peek())) {
        throw error("a digit must follow the exponent");
      }
      digits();
      integral = false;
    }
    String s = text.substring(start, pos);
    if (integral) {
      if (s.length() < 19) {
        return Long.parseLong(s);
      }
      BigInteger big = new BigInteger(s);
      return big.bitLength() < 64 ? (Number) big.longValue() : big;
    }
    return new BigDecimal(s);
  }

  private void digits() {
    while (pos < text.length() && isDigit(text.charAt(pos))) {
      pos++;
    }
  }

  private static boolean isDigit(char c) {
    return c >= '0' && c <= '9';
  }

  private void literal(String word) {
    if (!text.startsWith(word, pos)) {
      throw error("invalid literal");
    }
    pos += word.length();
  }

  private void push() {
    if (depth >= MAX_DEPTH) {
      throw error("nested deeper than " + MAX_DEPTH + " levels");
    }
    if (depth == first.length) {
      first = java.util.Arrays.copyOf(first, depth * 2);
    }
    first[depth++] = true;
  }

  private void pop() {
    depth--;
  }

  private boolean takeFirst() {
    boolean f = first[depth - 1];
    first[depth - 1] = false;
    return f;
  }

  private void ws() {
    while (pos < text.length()) {
      char c = text.charAt(pos);
      if (c == ' ' || c == '\t' || c == '\n' || c == '\r') {
        pos++;
      } else {
        return;
      }
    }
  }

  private char peek() {
    if (pos >= text.length()) {
      throw error("unexpected end of text");
    }
    return text.charAt(pos);
  }

  private void expect(char c) {
    if (peek() != c) {
      throw error("expected '" + c + "' but found '" + printable(text.charAt(pos)) + "'");
    }
    pos++;
  }

  private static String printable(char c) {
    return c < 0x20 || c > 0x7e ? String.format("\\u%04x", (int) c) : String.valueOf(c);
  }

  private JsonException error(String message) {
    return new JsonException(message, pos);
  }
}
