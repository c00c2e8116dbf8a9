package dev.parkway.compat;

import dev.parkway.core.Event;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * golongpoll's bytes on the wire (docs/compatibility.md, golongpoll): its headers, its fixed error strings,
 * and its JSON forms, written exactly as golongpoll v1.3.1 writes them.
 *
 * <p>golongpoll builds its answers with Go's {@code json.Marshal}, which is compact and HTML-safe, and its
 * error bodies with literal strings that have a space after the colon ({@code {"error": "..."}}). Both are
 * reproduced here byte for byte; {@link #string} is Go's string encoder. Stateless; thread-safe.
 */
final class GolongpollWire {
  static final String TIMEOUT_ERROR = "Invalid or missing 'timeout' arg.  Must be 1-%d.";
  static final String CATEGORY_ERROR = "Invalid subscription category, must be 1-1024 characters long.";
  static final String SINCE_TIME_ERROR = "Invalid 'since_time' arg.";
  static final String LAST_ID_WITHOUT_SINCE_ERROR = "Must provide 'since_time' arg when providing 'last_id'.";
  static final String LAST_ID_ERROR = "Param 'last_id' was not a valid UUID.";

  static final String METHOD_ERROR = "Invalid HTTP Method. Only POST allowed.";
  static final String BODY_ERROR = "Invalid POST body json.";
  static final String PUBLISH_CATEGORY_ERROR =
      "Invalid or missing 'category' arg, must be 1-1024 characters long.";
  static final String DATA_ERROR = "Invalid or missing 'data' arg, must be non-nil.";

  private static final byte[] SUCCESS = "{\"success\": true}".getBytes(StandardCharsets.US_ASCII);
  private static final char[] HEX = "0123456789abcdef".toCharArray();

  private GolongpollWire() {}

  /** The headers golongpoll's subscription handler sets on every answer, errors included. */
  static void subscribeHeaders(HttpServletResponse resp) {
    // No charset parameter: golongpoll sends exactly "application/json". Tomcat adds none as long as no
    // character encoding is set and the body goes through the output stream, never getWriter().
    resp.setContentType("application/json");
    resp.setHeader("X-Content-Type-Options", "nosniff");
    resp.setHeader("Cache-Control", "no-cache, no-store, must-revalidate");
    resp.setHeader("Pragma", "no-cache");
    resp.setHeader("Expires", "0");
  }

  /** The headers golongpoll's publish handler sets on every answer, errors included. */
  static void publishHeaders(HttpServletResponse resp) {
    resp.setContentType("application/json");
    resp.setHeader("X-Content-Type-Options", "nosniff");
  }

  /** {@code {"error": "<message>"}}, golongpoll's error body (the messages hold nothing to escape). */
  static String error(String message) {
    return "{\"error\": \"" + message + "\"}";
  }

  static byte[] success() {
    return SUCCESS.clone();
  }

  /** {@code {"timeout":"no events before timeout","timestamp":<ms>}}. */
  static String timeout(long timestamp) {
    return "{\"timeout\":\"no events before timeout\",\"timestamp\":" + timestamp + '}';
  }

  /**
   * {@code {"events":[{"timestamp":..,"category":..,"data":..,"id":..},...]}}, in golongpoll's member order.
   * Every event is of the one category the poll asked for.
   *
   * @param categoryJson the category as a JSON string literal ({@link #string})
   * @param epoch the store's epoch, for the event ids ({@link EventIds})
   * @param key the store channel the category maps to
   */
  static String events(List<Event> events, String categoryJson, String epoch, String key) {
    StringBuilder sb = new StringBuilder(32 + events.size() * (96 + categoryJson.length()));
    sb.append("{\"events\":[");
    for (int i = 0; i < events.size(); i++) {
      Event event = events.get(i);
      if (i > 0) {
        sb.append(',');
      }
      sb.append("{\"timestamp\":").append(event.timestamp())
          .append(",\"category\":").append(categoryJson)
          .append(",\"data\":").append(event.data())
          .append(",\"id\":\"").append(EventIds.of(epoch, key, event.seq())).append("\"}");
    }
    return sb.append("]}").toString();
  }

  /**
   * A JSON string literal exactly as Go's {@code encoding/json} writes it (Go 1.22 and later): {@code "}
   * and {@code \} escaped, {@code \b \f \n \r \t} in their short forms, other control characters and the
   * HTML-sensitive {@code < > &} as six-character backslash-u escapes (lower-case hex), U+2028 and U+2029 escaped, and an
   * unpaired surrogate (which Go would see as invalid UTF-8) as the escape of U+FFFD. Everything else raw.
   */
  static String string(String s) {
    StringBuilder sb = new StringBuilder(s.length() + 2);
    sb.append('"');
    for (int i = 0; i < s.length(); i++) {
      char ch = s.charAt(i);
      switch (ch) {
        case '"' -> sb.append("\\\"");
        case '\\' -> sb.append("\\\\");
        case '\b' -> sb.append("\\b");
        case '\f' -> sb.append("\\f");
        case '\n' -> sb.append("\\n");
        case '\r' -> sb.append("\\r");
        case '\t' -> sb.append("\\t");
        case '<', '>', '&', '\u2028', '\u2029' -> unicodeEscape(sb, ch);
        default -> {
          if (ch < 0x20) {
            unicodeEscape(sb, ch);
          } else if (Character.isHighSurrogate(ch)
              && i + 1 < s.length()
              && Character.isLowSurrogate(s.charAt(i + 1))) {
            sb.append(ch).append(s.charAt(++i));
          } else if (Character.isSurrogate(ch)) {
            sb.append("\\ufffd");
          } else {
            sb.append(ch);
          }
        }
      }
    }
    return sb.append('"').toString();
  }

  private static void unicodeEscape(StringBuilder sb, char ch) {
    sb.append("\\u")
        .append(HEX[(ch >> 12) & 0xF])
        .append(HEX[(ch >> 8) & 0xF])
        .append(HEX[(ch >> 4) & 0xF])
        .append(HEX[ch & 0xF]);
  }

  /** Writes {@code body} with {@code status}; the route's headers must already be set. */
  static void write(HttpServletResponse resp, int status, String body) throws IOException {
    write(resp, status, body.getBytes(StandardCharsets.UTF_8));
  }

  static void write(HttpServletResponse resp, int status, byte[] body) throws IOException {
    resp.setStatus(status);
    resp.setContentLength(body.length);
    resp.getOutputStream().write(body);
  }
}
