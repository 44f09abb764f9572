package io.sluice.api.error;

/**
 * An I/O error (a failed write or fsync) stopped the store. It is never retried and reported as
 * success: every send it covered failed, and the store refuses further writes until it is closed
 * and reopened, which recovers from what is on disk.
 */
public final class StorageFailedException extends StorageException {
  private static final long serialVersionUID = 1L;

  public StorageFailedException(String message, Throwable cause) {
    super(message, cause);
  }
}
