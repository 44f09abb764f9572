package io.sluice.api.error;

/**
 * The storage backend cannot be reached (a database that is down, refuses connections, or dropped
 * one). The target is named without credentials.
 */
public final class BackendUnavailableException extends StorageException {
  private static final long serialVersionUID = 1L;

  private final String target;

  public BackendUnavailableException(String target, Throwable cause) {
    super(
        "backend unavailable: "
            + target
            + (cause == null || cause.getMessage() == null ? "" : " (" + cause.getMessage() + ")"),
        cause);
    this.target = target;
  }

  /** The backend's address, for example a JDBC URL without its password. */
  public String target() {
    return target;
  }
}
