package io.sluice.spi;

/**
 * A registration made with {@link Storage#watchAppends}: closing it stops the notifications.
 * Idempotent.
 */
@Evolving
public interface AppendWatch extends AutoCloseable {
  /** What a store that cannot notify returns: nothing will be called, consumers poll. */
  AppendWatch NONE = () -> {};

  /** Stops the notifications; the listener may still run once if an append is under way. */
  @Override
  void close();
}
