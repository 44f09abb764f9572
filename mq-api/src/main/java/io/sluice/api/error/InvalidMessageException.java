package io.sluice.api.error;

/**
 * A message is malformed: a null payload, a header or key that cannot be stored (null, empty header
 * name, NUL character, lone UTF-16 surrogate), too many headers, or a timestamp outside the
 * supported range.
 */
public final class InvalidMessageException extends InvalidRequestException {
  private static final long serialVersionUID = 1L;

  public InvalidMessageException(String message) {
    super(message);
  }
}
