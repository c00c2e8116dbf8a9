package dev.parkway.core;

/**
 * Writes a poll's answer. Implemented by the transport.
 *
 * <p>Called exactly once per poll, by whichever thread won {@link ParkedPoll#finish}: the request thread
 * for an immediate answer, a delivery thread otherwise, or a container thread for {@link
 * Answer.ClientGone} and the container's backstop timeout. Never called while a broker or store lock is
 * held. It should write and complete the response before returning; {@link ParkedPoll#awaitAnswered}
 * returns once it has.
 */
@FunctionalInterface
public interface PollResponder {
  void answer(Answer answer);

  /**
   * The remote address of the client this poll answers, for the per-address limit ({@link
   * AddressQuota}); null when unknown, and then the poll is not limited.
   */
  default String origin() {
    return null;
  }
}
