package dev.parkway.transport.http;

import dev.parkway.core.Answer;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;

/**
 * How a poll's {@link Answer} is written on the wire. The native API has one format ({@link
 * AnswerWriter}); each compatibility route brings its own, so the seed systems' clients see exactly the
 * bodies they expect while the parking underneath is the same. Implementations are stateless and are
 * called once per poll, from whichever thread answers it. {@link Answer.ClientGone} never reaches them.
 */
@FunctionalInterface
public interface AnswerFormat {
  void write(HttpServletResponse resp, Answer answer) throws IOException;
}
