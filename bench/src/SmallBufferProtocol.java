package dev.parkway.bench;

import java.lang.reflect.Field;
import java.nio.CharBuffer;
import org.apache.coyote.Adapter;
import org.apache.coyote.Request;
import org.apache.coyote.Response;
import org.apache.coyote.http11.Http11NioProtocol;
import org.apache.tomcat.util.net.SocketEvent;

/**
 * BENCHMARK EXPERIMENT, NOT FOR DEPLOYMENT. Tomcat's HTTP/1.1 NIO protocol with the two per-request
 * buffers that no connector attribute can size made smaller, to measure what they cost a parked poll.
 *
 * <ul>
 *   <li>{@code -Dbench.responseBuffer=N} (default 1024): the servlet response buffer. {@code
 *       Connector.createResponse} sizes {@code org.apache.catalina.connector.OutputBuffer} (a byte buffer
 *       of N bytes and a char buffer of N chars) from {@link #getDesiredBufferSize()}, which is -1 for
 *       HTTP/1.1, so Tomcat uses 8192: 8 KB + 16 KB per request. This override is a supported extension
 *       point: a ProtocolHandler class named in server.xml's {@code protocol} attribute.
 *   <li>{@code -Dbench.readerBuffer=N} (default: leave it): the servlet request reader's char buffer.
 *       {@code org.apache.catalina.connector.Request} always builds {@code InputBuffer} with 8192 chars
 *       (16 KB), whether or not the application ever calls {@code getReader()}. Nothing can size it; this
 *       replaces it by reflection after each request, which Tomcat does not support. It only shows what
 *       a lazily allocated reader buffer in Tomcat would save.
 * </ul>
 *
 * <p>Used by {@code bench/heap.sh} and {@code bench/fanout.sh} when {@code BENCH_PROTOCOL=small} is set.
 */
public class SmallBufferProtocol extends Http11NioProtocol {
  private static final int RESPONSE_BUFFER = Integer.getInteger("bench.responseBuffer", 1024);
  private static final int READER_BUFFER = Integer.getInteger("bench.readerBuffer", -1);

  @Override
  public int getDesiredBufferSize() {
    return RESPONSE_BUFFER;
  }

  @Override
  public void setAdapter(Adapter adapter) {
    super.setAdapter(READER_BUFFER < 0 ? adapter : new SmallReader(adapter, READER_BUFFER));
  }

  /** Delegates to Tomcat's adapter; after each request, swaps a full-size reader buffer for a small one. */
  private static final class SmallReader implements Adapter {
    private static final int ADAPTER_NOTES = 1; // CoyoteAdapter keeps the catalina Request in note 1
    private static final Field INPUT_BUFFER;
    private static final Field CHAR_BUFFER;

    static {
      try {
        INPUT_BUFFER = org.apache.catalina.connector.Request.class.getDeclaredField("inputBuffer");
        INPUT_BUFFER.setAccessible(true);
        CHAR_BUFFER = org.apache.catalina.connector.InputBuffer.class.getDeclaredField("cb");
        CHAR_BUFFER.setAccessible(true);
      } catch (ReflectiveOperationException e) {
        throw new ExceptionInInitializerError(e);
      }
    }

    private final Adapter delegate;
    private final int size;

    SmallReader(Adapter delegate, int size) {
      this.delegate = delegate;
      this.size = size;
    }

    @Override
    public void service(Request req, Response res) throws Exception {
      delegate.service(req, res);
      Object request = req.getNote(ADAPTER_NOTES);
      if (request == null) {
        return;
      }
      Object inputBuffer = INPUT_BUFFER.get(request);
      CharBuffer cb = (CharBuffer) CHAR_BUFFER.get(inputBuffer);
      // Only an unused buffer: InputBuffer grows it again (makeSpace) if getReader() needs more.
      if (cb.capacity() > size && cb.position() == 0 && cb.limit() == 0) {
        CharBuffer small = CharBuffer.allocate(size);
        small.limit(0);
        CHAR_BUFFER.set(inputBuffer, small);
      }
    }

    @Override
    public boolean prepare(Request req, Response res) throws Exception {
      return delegate.prepare(req, res);
    }

    @Override
    public boolean asyncDispatch(Request req, Response res, SocketEvent status) throws Exception {
      return delegate.asyncDispatch(req, res, status);
    }

    @Override
    public void log(Request req, Response res, long time) {
      delegate.log(req, res, time);
    }

    @Override
    public void checkRecycled(Request req, Response res) {
      delegate.checkRecycled(req, res);
    }

    @Override
    public String getDomain() {
      return delegate.getDomain();
    }
  }
}
