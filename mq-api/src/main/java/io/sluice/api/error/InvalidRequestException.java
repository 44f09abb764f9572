package io.sluice.api.error;

/**
 * A request was rejected because of its input. The store was not changed: a batch with one bad
 * message appends none of them.
 */
public class InvalidRequestException extends SluiceException {
  private static final long serialVersionUID = 1L;

  public InvalidRequestException(String message) {
    super(message);
  }
}
