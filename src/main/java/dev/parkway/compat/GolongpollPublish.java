package dev.parkway.compat;

import dev.parkway.transport.http.JsonBody;
import jakarta.json.JsonString;
import jakarta.json.JsonValue;
import jakarta.json.stream.JsonParser;
import java.io.StringReader;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

/**
 * A golongpoll publish body, {@code {"category": "...", "data": <any non-null JSON>}}, read as golongpoll's
 * Go handler reads it: {@code json.NewDecoder(body).Decode(&PublishData{})}.
 *
 * <p>That means: the first JSON value of the body is decoded and anything after it is ignored; {@code null}
 * decodes to an empty struct (so it fails on the category, not as invalid JSON); any other non-object, or
 * a {@code category} that is not a string, is invalid JSON; member names match case-insensitively, the
 * last match winning; other members are ignored; invalid UTF-8 inside strings becomes U+FFFD. The checks
 * then run in golongpoll's order: JSON, category, data.
 *
 * @param category the category to publish to
 * @param data the data as compact JSON text, as it will be stored and echoed
 */
record GolongpollPublish(GolongpollCategory category, String data) {

  /** A body golongpoll would refuse with 400 and this message. */
  static final class Refused extends Exception {
    private static final long serialVersionUID = 1L;

    Refused(String message) {
      super(message, null, false, false);
    }
  }

  static GolongpollPublish parse(byte[] body) throws Refused {
    String category = "";
    JsonValue data = null;
    boolean typeMismatch = false;
    try (JsonParser parser = JsonBody.JSON.createParser(new StringReader(decode(body)))) {
      if (!parser.hasNext()) {
        throw new Refused(GolongpollWire.BODY_ERROR); // Go: EOF
      }
      JsonParser.Event first = parser.next();
      if (first == JsonParser.Event.START_OBJECT) {
        for (JsonParser.Event e = parser.next(); e != JsonParser.Event.END_OBJECT; e = parser.next()) {
          String name = parser.getString(); // e is KEY_NAME: the parser guarantees it inside an object
          parser.next();
          JsonValue value = parser.getValue();
          if (foldEquals(name, "category")) {
            if (value instanceof JsonString s) {
              category = s.getString();
            } else if (value.getValueType() != JsonValue.ValueType.NULL) {
              typeMismatch = true; // Go reports it after decoding the rest, with the same message
            }
          } else if (foldEquals(name, "data")) {
            data = value.getValueType() == JsonValue.ValueType.NULL ? null : value;
          }
        }
      } else if (first != JsonParser.Event.VALUE_NULL) {
        throw new Refused(GolongpollWire.BODY_ERROR); // an array, string, number or boolean
      }
    } catch (RuntimeException e) { // incl. Parsson's plain RuntimeException past its nesting limit
      throw new Refused(GolongpollWire.BODY_ERROR);
    }
    if (typeMismatch) {
      throw new Refused(GolongpollWire.BODY_ERROR);
    }
    GolongpollCategory c = GolongpollCategory.of(category);
    if (c == null) {
      throw new Refused(GolongpollWire.PUBLISH_CATEGORY_ERROR);
    }
    if (data == null) {
      throw new Refused(GolongpollWire.DATA_ERROR);
    }
    // Compact re-encoding: the stored data never holds a line break (SSE frames rely on it).
    return new GolongpollPublish(c, data.toString());
  }

  /** UTF-8, invalid sequences replaced: inside a string Go does the same, outside one it is a syntax error. */
  private static String decode(byte[] body) {
    try {
      return StandardCharsets.UTF_8
          .newDecoder()
          .onMalformedInput(CodingErrorAction.REPLACE)
          .onUnmappableCharacter(CodingErrorAction.REPLACE)
          .decode(ByteBuffer.wrap(body))
          .toString();
    } catch (CharacterCodingException e) {
      throw new IllegalStateException("a replacing decoder does not throw", e);
    }
  }

  /** Go's case-insensitive match of a member name to a field name, for ASCII field names. */
  private static boolean foldEquals(String name, String field) {
    if (name.length() != field.length()) {
      return false;
    }
    for (int i = 0; i < name.length(); i++) {
      char a = name.charAt(i);
      char b = field.charAt(i);
      if (a != b && !(a >= 'A' && a <= 'Z' && a + ('a' - 'A') == b)) {
        return false;
      }
    }
    return true;
  }
}
