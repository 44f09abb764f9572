package io.sluice.api.error;

/** A failure of the store itself rather than of the request. */
public abstract class StorageException extends SluiceException {
  private static final long serialVersionUID = 1L;

  protected StorageException(String message) {
    super(message);
  }

  protected StorageException(String message, Throwable cause) {
    super(message, cause);
  }
}
