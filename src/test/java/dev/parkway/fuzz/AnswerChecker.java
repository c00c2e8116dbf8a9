package dev.parkway.fuzz;

import jakarta.json.Json;
import jakarta.json.JsonException;
import jakarta.json.JsonObject;
import jakarta.json.JsonReader;
import jakarta.json.JsonString;
import jakarta.json.JsonValue;
import java.io.StringReader;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Set;

/**
 * Decides whether an answer is acceptable and under which class it counts. {@link #check} returns the
 * class (a counter name) or throws {@link Violation} with the reason.
 */
final class AnswerChecker {
  static final class Violation extends Exception {
    Violation(String reason) {
      super(reason);
    }
  }

  /** The servlet mappings (HttpRoutes, SseRoutes, the compat *Routes): exact paths, and path prefixes. */
  private static final Set<String> API_EXACT = Set.of(
      "/poll", "/stream", "/health", "/getmessage", "/updatemessage", "/events", "/publish", "/messages");
  private static final Set<String> API_PREFIXES = Set.of("/channels", "/clients", "/send", "/poll");

  String check(FuzzRequest request, FuzzClient.Result result) throws Violation {
    switch (result.kind()) {
      case TIMED_OUT -> throw new Violation("hang: " + result.problem());
      case HEADLESS_ANSWER -> {
        if (request.http09()) {
          return "container HTTP/0.9 answer (no status line)";
        }
        if (request.containerMayRefuse() && result.bodyText().contains("<title>HTTP Status ")) {
          // Tomcat sometimes (depending on how the request line arrives) answers a target it refuses
          // before reading the version the HTTP/0.9 way: its 400 page without a status line
          return "container refusal without a status line";
        }
        throw new Violation("an answer without a status line: " + FuzzRequest.escape(result.body(), 300));
      }
      case MALFORMED_ANSWER -> throw new Violation(result.problem() + ": " + result.statusLine());
      case CLOSED_WITHOUT_ANSWER -> {
        String problem = result.problem() == null ? "" : result.problem();
        if (problem.contains("inside") || problem.contains("shorter") || problem.contains("over 64")) {
          throw new Violation("broken answer: " + problem);
        }
        if (request.truncatedBody() || request.containerMayRefuse()) {
          return "closed without answer (truncated body or container refusal)";
        }
        if (request.oversizedBody() && result.writeFailed()) {
          return "closed while an oversized body was written";
        }
        throw new Violation("connection closed without an answer " + problem);
      }
      default -> {
        // answered: checked below
      }
    }
    int status = result.status();
    String route = route(request.path());
    boolean api = route != null;
    String type = result.contentType();
    boolean head = request.method().equals("HEAD");

    if (status == 500) {
      throw new Violation("500");
    }
    if (status >= 500) {
      if (status == 503) {
        JsonObject o = object(result);
        String error = o == null ? null : string(o, "error");
        if (error != null && (error.equals("shutting_down") || error.equals("store_unavailable"))) {
          return "503 " + error;
        }
        throw new Violation("503 without a shutting_down/store_unavailable JSON body");
      }
      if (status == 504 && "/poll/{id}".equals(route) && isGinTimeout(result)) {
        return "gin 504 timeout";
      }
      if ((status == 501 || status == 505) && request.containerMayRefuse() && !type.contains("json")) {
        return "container " + status + " (CONNECT, an unknown Transfer-Encoding or HTTP version)";
      }
      throw new Violation(status + " from " + (api ? "route " + route : "a non-API path"));
    }
    if (status >= 400) {
      if (head) {
        if (type.startsWith("application/json")) {
          return "4xx to HEAD (JSON type, no body)";
        }
        if ((status == 400 || status == 417) && request.containerMayRefuse()) {
          return "container " + status + " (HEAD)";
        }
        throw new Violation(status + " to HEAD without a JSON Content-Type: " + type);
      }
      JsonObject o = object(result);
      if (o != null && string(o, "error") != null) {
        if (string(o, "message") != null) {
          return "4xx JSON error";
        }
        if ("/publish".equals(route)) {
          return "golongpoll publish error (error only)";
        }
        if ("/poll/{id}".equals(route) && status == 409 && "superseded".equals(string(o, "error"))) {
          return "gin 409 superseded";
        }
        throw new Violation(status + " JSON error without \"message\"");
      }
      if ((status == 400 || status == 417) && request.containerMayRefuse() && !type.contains("json")) {
        return "container " + status + (status == 417 ? " (unknown Expect)" : "");
      }
      throw new Violation(status + " without a JSON {error, message} body (Content-Type " + type + ")");
    }
    if (status >= 300) {
      if (!api) {
        return "3xx from the static-file servlet";
      }
      throw new Violation(status + " from route " + route);
    }
    if (status < 200) {
      throw new Violation("unexpected interim status " + status);
    }
    // 2xx
    if (type.startsWith("text/event-stream") && head) {
      throw new Violation("HEAD opened an event stream on route " + route);
    }
    if (type.startsWith("text/event-stream")) {
      String first = result.bodyText();
      if (!(first.startsWith(":") || first.startsWith("data:") || first.startsWith("id:")
          || first.startsWith("event:") || first.startsWith("retry:"))) {
        throw new Violation("event stream whose first bytes are not a frame: " + first);
      }
      return "event stream opened";
    }
    if (head || status == 204 || result.body().length == 0) {
      if (!api || head || status == 204 || "/updatemessage".equals(route)) {
        return "2xx without body";
      }
      throw new Violation(status + " with an empty body from route " + route);
    }
    if (type.startsWith("application/json")) {
      parse(result);
      if ("/events".equals(route)) {
        JsonObject o = object(result);
        if (o != null && o.containsKey("error")) {
          return "golongpoll 200-with-error";
        }
      }
      return "2xx JSON";
    }
    if (type.startsWith("text/plain") && "/getmessage".equals(route)) {
      return "broadcast text/plain";
    }
    if (!api) {
      return "2xx static file";
    }
    throw new Violation(status + " from route " + route + " with Content-Type " + type);
  }

  private static boolean isGinTimeout(FuzzClient.Result result) {
    JsonObject o = object(result);
    return o != null && "timeout".equals(string(o, "error"));
  }

  private static JsonValue parse(FuzzClient.Result result) throws Violation {
    try (JsonReader reader = Json.createReader(new StringReader(result.bodyText()))) {
      return reader.readValue();
    } catch (JsonException e) {
      throw new Violation("a JSON Content-Type with a body that is not JSON: " + e.getMessage());
    }
  }

  private static JsonObject object(FuzzClient.Result result) {
    if (result.body().length == 0) {
      return null;
    }
    try (JsonReader reader = Json.createReader(new StringReader(result.bodyText()))) {
      JsonValue v = reader.readValue();
      return v instanceof JsonObject o ? o : null;
    } catch (JsonException e) {
      return null;
    }
  }

  private static String string(JsonObject o, String name) {
    return o.get(name) instanceof JsonString s ? s.getString() : null;
  }

  /**
   * The Parkway route a path reaches (after the container's decoding and dot-segment removal, roughly), or
   * null for paths outside the API (static files and error pages).
   */
  static String route(String rawPath) {
    String path = rawPath;
    int semi = path.indexOf(';');
    if (semi >= 0) {
      path = path.substring(0, semi);
    }
    try {
      path = URLDecoder.decode(path.replace("+", "%2B"), StandardCharsets.UTF_8);
    } catch (IllegalArgumentException e) {
      // left as sent
    }
    try {
      boolean dotEnd = path.endsWith("/.");
      path = java.net.URI.create("http://h" + path.replaceAll("[^A-Za-z0-9/._~-]", "_")).normalize().getPath();
      if (dotEnd && path.length() > 1 && path.endsWith("/")) {
        path = path.substring(0, path.length() - 1); // Tomcat normalizes "/publish/." to "/publish"
      }
    } catch (IllegalArgumentException e) {
      // left as sent
    }
    if (API_EXACT.contains(path)) {
      return path;
    }
    if (path.startsWith("/poll/")) {
      return "/poll/{id}";
    }
    for (String prefix : API_PREFIXES) {
      if (path.equals(prefix) || path.startsWith(prefix + "/")) {
        return prefix;
      }
    }
    return null;
  }
}
