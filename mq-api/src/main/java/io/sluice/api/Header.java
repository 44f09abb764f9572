package io.sluice.api;

import io.sluice.api.internal.Validation;

/**
 * One message header. Names need not be unique; {@link Headers} keeps every header in order.
 *
 * @param name non-empty, at most 256 UTF-8 bytes, no NUL, no lone surrogate
 * @param value not null (may be empty), no NUL, no lone surrogate
 */
public record Header(String name, String value) {
  public Header {
    Validation.header(name, value);
  }
}
