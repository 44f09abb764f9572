package io.sluice.api.error;

/** The backend in use cannot do what was asked, for example join a JDBC transaction. */
public final class UnsupportedCapabilityException extends SluiceException {
  private static final long serialVersionUID = 1L;

  public UnsupportedCapabilityException(String message) {
    super(message);
  }
}
