package dev.parkway.transport.http;

/** The {@code Idempotency-Key} header of a publish: 1-128 visible ASCII characters, or absent. */
public final class IdempotencyKey {
  public static final int MAX_LENGTH = 128;

  private IdempotencyKey() {}

  /**
   * @return the key, or null when the header is absent
   * @throws ApiException 400 {@code invalid_idempotency_key}
   */
  public static String check(String key) {
    if (key == null) {
      return null;
    }
    boolean printable = key.chars().allMatch(c -> c > 0x20 && c < 0x7f);
    if (key.isEmpty() || key.length() > MAX_LENGTH || !printable) {
      throw ApiException.badRequest(
          "invalid_idempotency_key",
          "Idempotency-Key is 1-" + MAX_LENGTH + " visible ASCII characters");
    }
    return key;
  }
}
