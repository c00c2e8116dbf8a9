package dev.parkway.client;

/** Text that is not valid JSON, with the character offset where reading failed. */
public final class JsonException extends IllegalArgumentException {
  private static final long serialVersionUID = 1L;
  private final int position;

  JsonException(String message, int position) {
    super(message + " at offset " + position);
    this.position = position;
  }

  /** The offset (in chars) in the text where the error was found. */
  public int position() {
    return position;
  }
}
