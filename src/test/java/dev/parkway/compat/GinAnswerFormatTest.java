package dev.parkway.compat;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.parkway.core.Answer;
import dev.parkway.core.Broker;
import dev.parkway.core.Mailboxes;
import dev.parkway.core.Retention;
import dev.parkway.core.Start;
import dev.parkway.store.memory.RingBufferStore;
import dev.parkway.transport.http.AnswerWriter;
import dev.parkway.transport.http.JsonWriter;
import jakarta.json.bind.Jsonb;
import jakarta.json.bind.JsonbBuilder;
import jakarta.servlet.ServletOutputStream;
import jakarta.servlet.WriteListener;
import jakarta.servlet.http.HttpServletResponse;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.lang.reflect.Proxy;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * {@link GinAnswerFormat} on its own, with a response whose flush fails or succeeds on demand: a message
 * is acknowledged only after its answer was flushed, and before the answer's last byte is written.
 */
class GinAnswerFormatTest {
  private final RingBufferStore store =
      new RingBufferStore(new Retention(100, Duration.ZERO, Duration.ZERO), Clock.systemUTC());
  private final Broker broker = new Broker(store, (task, delay) -> () -> {}, Runnable::run, 1, 1 << 20);
  private final Mailboxes mailboxes = new Mailboxes(broker);
  private final Jsonb jsonb = JsonbBuilder.create();
  private final JsonWriter json = new JsonWriter(jsonb);
  private final GinAnswerFormat format =
      new GinAnswerFormat(mailboxes, "bob", json, new AnswerWriter(json, Duration.ofSeconds(3)));

  @AfterEach
  void close() throws Exception {
    jsonb.close();
  }

  /** The one message a Gin poll would get now (limit 1, oldest unacknowledged). */
  private Answer.Events oldest() {
    List<Answer> got = new ArrayList<>();
    mailboxes.poll("bob", new Start.Head(), 0, 1, got::add);
    return (Answer.Events) got.get(0);
  }

  private int queued() {
    return store.stats(Mailboxes.key("bob")).orElseThrow().buffered();
  }

  @Test
  void aFailedFlushAcknowledgesNothing() {
    mailboxes.send("bob", "\"m1\"");
    FakeResponse resp = new FakeResponse(true);
    assertThatThrownBy(() -> format.write(resp.proxy(), oldest())).isInstanceOf(IOException.class);
    assertThat(queued()).isEqualTo(1);
    assertThat(oldest().events().get(0).data()).isEqualTo("\"m1\"");
  }

  @Test
  void aFlushedAnswerIsAcknowledgedBeforeItsLastByte() throws IOException {
    mailboxes.send("bob", "\"m1\"");
    mailboxes.send("bob", "\"m2\"");
    FakeResponse resp = new FakeResponse(false);
    resp.onFlush = () -> resp.queuedAtFlush.add(queued());
    format.write(resp.proxy(), oldest());
    assertThat(resp.status).isEqualTo(200);
    assertThat(resp.body()).isEqualTo("{\"message\":\"m1\"}");
    assertThat(resp.headers).containsEntry("Content-Length", "16").containsEntry("Cache-Control", "no-store");
    assertThat(resp.queuedAtFlush).as("not yet acknowledged when flushed").containsExactly(2);
    assertThat(resp.bodyAtFlush).isEqualTo("{\"message\":\"m1\"");
    assertThat(queued()).isEqualTo(1);
    assertThat(oldest().events().get(0).data()).isEqualTo("\"m2\"");
  }

  @Test
  void timeoutAndSupersededHaveTheirFixedBodies() throws IOException {
    FakeResponse timeout = new FakeResponse(false);
    format.write(timeout.proxy(), Answer.Events.empty(null, Answer.Reason.TIMEOUT));
    assertThat(timeout.status).isEqualTo(504);
    assertThat(timeout.body()).isEqualTo("{\"error\":\"timeout\"}");

    FakeResponse superseded = new FakeResponse(false);
    format.write(superseded.proxy(), Answer.Events.empty(null, Answer.Reason.SUPERSEDED));
    assertThat(superseded.status).isEqualTo(409);
    assertThat(superseded.body()).isEqualTo("{\"error\":\"superseded\"}");

    FakeResponse stopping = new FakeResponse(false);
    format.write(stopping.proxy(), new Answer.ShuttingDown());
    assertThat(stopping.status).isEqualTo(503);
    assertThat(stopping.body()).startsWith("{\"error\":\"shutting_down\",\"message\":");
    assertThat(stopping.headers).containsKey("Retry-After");
  }

  /** Just enough of a response: status, headers, body bytes, and a flush that fails if told to. */
  private static final class FakeResponse {
    final boolean failFlush;
    final Map<String, String> headers = new LinkedHashMap<>();
    final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    final List<Integer> queuedAtFlush = new ArrayList<>();
    String bodyAtFlush;
    Runnable onFlush = () -> {};
    int status;

    FakeResponse(boolean failFlush) {
      this.failFlush = failFlush;
    }

    String body() {
      return bytes.toString(StandardCharsets.UTF_8);
    }

    HttpServletResponse proxy() {
      ServletOutputStream out = new ServletOutputStream() {
        @Override
        public void write(int b) {
          bytes.write(b);
        }

        @Override
        public boolean isReady() {
          return true;
        }

        @Override
        public void setWriteListener(WriteListener listener) {}
      };
      return (HttpServletResponse) Proxy.newProxyInstance(
          getClass().getClassLoader(),
          new Class<?>[] {HttpServletResponse.class},
          (self, method, args) -> {
            switch (method.getName()) {
              case "setStatus" -> status = (Integer) args[0];
              case "setHeader" -> headers.put((String) args[0], (String) args[1]);
              case "setContentType" -> headers.put("Content-Type", (String) args[0]);
              case "setContentLength" -> headers.put("Content-Length", args[0].toString());
              case "getOutputStream" -> {
                return out;
              }
              case "flushBuffer" -> {
                if (failFlush) {
                  throw new IOException("Broken pipe");
                }
                bodyAtFlush = body();
                onFlush.run();
              }
              default -> {
                return method.getReturnType() == boolean.class ? false : null;
              }
            }
            return null;
          });
    }
  }
}
