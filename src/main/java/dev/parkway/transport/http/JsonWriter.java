package dev.parkway.transport.http;

import dev.parkway.core.Rejections;
import jakarta.json.bind.Jsonb;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.charset.StandardCharsets;

/**
 * Writes JSON responses with the headers every Parkway answer carries. Holds the application's one JSON-B
 * instance (owned and closed by {@code Bootstrap}). Every error it writes ({@link #error}) is counted in
 * its {@link Rejections}, for {@code /metrics}. Thread-safe.
 */
public final class JsonWriter {
  public static final String JSON = "application/json;charset=UTF-8";
  private final Jsonb jsonb;
  private final Rejections rejections;

  public JsonWriter(Jsonb jsonb) {
    this(jsonb, new Rejections());
  }

  /** @param rejections where every error answer is counted (the broker's, in production) */
  public JsonWriter(Jsonb jsonb, Rejections rejections) {
    this.jsonb = jsonb;
    this.rejections = rejections;
  }

  /** Headers on every API answer: never cached, never sniffed. */
  public static void commonHeaders(HttpServletResponse resp) {
    resp.setHeader("Cache-Control", "no-store");
    resp.setHeader("X-Content-Type-Options", "nosniff");
  }

  /** {@code body} as JSON bytes, for transports that write their own responses. */
  public byte[] encode(Object body) {
    return jsonb.toJson(body).getBytes(StandardCharsets.UTF_8);
  }

  /** The JSON error body of {@code e}, counted as a rejection as {@link #error} counts it. */
  public byte[] errorBody(ApiException e) {
    rejections.count(e.status(), e.code());
    return encode(new Wire.Error(e.code(), e.getMessage()));
  }

  public void write(HttpServletResponse resp, int status, Object body) throws IOException {
    writeRaw(resp, status, jsonb.toJson(body).getBytes(StandardCharsets.UTF_8));
  }

  public void error(HttpServletResponse resp, ApiException e) throws IOException {
    rejections.count(e.status(), e.code());
    e.headers().forEach(resp::setHeader);
    write(resp, e.status(), new Wire.Error(e.code(), e.getMessage()));
  }

  public static void writeRaw(HttpServletResponse resp, int status, byte[] json) throws IOException {
    resp.setStatus(status);
    commonHeaders(resp);
    resp.setContentType(JSON);
    resp.setContentLength(json.length);
    resp.getOutputStream().write(json);
  }
}
