package dev.parkway.auth;

/**
 * What an authenticated request may do: the answer of {@link Authorizer#authenticate}, asked once per
 * channel, pattern or mailbox the request touches. Implementations are immutable (or at least safe to
 * call from any thread) and cheap: a multi-channel poll asks once per channel it names.
 */
@FunctionalInterface
public interface Grant {
  /** Everything: what {@code parkway.auth=open} gives every request. */
  Grant ALL = (action, target) -> true;

  /** Nothing at all. */
  Grant NONE = (action, target) -> false;

  boolean allows(Action action, Target target);
}
