package dev.parkway.compat;

import dev.parkway.auth.Action;
import dev.parkway.auth.Target;
import dev.parkway.auth.servlet.Access;
import dev.parkway.core.ChannelLimitException;
import dev.parkway.core.StoreUnavailableException;
import dev.parkway.transport.http.ApiException;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.lang.System.Logger.Level;

/**
 * golongpoll's publish handler: {@code POST /publish} with {@code {"category": "...", "data": ...}},
 * answered {@code {"success": true}}. Every answer carries golongpoll's publish headers; refusals carry its
 * exact strings and statuses (405 for any other method, 400 for a bad body).
 *
 * <p>The {@code Content-Type} is not checked (golongpoll does not; its Go client sends none). The body is
 * limited to {@code parkway.body.max} bytes, checked on {@code Content-Length} and while reading (413, by
 * {@link dev.parkway.transport.http.JsonBody#readWithinLimit}): a limit golongpoll does not have.
 * Thread-safe.
 */
final class GolongpollPublishServlet extends HttpServlet {
  private static final long serialVersionUID = 1L;
  private static final System.Logger LOG = System.getLogger(GolongpollPublishServlet.class.getName());

  private final transient CompatContext c;

  GolongpollPublishServlet(CompatContext c) {
    this.c = c;
  }

  @Override
  protected void service(HttpServletRequest req, HttpServletResponse resp) throws IOException {
    GolongpollWire.publishHeaders(resp);
    if (!"POST".equals(req.getMethod())) {
      resp.setHeader("Allow", "POST");
      GolongpollWire.write(resp, 405, GolongpollWire.error(GolongpollWire.METHOD_ERROR));
      return;
    }
    try {
      byte[] body;
      try {
        body = c.body().readWithinLimit(req);
      } catch (ApiException tooLarge) {
        resp.setHeader("Connection", "close"); // do not read the rest of an oversized body
        GolongpollWire.write(
            resp, 413, GolongpollWire.error("POST body too large, the limit is " + c.config().bodyMax() + " bytes."));
        return;
      }
      GolongpollPublish publish = GolongpollPublish.parse(body);
      if (!Access.permits(req, resp, Action.PUBLISH, Target.channel(publish.category().key()))) {
        return;
      }
      c.broker().publish(publish.category().key(), publish.data(), null);
      GolongpollWire.write(resp, 200, GolongpollWire.success());
    } catch (GolongpollPublish.Refused e) {
      GolongpollWire.write(resp, 400, GolongpollWire.error(e.getMessage()));
    } catch (ChannelLimitException e) {
      c.broker().counters().rejections.count(507, "channel_limit_reached");
      GolongpollWire.write(resp, 507, GolongpollWire.error(e.getMessage()));
    } catch (StoreUnavailableException e) {
      LOG.log(Level.WARNING, "store unavailable: " + e.getMessage());
      resp.setHeader("Retry-After", "1");
      GolongpollWire.write(
          resp, 503, GolongpollWire.error("The event could not be stored; nothing was stored."));
    } catch (IOException e) {
      LOG.log(Level.DEBUG, "client went away", e);
    } catch (RuntimeException e) {
      LOG.log(Level.ERROR, "golongpoll publish failed", e);
      if (!resp.isCommitted()) {
        resp.reset();
        GolongpollWire.publishHeaders(resp);
        GolongpollWire.write(resp, 500, GolongpollWire.error("The server failed; this is a bug."));
      }
    }
  }
}
