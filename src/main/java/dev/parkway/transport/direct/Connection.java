package dev.parkway.transport.direct;

import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.codec.TooLongFrameException;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.TooLongHttpHeaderException;
import io.netty.handler.codec.http.TooLongHttpLineException;
import io.netty.handler.timeout.IdleStateEvent;
import dev.parkway.core.Answer;
import dev.parkway.core.ParkedPoll;
import dev.parkway.transport.http.ApiException;
import java.lang.System.Logger.Level;
import java.net.InetSocketAddress;
import java.util.ArrayDeque;
import java.util.concurrent.TimeUnit;

/**
 * One HTTP/1.1 connection of the direct port: answers its requests one at a time, in order.
 *
 * <p><b>One request at a time.</b> A request is handed to {@link Routes}; until its answer is written the
 * connection is busy, and requests a client pipelines behind it wait here (at most {@link
 * #MAX_PIPELINED}; past that the connection is closed). Every field is touched on the connection's event
 * loop thread only: an answer decided on a delivery thread is handed over with {@link #answer}, which
 * runs the write there.
 *
 * <p><b>The client going away.</b> The connection keeps reading while a poll is parked, so a client that
 * closes is seen at once ({@link #channelInactive}) and its poll ends as {@link Answer.ClientGone},
 * freeing its slot: the servlet containers only notice at the next write.
 *
 * <p><b>Idle connections.</b> A connection with no request for {@code parkway.direct.idle} seconds is
 * closed; a parked poll is not idle. The check is on reads only (the idle handler watches no writes, so
 * an answer costs no write listener), and counts from the last answer as well as the last request.
 */
final class Connection extends SimpleChannelInboundHandler<FullHttpRequest> {
  private static final System.Logger LOG = System.getLogger(Connection.class.getName());
  static final int MAX_PIPELINED = 16;

  private final Routes routes;
  private final long idleNanos;
  private final ArrayDeque<FullHttpRequest> pipelined = new ArrayDeque<>();
  private ChannelHandlerContext ctx;
  /** Where answers are written from: below the response encoder, which {@link Wire} bytes skip. */
  private ChannelHandlerContext out;
  private String remoteAddress;
  private boolean busy;
  private boolean keepAlive;
  /** An HTTP/1.0 client that asked for keep-alive: its answers must say {@code Connection: keep-alive}. */
  private boolean keepAliveHeader;
  /** The current request is a HEAD: its answer goes without its body. */
  private boolean head;
  private ParkedPoll parked;
  /** When the last answer was written (System.nanoTime), for the idle check. */
  private long answeredAt = System.nanoTime();

  /** @param idleSeconds see {@code parkway.direct.idle} */
  Connection(Routes routes, int idleSeconds) {
    this.routes = routes;
    this.idleNanos = TimeUnit.SECONDS.toNanos(idleSeconds);
  }

  @Override
  public void handlerAdded(ChannelHandlerContext ctx) {
    this.ctx = ctx;
    this.out = ctx.pipeline().context(DirectServer.DECODER);
  }

  @Override
  public void channelActive(ChannelHandlerContext ctx) throws Exception {
    if (ctx.channel().remoteAddress() instanceof InetSocketAddress address) {
      remoteAddress = address.getAddress().getHostAddress();
    }
    super.channelActive(ctx);
  }

  @Override
  protected void channelRead0(ChannelHandlerContext ctx, FullHttpRequest request) {
    if (busy) {
      if (pipelined.size() >= MAX_PIPELINED) {
        ctx.close();
        return;
      }
      pipelined.add(request.retain());
      return;
    }
    handle(request);
  }

  private void handle(FullHttpRequest request) {
    busy = true;
    // Netty reads any "HTTP/x.y" and keeps such a connection alive; RFC 9112 2.6: a higher minor version
    // is served as 1.1, another major version refused (Tomcat: 505).
    boolean http1 = request.protocolVersion().majorVersion() == 1;
    keepAlive = HttpUtil.isKeepAlive(request) && request.decoderResult().isSuccess() && http1;
    keepAliveHeader = keepAlive && request.protocolVersion().equals(HttpVersion.HTTP_1_0);
    head = request.method().equals(HttpMethod.HEAD);
    if (request.decoderResult().isFailure()) {
      send(routes.responses().error(refusal(request.decoderResult().cause()),
          routes.responses().allowOrigin(request.headers().get(HttpHeaderNames.ORIGIN))));
      return;
    }
    if (!http1) {
      send(routes.responses().error(new ApiException(505, "http_version_not_supported",
          "this port speaks HTTP/1.1 and HTTP/1.0, not " + request.protocolVersion().text()), null));
      return;
    }
    routes.handle(this, request);
  }

  /**
   * The refusal of a request the decoder could not read: too long a line, headers or body, or malformed.
   */
  private static ApiException refusal(Throwable cause) {
    if (cause instanceof DirectServer.BodyTooLarge) {
      return new ApiException(413, "body_too_large", cause.getMessage());
    }
    if (cause instanceof TooLongHttpLineException) {
      return new ApiException(414, "uri_too_long", "the request line exceeds "
          + DirectServer.MAX_LINE + " bytes");
    }
    if (cause instanceof TooLongHttpHeaderException || cause instanceof TooLongFrameException) {
      return new ApiException(431, "headers_too_large", "the request headers exceed "
          + DirectServer.MAX_HEADERS + " bytes");
    }
    return new ApiException(400, "bad_request", "the request is not valid HTTP/1.1");
  }

  String remoteAddress() {
    return remoteAddress;
  }

  /** Called by the route that parked a poll, on this event loop, before any answer can be written. */
  void parked(ParkedPoll poll) {
    if (busy) {
      this.parked = poll;
    }
  }

  /** Writes the answer to the current request, from any thread. */
  void answer(Wire response) {
    if (ctx.executor().inEventLoop()) {
      send(response);
    } else {
      ctx.executor().execute(() -> send(response));
    }
  }

  /** Ends the current request without an answer (the client is gone): closes the connection. */
  void abandon() {
    if (ctx.executor().inEventLoop()) {
      ctx.close();
    } else {
      ctx.executor().execute(ctx::close);
    }
  }

  private void send(Wire response) {
    if (!busy || !ctx.channel().isActive()) { // closed, or a stray second answer: never write twice
      return;
    }
    busy = false;
    parked = null;
    answeredAt = System.nanoTime();
    if (!keepAlive) {
      out.writeAndFlush(response.buffer(head, true, false)).addListener(ChannelFutureListener.CLOSE);
      return;
    }
    out.writeAndFlush(response.buffer(head, false, keepAliveHeader), out.voidPromise());
    if (!pipelined.isEmpty()) {
      // Not inline: the route that answered may still be on the stack (an immediate answer), and it must
      // not see the next request as its own.
      ctx.executor().execute(this::next);
    }
  }

  private void next() {
    if (busy || !ctx.channel().isActive()) {
      return;
    }
    FullHttpRequest request = pipelined.poll();
    if (request != null) {
      try {
        handle(request);
      } finally {
        request.release();
      }
    }
  }

  @Override
  public void channelInactive(ChannelHandlerContext ctx) throws Exception {
    busy = false;
    FullHttpRequest waiting;
    while ((waiting = pipelined.poll()) != null) {
      waiting.release();
    }
    ParkedPoll poll = parked;
    parked = null;
    if (poll != null) {
      poll.finish(new Answer.ClientGone());
    }
    super.channelInactive(ctx);
  }

  @Override
  public void userEventTriggered(ChannelHandlerContext ctx, Object event) throws Exception {
    if (event instanceof IdleStateEvent) {
      // Nothing read for parkway.direct.idle seconds. Close unless a request is being answered, or was
      // answered less than that ago (a poll that waited long): that one gets the same time for its next
      // request.
      long idle = System.nanoTime() - answeredAt;
      if (!busy && idle >= idleNanos) {
        ctx.close();
      }
      return;
    }
    super.userEventTriggered(ctx, event);
  }

  @Override
  public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
    // Resets and broken pipes are how long-poll clients leave; nothing to report above DEBUG.
    LOG.log(Level.DEBUG, "direct port connection failed", cause);
    ctx.close();
  }
}
