package dev.parkway.transport.direct;

import dev.parkway.auth.Authorizer;
import dev.parkway.config.Config;
import dev.parkway.core.Broker;
import dev.parkway.transport.http.ApiException;
import dev.parkway.transport.http.CorsPolicy;
import dev.parkway.transport.http.JsonWriter;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.nio.NioEventLoopGroup;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelPipeline;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpMessage;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpRequestDecoder;
import io.netty.handler.codec.http.HttpResponseEncoder;
import io.netty.handler.timeout.IdleStateHandler;
import io.netty.util.concurrent.DefaultThreadFactory;
import java.lang.System.Logger.Level;
import java.net.InetSocketAddress;
import java.util.concurrent.TimeUnit;

/**
 * The direct port: Parkway's own HTTP/1.1 listener (Netty), beside the servlet container's, for the
 * long-poll and publish routes ({@link Routes}). Its parked polls are the same broker's, so a publish on
 * either port wakes polls on both.
 *
 * <p>Why it exists: a parked poll on the servlet port holds the container's whole request (about 66 KB on
 * Tomcat) and every answer goes through the container's response machinery; here a parked poll is a
 * socket, a few small objects and no buffer, and an answer is one write (docs/benchmarks.md).
 *
 * <p>Threads: one acceptor ({@code parkway-direct-accept}) and {@code parkway.direct.threads} event loops
 * ({@code parkway-direct-N}), daemons, all ended by {@link #stop}.
 *
 * <p>Limits: request line {@value #MAX_LINE} bytes (414), headers {@value #MAX_HEADERS} bytes (431), body
 * {@code parkway.body.max} (413), {@value Connection#MAX_PIPELINED} pipelined requests, idle connections
 * closed after {@value #IDLE_SECONDS} s. Every refusal is the API's JSON error.
 */
public final class DirectServer {
  private static final System.Logger LOG = System.getLogger(DirectServer.class.getName());
  static final int MAX_LINE = 8192;
  static final int MAX_HEADERS = 8192;
  static final int IDLE_SECONDS = 60;
  /** The request decoder's name: answers are written from its place, below the response encoder. */
  static final String DECODER = "decoder";

  private final EventLoopGroup acceptor;
  private final EventLoopGroup loops;
  private final Channel listener;

  private DirectServer(EventLoopGroup acceptor, EventLoopGroup loops, Channel listener) {
    this.acceptor = acceptor;
    this.loops = loops;
    this.listener = listener;
  }

  /**
   * Binds {@code config.direct()}'s address and port and starts serving.
   *
   * @throws IllegalStateException if the port cannot be bound (then nothing is left running)
   */
  public static DirectServer start(
      Config config, Broker broker, Authorizer authorizer, JsonWriter json) {
    Config.Direct direct = config.direct();
    CorsPolicy cors = config.cors().enabled() ? new CorsPolicy(config.cors()) : null;
    Responses responses = new Responses(json, cors);
    Routes routes = new Routes(broker, config, authorizer, responses, json);
    int bodyMax = config.bodyMax();
    EventLoopGroup acceptor = new NioEventLoopGroup(1, new DefaultThreadFactory("parkway-direct-accept", true));
    EventLoopGroup loops =
        new NioEventLoopGroup(direct.threads(), new DefaultThreadFactory("parkway-direct", true));
    ServerBootstrap bootstrap =
        new ServerBootstrap()
            .group(acceptor, loops)
            .channel(NioServerSocketChannel.class)
            .option(ChannelOption.SO_BACKLOG, 4096)
            .option(ChannelOption.SO_REUSEADDR, true)
            .childOption(ChannelOption.TCP_NODELAY, true)
            .childHandler(
                new ChannelInitializer<SocketChannel>() {
                  @Override
                  protected void initChannel(SocketChannel ch) {
                    ch.pipeline()
                        .addLast(new IdleStateHandler(IDLE_SECONDS, 0, 0, TimeUnit.SECONDS))
                        .addLast(DECODER, new HttpRequestDecoder(MAX_LINE, MAX_HEADERS, 8192))
                        // Only for what the aggregator writes itself (100 Continue, 417): Parkway's
                        // own answers are Wire bytes, written below this encoder.
                        .addLast(new HttpResponseEncoder())
                        .addLast(new BodyLimit(bodyMax, responses))
                        .addLast(new Connection(routes));
                  }
                });
    try {
      Channel listener = bootstrap.bind(direct.address(), direct.port() < 0 ? 0 : direct.port())
          .syncUninterruptibly().channel();
      DirectServer server = new DirectServer(acceptor, loops, listener);
      LOG.log(Level.INFO, "Parkway direct port listening on http://" + direct.address() + ":"
          + server.port() + "/ (" + direct.threads() + " event loops)");
      return server;
    } catch (RuntimeException e) {
      acceptor.shutdownGracefully(0, 0, TimeUnit.SECONDS).syncUninterruptibly();
      loops.shutdownGracefully(0, 0, TimeUnit.SECONDS).syncUninterruptibly();
      throw new IllegalStateException(
          "parkway.direct.port: cannot listen on " + direct.address() + ":" + direct.port() + ": " + e, e);
    }
  }

  /** The port listened on (the one the system chose, for {@code parkway.direct.port=-1}). */
  public int port() {
    return ((InetSocketAddress) listener.localAddress()).getPort();
  }

  /**
   * Stops listening and ends every thread. Call after the broker's shutdown has answered the parked polls
   * (503 {@code shutting_down}): the event loops write those answers before they stop.
   */
  public void stop() {
    listener.close().syncUninterruptibly();
    acceptor.shutdownGracefully(0, 2, TimeUnit.SECONDS).syncUninterruptibly();
    loops.shutdownGracefully(100, 5000, TimeUnit.MILLISECONDS).syncUninterruptibly();
  }

  /** Collects a request's body up to {@code parkway.body.max}; past it, 413 {@code body_too_large} in JSON. */
  private static final class BodyLimit extends HttpObjectAggregator {
    private final Responses responses;
    private final int bodyMax;

    BodyLimit(int bodyMax, Responses responses) {
      super(bodyMax, true);
      this.bodyMax = bodyMax;
      this.responses = responses;
    }

    @Override
    protected void handleOversizedMessage(ChannelHandlerContext ctx, HttpMessage oversized) {
      ctx.pipeline().context(DECODER).writeAndFlush(tooLarge(oversized).buffer(false, true, false))
          .addListener(ChannelFutureListener.CLOSE);
    }

    /**
     * A request that says {@code Expect: 100-continue} with a {@code Content-Length} over the limit is
     * refused before its body is sent. The aggregator writes this answer itself (through the response
     * encoder, as an {@link HttpResponse}) and then closes the connection.
     */
    @Override
    protected Object newContinueResponse(HttpMessage start, int maxContentLength, ChannelPipeline pipeline) {
      Object answer = super.newContinueResponse(start, maxContentLength, pipeline);
      if (answer instanceof HttpResponse refusal && refusal.status().code() == 413) {
        Wire wire = tooLarge(start);
        byte[] bytes = wire.bytes();
        FullHttpResponse json = new DefaultFullHttpResponse(
            HttpVersion.HTTP_1_1,
            HttpResponseStatus.REQUEST_ENTITY_TOO_LARGE,
            Unpooled.wrappedBuffer(bytes, wire.headLength(), bytes.length - wire.headLength()));
        json.headers()
            .set(HttpHeaderNames.CONTENT_TYPE, JsonWriter.JSON)
            .set(HttpHeaderNames.CACHE_CONTROL, "no-store")
            .set("X-Content-Type-Options", "nosniff")
            .set(HttpHeaderNames.CONTENT_LENGTH, bytes.length - wire.headLength())
            .set(HttpHeaderNames.CONNECTION, "close");
        return json;
      }
      return answer;
    }

    private Wire tooLarge(HttpMessage request) {
      return responses.error(
          new ApiException(413, "body_too_large", "the body exceeds " + bodyMax + " bytes (parkway.body.max)"),
          responses.allowOrigin(request.headers().get(HttpHeaderNames.ORIGIN)));
    }
  }
}
