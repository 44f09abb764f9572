package io.sluice.api.error;

/** The store (or producer, or consumer) was used after it was closed. */
public final class StorageClosedException extends StorageException {
  private static final long serialVersionUID = 1L;

  public StorageClosedException(String what) {
    super(what + " is closed");
  }
}
