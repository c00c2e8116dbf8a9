package dev.parkway.transport.direct;

import dev.parkway.auth.Authorizer;
import dev.parkway.config.Config;
import dev.parkway.core.Broker;
import dev.parkway.transport.http.CorsPolicy;
import dev.parkway.transport.http.JsonWriter;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.nio.NioEventLoopGroup;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.codec.DecoderResult;
import io.netty.handler.codec.http.DefaultFullHttpRequest;
import io.netty.handler.codec.http.EmptyHttpHeaders;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.HttpMessage;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpRequestDecoder;
import io.netty.handler.codec.http.HttpResponseEncoder;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.timeout.IdleStateHandler;
import io.netty.util.concurrent.DefaultThreadFactory;
import java.lang.System.Logger.Level;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
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
 * ({@code parkway-direct-N}), daemons, all ended by {@link #stop} (or a failed start) before it returns.
 *
 * <p>Limits: request line {@value #MAX_LINE} bytes (414), headers {@value #MAX_HEADERS} bytes (431), body
 * {@code parkway.body.max} (413), {@value Connection#MAX_PIPELINED} pipelined requests, idle connections
 * closed after {@code parkway.direct.idle} seconds. Every refusal is the API's JSON error.
 */
public final class DirectServer {
  private static final System.Logger LOG = System.getLogger(DirectServer.class.getName());
  static final int MAX_LINE = 8192;
  static final int MAX_HEADERS = 8192;
  /** The request decoder's name: answers are written from its place, below the response encoder. */
  static final String DECODER = "decoder";

  private final EventLoopGroup acceptor;
  private final EventLoopGroup loops;
  private final Channel listener;
  private final List<Thread> threads;

  private DirectServer(EventLoopGroup acceptor, EventLoopGroup loops, Channel listener, List<Thread> threads) {
    this.acceptor = acceptor;
    this.loops = loops;
    this.listener = listener;
    this.threads = threads;
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
    List<Thread> threads = new CopyOnWriteArrayList<>();
    EventLoopGroup acceptor = new NioEventLoopGroup(1, new Threads("parkway-direct-accept", threads));
    EventLoopGroup loops = new NioEventLoopGroup(direct.threads(), new Threads("parkway-direct", threads));
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
                        .addLast(new IdleStateHandler(direct.idleSeconds(), 0, 0, TimeUnit.SECONDS))
                        .addLast(DECODER, new HttpRequestDecoder(MAX_LINE, MAX_HEADERS, 8192))
                        // Only for what the aggregator writes itself (100 Continue): Parkway's own
                        // answers are Wire bytes, written below this encoder.
                        .addLast(new HttpResponseEncoder())
                        .addLast(new BodyLimit(bodyMax))
                        .addLast(new Connection(routes, direct.idleSeconds()));
                  }
                });
    try {
      Channel listener = bootstrap.bind(direct.address(), direct.port() < 0 ? 0 : direct.port())
          .syncUninterruptibly().channel();
      DirectServer server = new DirectServer(acceptor, loops, listener, threads);
      LOG.log(Level.INFO, "Parkway direct port listening on http://" + direct.address() + ":"
          + server.port() + "/ (" + direct.threads() + " event loops)");
      return server;
    } catch (Exception e) { // not only RuntimeException: bind() rethrows the BindException undeclared
      acceptor.shutdownGracefully(0, 0, TimeUnit.SECONDS).syncUninterruptibly();
      loops.shutdownGracefully(0, 0, TimeUnit.SECONDS).syncUninterruptibly();
      join(threads);
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
    join(threads);
  }

  /**
   * Waits (boundedly) until each thread has really ended. A group's termination future completes on its
   * own thread just before that thread exits, and Tomcat looks for threads left behind right after the
   * context stops: a thread still finishing would be reported as a leak.
   */
  private static void join(List<Thread> threads) {
    for (Thread thread : threads) {
      try {
        thread.join(TimeUnit.SECONDS.toMillis(5));
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
    }
  }

  /** Named daemon threads, each remembered so {@link #join} can wait for it. */
  private static final class Threads extends DefaultThreadFactory {
    private final List<Thread> started;

    Threads(String prefix, List<Thread> started) {
      super(prefix, true);
      this.started = started;
    }

    @Override
    protected Thread newThread(Runnable task, String name) {
      Thread thread = super.newThread(task, name);
      started.add(thread);
      return thread;
    }
  }

  /**
   * Collects a request's body up to {@code parkway.body.max}. A body past it (declared, or found while
   * reading a chunked one) is refused 413 {@code body_too_large} in JSON by the {@link Connection}, in its
   * turn: it goes on as a request that failed to decode ({@link BodyTooLarge}), because a refusal written
   * from here would overtake the answers to the requests before it, such as a parked poll's. The rest of
   * the body is skipped.
   */
  private static final class BodyLimit extends HttpObjectAggregator {
    private final int bodyMax;

    BodyLimit(int bodyMax) {
      super(bodyMax, true);
      this.bodyMax = bodyMax;
    }

    /**
     * Writes only the go-ahead of {@code Expect: 100-continue}, at once. A declared body over the limit is
     * left to {@link #handleOversizedMessage} (Netty would write a bare 413 without a body), and an
     * expectation Parkway does not know is ignored, as RFC 9110 10.1.1 allows (Netty: a bare 417).
     */
    @Override
    protected Object newContinueResponse(HttpMessage start, int maxContentLength, ChannelPipeline pipeline) {
      if (HttpUtil.is100ContinueExpected(start) && HttpUtil.getContentLength(start, -1L) <= maxContentLength) {
        return super.newContinueResponse(start, maxContentLength, pipeline);
      }
      return null;
    }

    @Override
    protected void handleOversizedMessage(ChannelHandlerContext ctx, HttpMessage oversized) {
      HttpRequest head = (HttpRequest) oversized;
      FullHttpRequest refused = new DefaultFullHttpRequest(head.protocolVersion(), head.method(), head.uri(),
          Unpooled.EMPTY_BUFFER, head.headers(), EmptyHttpHeaders.INSTANCE);
      refused.setDecoderResult(DecoderResult.failure(new BodyTooLarge(bodyMax)));
      ctx.fireChannelRead(refused);
    }
  }

  /** Why a request is refused 413 {@code body_too_large}; its message is the answer's. */
  static final class BodyTooLarge extends Exception {
    private static final long serialVersionUID = 1L;

    BodyTooLarge(int bodyMax) {
      super("the body exceeds " + bodyMax + " bytes (parkway.body.max)", null, false, false);
    }
  }
}
