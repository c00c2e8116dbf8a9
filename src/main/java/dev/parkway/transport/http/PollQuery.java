package dev.parkway.transport.http;

import dev.parkway.config.Config;
import dev.parkway.core.Cursor;
import dev.parkway.core.InvalidCursorException;
import dev.parkway.core.Names;
import dev.parkway.core.PollRequest;
import dev.parkway.core.Start;
import dev.parkway.core.Subscription;
import jakarta.servlet.http.HttpServletRequest;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * Parses and validates the query of a poll ({@code after}, {@code since}, {@code timeout}, {@code limit},
 * {@code client}) into a {@link PollRequest}. Every rule broken is a 400 with its own error code; nothing
 * is parked for a request that fails here. Stateless; thread-safe.
 */
public final class PollQuery {
  private static final Pattern SECONDS = Pattern.compile("\\d{1,9}(\\.\\d{1,3})?");
  private final Config config;

  public PollQuery(Config config) {
    this.config = config;
  }

  /** A channel name from the path or query, or 400 {@code invalid_channel}. */
  public static String channel(String name) {
    if (!Names.isChannel(name)) {
      throw ApiException.badRequest(
          "invalid_channel",
          "a channel is 1-" + Names.MAX_CHANNEL_LENGTH + " characters of A-Z a-z 0-9 . _ : -");
    }
    return name;
  }

  /** A client id, or 400 {@code invalid_client}. */
  public static String client(String id) {
    if (!Names.isClient(id)) {
      throw ApiException.badRequest(
          "invalid_client",
          "a client id is 1-" + Names.MAX_CLIENT_LENGTH + " characters of A-Z a-z 0-9 . _ : -");
    }
    return id;
  }

  /**
   * A request's query parameters as a transport shows them: the servlet request's, or the direct port's
   * decoded query. Names are case-sensitive.
   */
  public interface Params {
    /** The first value of {@code name}, or null. */
    String get(String name);

    /** Every value of {@code name}, or null when there is none. */
    String[] all(String name);
  }

  /** A servlet request's parameters (already parsed by the container). */
  public static Params of(HttpServletRequest req) {
    return new Params() {
      @Override
      public String get(String name) {
        return req.getParameter(name);
      }

      @Override
      public String[] all(String name) {
        return req.getParameterValues(name);
      }
    };
  }

  /** The channels and patterns of {@code /poll}: repeated {@code channel=} and/or comma-separated. */
  public Subscription channels(HttpServletRequest req) {
    return channels(of(req));
  }

  /** See {@link #channels(HttpServletRequest)}. */
  public Subscription channels(Params params) {
    String[] values = params.all("channel");
    List<String> names = new ArrayList<>();
    if (values != null) {
      for (String value : values) {
        for (String name : value.split(",", -1)) {
          if (!Names.isChannel(name) && !Names.isPattern(name)) {
            channel(name); // throws with the naming rule
          }
          names.add(name);
        }
      }
    }
    if (names.isEmpty()) {
      throw ApiException.badRequest("invalid_channel", "name at least one channel: ?channel=a&channel=b.*");
    }
    if (names.size() > config.pollChannelsMax()) {
      throw ApiException.badRequest(
          "too_many_channels",
          "at most " + config.pollChannelsMax() + " channels per poll (parkway.poll.channels.max)");
    }
    return Subscription.parse(names);
  }

  public PollRequest parse(HttpServletRequest req, Subscription subscription) {
    return parse(of(req), subscription);
  }

  public PollRequest parse(Params req, Subscription subscription) {
    String clientId = req.get("client");
    return new PollRequest(
        subscription,
        start(req, subscription),
        timeoutMillis(req.get("timeout")),
        limit(req.get("limit")),
        clientId == null ? null : client(clientId));
  }

  private Start start(Params req, Subscription subscription) {
    String after = req.get("after");
    String since = req.get("since");
    if (after != null && since != null) {
      throw ApiException.badRequest("invalid_parameter", "send after or since, not both");
    }
    if (since != null) {
      try {
        long millis = Long.parseLong(since);
        if (millis >= 0) {
          return new Start.Since(millis);
        }
      } catch (NumberFormatException e) {
        // reported below
      }
      throw ApiException.badRequest("invalid_since", "since is epoch milliseconds, 0 or more");
    }
    if (after == null) {
      return new Start.Head();
    }
    if (!after.isEmpty() && after.chars().allMatch(c -> c >= '0' && c <= '9')) {
      long seq = parseSeq(after);
      if (seq == 0) {
        return new Start.Oldest();
      }
      if (!subscription.single()) {
        throw ApiException.badRequest(
            "invalid_cursor", "a bare seq is only accepted on a single channel; send the cursor");
      }
      return new Start.AfterSeq(seq);
    }
    try {
      return new Start.After(Cursor.decode(after));
    } catch (InvalidCursorException e) {
      throw ApiException.badRequest("invalid_cursor", e.getMessage());
    }
  }

  private static long parseSeq(String digits) {
    try {
      return Long.parseLong(digits);
    } catch (NumberFormatException e) {
      throw ApiException.badRequest("invalid_cursor", "seq out of range");
    }
  }

  long timeoutMillis(String value) {
    if (value == null) {
      return config.pollTimeoutDefault().toMillis();
    }
    long max = config.pollTimeoutMax().toMillis();
    // Plain decimals only: an exponent ("1e999999999") would make BigDecimal build a huge number.
    if (SECONDS.matcher(value).matches()) {
      long millis =
          new BigDecimal(value).movePointRight(3).setScale(0, RoundingMode.CEILING).longValueExact();
      if (millis <= max) {
        return millis;
      }
    }
    throw ApiException.badRequest(
        "invalid_timeout",
        "timeout is seconds from 0 to " + config.pollTimeoutMax().toSeconds() + " (parkway.poll.timeout.max)");
  }

  private int limit(String value) {
    if (value == null) {
      return config.pollLimitDefault();
    }
    try {
      int n = Integer.parseInt(value);
      if (n >= 1 && n <= config.pollLimitMax()) {
        return n;
      }
    } catch (NumberFormatException e) {
      // reported below
    }
    throw ApiException.badRequest(
        "invalid_limit", "limit is 1 to " + config.pollLimitMax() + " (parkway.poll.limit.max)");
  }
}
