package dev.parkway.transport.http;

import jakarta.json.JsonException;
import jakarta.json.JsonValue;
import jakarta.json.spi.JsonProvider;
import jakarta.json.stream.JsonParser;
import jakarta.servlet.http.HttpServletRequest;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.StringReader;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Map;

/**
 * Reads a request body as one JSON value, within a size limit.
 *
 * <p>The limit is checked on {@code Content-Length} before reading anything, and again while reading, so a
 * chunked body (no length) or a lying length cannot make Parkway buffer more than the limit. The body must
 * be {@code application/json} (or a {@code +json} type) in UTF-8, strict: malformed UTF-8 is invalid JSON,
 * not replaced characters. The value is returned re-encoded compactly, so stored data never holds a line
 * break (SSE frames rely on it).
 */
public final class JsonBody {
  /**
   * The JSON-P provider, looked up once. {@code Json.createParser} and the other {@code Json.createX}
   * look it up again on every call through {@link java.util.ServiceLoader}, which scans the class path's
   * jars: that was most of a publish's CPU time (JFR, under wrk).
   */
  public static final JsonProvider JSON = JsonProvider.provider();

  private final int maxBytes;

  public JsonBody(int maxBytes) {
    this.maxBytes = maxBytes;
  }

  /** The body's JSON value as compact text. */
  public String read(HttpServletRequest req) throws IOException {
    return parse(readBytes(req));
  }

  /** The parsed body, for adapters that look inside it. */
  public JsonValue readValue(HttpServletRequest req) throws IOException {
    return parseValue(readBytes(req));
  }

  byte[] readBytes(HttpServletRequest req) throws IOException {
    requireJsonType(req.getContentType());
    return readWithinLimit(req);
  }

  /**
   * The body's bytes, whatever its {@code Content-Type}, for adapters whose originals check no type. The
   * only refusal is the size limit: 413 {@code body_too_large}, thrown on {@code Content-Length} before
   * reading anything, or as soon as the bytes read pass the limit (the rest is left unread).
   */
  public byte[] readWithinLimit(HttpServletRequest req) throws IOException {
    long declared = req.getContentLengthLong();
    if (declared > maxBytes) {
      throw tooLarge();
    }
    ByteArrayOutputStream out = new ByteArrayOutputStream(declared > 0 ? (int) declared : 256);
    byte[] buffer = new byte[8192];
    try (InputStream in = req.getInputStream()) {
      for (int n; (n = in.read(buffer)) != -1; ) {
        if (out.size() + n > maxBytes) {
          throw tooLarge();
        }
        out.write(buffer, 0, n);
      }
    } catch (IOException e) {
      // The body ended before its Content-Length (or a chunk was malformed). If the client is really
      // gone this answer is simply not read; if it only half-closed, it learns why.
      throw new ApiException(
          400,
          "invalid_json",
          "the body ended before its Content-Length, or its chunked encoding is broken",
          java.util.Map.of("Connection", "close"));
    }
    return out.toByteArray();
  }

  public static String parse(byte[] bytes) {
    return parseValue(bytes).toString();
  }

  static JsonValue parseValue(byte[] bytes) {
    String text;
    try {
      text =
          StandardCharsets.UTF_8
              .newDecoder()
              .onMalformedInput(CodingErrorAction.REPORT)
              .onUnmappableCharacter(CodingErrorAction.REPORT)
              .decode(ByteBuffer.wrap(bytes))
              .toString();
    } catch (CharacterCodingException e) {
      throw ApiException.badRequest("invalid_json", "the body is not valid UTF-8");
    }
    if (text.isBlank()) {
      throw ApiException.badRequest("invalid_json", "the body is empty; send one JSON value");
    }
    try (JsonParser parser = JSON.createParser(new StringReader(text))) {
      parser.next();
      JsonValue value = parser.getValue();
      if (parser.hasNext()) { // "1 2": one value, then more (Parsson usually throws here instead)
        throw new JsonException("trailing content");
      }
      return value;
    } catch (RuntimeException e) {
      // JsonException, IllegalStateException, NoSuchElementException, and the plain RuntimeException
      // Parsson throws past its nesting limit ("Input is too deeply nested"): all the client's JSON.
      throw ApiException.badRequest("invalid_json", "the body is not one valid JSON value");
    }
  }

  public ApiException tooLarge() {
    return new ApiException(
        413,
        "body_too_large",
        "the body exceeds " + maxBytes + " bytes (parkway.body.max)",
        Map.of("Connection", "close"));
  }

  public static void requireJsonType(String contentType) {
    if (contentType == null) {
      throw unsupported();
    }
    String[] parts = contentType.toLowerCase(Locale.ROOT).split(";");
    if (parts.length == 0) { // ";" alone splits into nothing
      throw unsupported();
    }
    String type = parts[0].trim();
    if (!type.equals("application/json") && !(type.startsWith("application/") && type.endsWith("+json"))) {
      throw unsupported();
    }
    for (int i = 1; i < parts.length; i++) {
      String param = parts[i].trim();
      if (param.startsWith("charset=")) {
        String charset = param.substring(8).replace("\"", "");
        if (!charset.equals("utf-8") && !charset.equals("utf8")) {
          throw new ApiException(415, "unsupported_media_type", "JSON bodies must be UTF-8");
        }
      }
    }
  }

  private static ApiException unsupported() {
    return new ApiException(
        415, "unsupported_media_type", "send the body as Content-Type: application/json");
  }
}
