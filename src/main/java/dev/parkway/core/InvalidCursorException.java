package dev.parkway.core;

/** A cursor that cannot be decoded, or that points ahead of a channel's head in the current epoch. */
public final class InvalidCursorException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public InvalidCursorException(String message) {
    super(message, null, false, false);
  }
}
