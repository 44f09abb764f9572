package io.sluice.spring.core;

import io.sluice.api.error.SluiceException;

/**
 * A payload could not be converted to or from an application type. A listener whose payload does
 * not convert dead-letters the message at once: retrying the same bytes cannot succeed.
 */
public final class MessageConversionException extends SluiceException {
  private static final long serialVersionUID = 1L;

  /** With a message saying what was expected and found. */
  public MessageConversionException(String message) {
    super(message);
  }

  /** With a message and the converter's exception. */
  public MessageConversionException(String message, Throwable cause) {
    super(message, cause);
  }
}
