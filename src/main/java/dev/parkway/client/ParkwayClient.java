package dev.parkway.client;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The Java client of Parkway: publish to channels, send to mailboxes, and subscribe with long polls.
 * Uses only {@code java.net.http}. Thread-safe; one instance can serve the whole application.
 *
 * <pre>{@code
 * ParkwayClient parkway = ParkwayClient.builder("http://localhost:8080").build();
 * parkway.publish("news", "{\"title\": \"hello\"}");
 * Subscription sub = parkway.subscribe(List.of("news", "scores.*"),
 *     event -> System.out.println(event.channel() + " " + event.dataJson()),
 *     SubscribeOptions.defaults());
 * }</pre>
 */
public final class ParkwayClient implements AutoCloseable {
  private static final AtomicInteger THREADS = new AtomicInteger();

  private final String base;
  private final HttpClient http;
  private final Duration requestTimeout;
  private final Duration pollMargin;
  private final Duration closeTimeout;
  private final Backoff backoff;
  private final Map<String, String> headers;
  private final ThreadFactory threadFactory;
  private final Set<Subscription> open = ConcurrentHashMap.newKeySet();

  private ParkwayClient(Builder b) {
    String uri = b.baseUri.toString();
    while (uri.endsWith("/")) {
      uri = uri.substring(0, uri.length() - 1);
    }
    this.base = uri;
    this.http = b.httpClient != null
        ? b.httpClient
        : HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(b.connectTimeout)
            .build();
    this.requestTimeout = b.requestTimeout;
    this.pollMargin = b.pollMargin;
    this.closeTimeout = b.closeTimeout;
    this.backoff = b.backoff;
    this.headers = Map.copyOf(b.headers);
    this.threadFactory = b.threadFactory != null
        ? b.threadFactory
        : r -> {
          Thread t = new Thread(r, "parkway-subscription-" + THREADS.incrementAndGet());
          t.setDaemon(true);
          return t;
        };
  }

  /** A builder for a server at {@code baseUri} (with its context path, if any: {@code http://h/parkway}). */
  public static Builder builder(String baseUri) {
    return builder(URI.create(baseUri));
  }

  public static Builder builder(URI baseUri) {
    return new Builder(baseUri);
  }

  /** A client with default settings. */
  public static ParkwayClient create(String baseUri) {
    return builder(baseUri).build();
  }

  // ---------------------------------------------------------------- publishing

  /**
   * Publishes {@code jsonData} (one JSON value, as text) to {@code channel}.
   *
   * @throws ParkwayException if the server refused it (400 {@code invalid_json}, 413, 503, ...)
   * @throws UncheckedIOException if the server could not be reached
   */
  public Published publish(String channel, String jsonData) {
    return publish(channel, jsonData, null);
  }

  /**
   * Publishes with an {@code Idempotency-Key}: repeating the call with the same key and data (after a
   * timeout, say) stores nothing new and returns the original seq ({@link Published#repeated()}).
   */
  public Published publish(String channel, String jsonData, String idempotencyKey) {
    Names.requireChannel(channel);
    Objects.requireNonNull(jsonData, "jsonData");
    HttpRequest.Builder req = request(URI.create(base + "/channels/" + channel), requestTimeout)
        .header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString(jsonData, StandardCharsets.UTF_8));
    if (idempotencyKey != null) {
      req.header("Idempotency-Key", idempotencyKey);
    }
    HttpResponse<String> resp = call(req.build());
    if (resp.statusCode() != 201 && resp.statusCode() != 200) {
      throw refusal(resp);
    }
    Map<String, Object> body = object(resp.body());
    return new Published(
        (String) body.get("channel"),
        number(body, "seq"),
        number(body, "timestamp"),
        (int) number(body, "subscribers"),
        resp.statusCode() == 200);
  }

  /** Sends {@code jsonData} to the mailbox of {@code clientId}; it waits there until acknowledged. */
  public Sent send(String clientId, String jsonData) {
    Names.requireClient(clientId);
    Objects.requireNonNull(jsonData, "jsonData");
    HttpRequest req = request(URI.create(base + "/clients/" + clientId + "/messages"), requestTimeout)
        .header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString(jsonData, StandardCharsets.UTF_8))
        .build();
    HttpResponse<String> resp = call(req);
    if (resp.statusCode() != 202 && resp.statusCode() != 200 && resp.statusCode() != 201) {
      throw refusal(resp);
    }
    Map<String, Object> body = object(resp.body());
    return new Sent(
        (String) body.get("client"),
        number(body, "seq"),
        number(body, "timestamp"),
        Boolean.TRUE.equals(body.get("waiting")));
  }

  // ---------------------------------------------------------------- subscribing

  /** Subscribes to one channel (or pattern {@code prefix.*}) from the head, with default options. */
  public Subscription subscribe(String channel, SubscriptionListener listener) {
    return subscribe(List.of(channel), listener, SubscribeOptions.defaults());
  }

  /**
   * Starts a long-poll loop over {@code channelsOrPatterns} on its own thread, delivering to
   * {@code listener} until {@link Subscription#close()} or a non-retryable error.
   */
  public Subscription subscribe(
      List<String> channelsOrPatterns, SubscriptionListener listener, SubscribeOptions options) {
    Objects.requireNonNull(listener, "listener");
    Objects.requireNonNull(options, "options");
    if (channelsOrPatterns.isEmpty()) {
      throw new IllegalArgumentException("no channel");
    }
    List<String> names = new ArrayList<>();
    for (String name : channelsOrPatterns) {
      names.add(Names.requireChannelOrPattern(name));
    }
    String path;
    List<String> fixed = new ArrayList<>();
    if (names.size() == 1 && !names.get(0).endsWith(".*")) {
      path = base + "/channels/" + names.get(0);
    } else {
      path = base + "/poll";
      for (String name : names) {
        fixed.add("channel=" + name);
      }
    }
    if (options.clientId() != null) {
      fixed.add("client=" + options.clientId());
    }
    return start(path, fixed, listener, options, false);
  }

  /**
   * Reads the mailbox of {@code clientId}: unacknowledged messages first, then new ones as they come.
   * A message is acknowledged (deleted on the server) only after the listener returned for it and every
   * message before it in the same answer: the next poll sends the answer's cursor back (and
   * {@link Subscription#close()} sends it once more). If the listener throws, or the process dies, the
   * message is delivered again. {@code options.after()} and {@code since()} are ignored unless set.
   */
  public Subscription mailbox(String clientId, SubscriptionListener listener, SubscribeOptions options) {
    Names.requireClient(clientId);
    Objects.requireNonNull(listener, "listener");
    Objects.requireNonNull(options, "options");
    return start(base + "/clients/" + clientId + "/messages", List.of(), listener, options, true);
  }

  private Subscription start(
      String path, List<String> fixed, SubscriptionListener listener, SubscribeOptions options,
      boolean mailbox) {
    Subscription sub = new Subscription(this, path, fixed, listener, options, mailbox);
    open.add(sub);
    sub.start(threadFactory);
    return sub;
  }

  /** Closes every subscription this client started. The client can still publish afterwards. */
  @Override
  public void close() {
    for (Subscription sub : List.copyOf(open)) {
      sub.close();
    }
  }

  // ---------------------------------------------------------------- shared plumbing

  void forget(Subscription sub) {
    open.remove(sub);
  }

  HttpClient http() {
    return http;
  }

  Backoff backoff() {
    return backoff;
  }

  Duration pollMargin() {
    return pollMargin;
  }

  Duration closeTimeout() {
    return closeTimeout;
  }

  HttpRequest.Builder request(URI uri, Duration timeout) {
    HttpRequest.Builder b = HttpRequest.newBuilder(uri).timeout(timeout).header("Accept", "application/json");
    headers.forEach(b::header);
    return b;
  }

  static String encode(String value) {
    return URLEncoder.encode(value, StandardCharsets.UTF_8);
  }

  private HttpResponse<String> call(HttpRequest req) {
    try {
      return http.send(req, HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
    } catch (IOException e) {
      throw new UncheckedIOException(req.method() + " " + req.uri() + ": " + e.getMessage(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new UncheckedIOException(new InterruptedIOException("interrupted"));
    }
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> object(String body) {
    try {
      Object value = Json.parse(body);
      if (value instanceof Map) {
        return (Map<String, Object>) value;
      }
    } catch (JsonException e) {
      throw new ParkwayException("unreadable answer: " + e.getMessage(), e);
    }
    throw new ParkwayException("unreadable answer: not a JSON object", null);
  }

  private static long number(Map<String, Object> body, String key) {
    Object v = body.get(key);
    if (v instanceof Long) {
      return (Long) v;
    }
    throw new ParkwayException("unreadable answer: no whole number \"" + key + "\"", null);
  }

  /** The exception for a non-success answer: its error code and message, and its Retry-After. */
  static ParkwayException refusal(HttpResponse<String> resp) {
    String error = null;
    String message = "HTTP " + resp.statusCode();
    try {
      Object body = Json.parse(resp.body());
      if (body instanceof Map) {
        Map<?, ?> map = (Map<?, ?>) body;
        if (map.get("error") instanceof String) {
          error = (String) map.get("error");
        }
        if (map.get("message") instanceof String) {
          message = (String) map.get("message");
        }
      }
    } catch (JsonException e) {
      // not Parkway's JSON (a proxy page, the container's HTML 400): keep the status only
    }
    Duration retryAfter = resp.headers().firstValue("Retry-After").map(ParkwayClient::retryAfter).orElse(null);
    return new ParkwayException(resp.statusCode(), error, message, retryAfter);
  }

  /** Retry-After as seconds or an HTTP date; null when unreadable. Capped at one hour. */
  static Duration retryAfter(String value) {
    String v = value.trim();
    Duration d = null;
    if (v.matches("\\d{1,9}")) {
      d = Duration.ofSeconds(Long.parseLong(v));
    } else {
      try {
        ZonedDateTime at = ZonedDateTime.parse(v, DateTimeFormatter.RFC_1123_DATE_TIME);
        d = Duration.between(ZonedDateTime.now(at.getZone()), at);
        if (d.isNegative()) {
          d = Duration.ZERO;
        }
      } catch (RuntimeException e) {
        return null;
      }
    }
    Duration cap = Duration.ofHours(1);
    return d.compareTo(cap) > 0 ? cap : d;
  }

  /** Settings of a {@link ParkwayClient}. */
  public static final class Builder {
    private final URI baseUri;
    private HttpClient httpClient;
    private Duration connectTimeout = Duration.ofSeconds(10);
    private Duration requestTimeout = Duration.ofSeconds(30);
    private Duration pollMargin = Duration.ofSeconds(10);
    private Duration closeTimeout = Duration.ofSeconds(10);
    private Backoff backoff = Backoff.defaults();
    private final Map<String, String> headers = new LinkedHashMap<>();
    private ThreadFactory threadFactory;

    private Builder(URI baseUri) {
      Objects.requireNonNull(baseUri, "baseUri");
      if (!"http".equalsIgnoreCase(baseUri.getScheme()) && !"https".equalsIgnoreCase(baseUri.getScheme())) {
        throw new IllegalArgumentException("base URI must be http or https: " + baseUri);
      }
      if (baseUri.getRawQuery() != null || baseUri.getRawFragment() != null) {
        throw new IllegalArgumentException("base URI must have no query or fragment: " + baseUri);
      }
      this.baseUri = baseUri;
    }

    /** The HttpClient to use (its own connect timeout, proxy, TLS). Default: a new HTTP/1.1 client. */
    public Builder httpClient(HttpClient client) {
      this.httpClient = Objects.requireNonNull(client);
      return this;
    }

    /** Connect timeout of the default HttpClient (ignored with {@link #httpClient}). Default 10 s. */
    public Builder connectTimeout(Duration timeout) {
      this.connectTimeout = positive(timeout);
      return this;
    }

    /** Timeout of a publish or send. Default 30 s. */
    public Builder requestTimeout(Duration timeout) {
      this.requestTimeout = positive(timeout);
      return this;
    }

    /** How much longer than the poll timeout a poll request may take before it is abandoned. Default 10 s. */
    public Builder pollMargin(Duration margin) {
      this.pollMargin = positive(margin);
      return this;
    }

    /** How long {@link Subscription#close()} waits for the subscription thread. Default 10 s. */
    public Builder closeTimeout(Duration timeout) {
      this.closeTimeout = positive(timeout);
      return this;
    }

    /** Retry delays after failed polls. Default: 0.5 s doubling to 30 s, full jitter. */
    public Builder backoff(Backoff backoff) {
      this.backoff = Objects.requireNonNull(backoff);
      return this;
    }

    /** A header sent on every request, for example {@code header("Authorization", "Bearer ...")}. */
    public Builder header(String name, String value) {
      headers.put(Objects.requireNonNull(name), Objects.requireNonNull(value));
      return this;
    }

    /** Makes the subscription threads. Default: daemon threads named {@code parkway-subscription-N}. */
    public Builder threadFactory(ThreadFactory factory) {
      this.threadFactory = Objects.requireNonNull(factory);
      return this;
    }

    public ParkwayClient build() {
      return new ParkwayClient(this);
    }

    private static Duration positive(Duration d) {
      if (d == null || d.isNegative() || d.isZero()) {
        throw new IllegalArgumentException("need a positive duration");
      }
      return d;
    }
  }
}
