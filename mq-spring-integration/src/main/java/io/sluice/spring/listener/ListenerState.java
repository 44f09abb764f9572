package io.sluice.spring.listener;

/** Where a listener of the {@link ListenerEndpointRegistry} is; shown by the health indicator. */
public enum ListenerState {
  /** Claiming and handling messages. */
  RUNNING,
  /** Started, but not claiming ({@link ListenerEndpointRegistry#pause}); running handlers end. */
  PAUSED,
  /** Not started (auto-startup off, or stopped by id or with the context). */
  STOPPED,
  /**
   * Its last start failed (the exception is {@link ListenerEndpointRegistry#failure}), or its
   * consumer group member stopped without being asked to.
   */
  FAILED
}
