package io.sluice.api.error;

/**
 * A message's encoded size (payload, key, headers and idempotency key, in UTF-8) is above the
 * topic's {@code maxMessageBytes}, or a key or idempotency key is above its own limit.
 */
public final class MessageTooLargeException extends InvalidRequestException {
  private static final long serialVersionUID = 1L;

  private final long size;
  private final long limit;

  public MessageTooLargeException(String what, long size, long limit) {
    super(
        what
            + " is too large: expected at most "
            + limit
            + " bytes, found "
            + size
            + " bytes; raise the limit in TopicConfig.maxMessageBytes or send less");
    this.size = size;
    this.limit = limit;
  }

  public long size() {
    return size;
  }

  public long limit() {
    return limit;
  }
}
