package io.sluice.api.error;

/**
 * A configuration value or argument is outside its allowed range: partitions, retention, lease
 * durations, backoff, delays, batch sizes.
 */
public final class InvalidConfigException extends InvalidRequestException {
  private static final long serialVersionUID = 1L;

  public InvalidConfigException(String message) {
    super(message);
  }
}
