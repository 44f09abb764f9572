package io.sluice.spring.actuate;

import io.sluice.spi.Capabilities;
import io.sluice.spi.Storage;
import io.sluice.spi.StorageHealth;
import io.sluice.spring.listener.ListenerEndpointRegistry;
import io.sluice.spring.listener.ListenerState;
import java.util.LinkedHashMap;
import java.util.Map;
import org.springframework.boot.health.contributor.AbstractHealthIndicator;
import org.springframework.boot.health.contributor.Health;

/**
 * The store's and the listeners' health under the name {@code sluice}: UP when {@link
 * Storage#health()} says the backend is reachable and has not failed (no I/O error, no corruption
 * found) and no listener has failed, DOWN otherwise. Details: the backend name, the store's own
 * description, and under {@code listeners} each listener's state ({@code RUNNING}, {@code PAUSED},
 * {@code STOPPED} or {@code FAILED}, see {@link ListenerState}; a failed one adds its error under
 * {@code listenerErrors}). A paused or stopped listener does not make the application DOWN. Disable
 * it with {@code management.health.sluice.enabled=false}.
 */
public class SluiceHealthIndicator extends AbstractHealthIndicator {
  private final Storage storage;
  private final ListenerEndpointRegistry listeners;

  /** An indicator for {@code storage}. */
  public SluiceHealthIndicator(Storage storage) {
    this(storage, null);
  }

  /** An indicator for {@code storage} and the listeners of {@code listeners} (may be null). */
  public SluiceHealthIndicator(Storage storage, ListenerEndpointRegistry listeners) {
    super("Sluice health check failed");
    this.storage = storage;
    this.listeners = listeners;
  }

  @Override
  protected void doHealthCheck(Health.Builder builder) {
    StorageHealth health = storage.health();
    Capabilities capabilities = storage.capabilities();
    if (health.healthy()) {
      builder.up();
    } else {
      builder.down();
    }
    builder.withDetail("backend", capabilities.name()).withDetail("detail", health.detail());
    if (listeners == null || listeners.ids().isEmpty()) {
      return;
    }
    Map<String, String> states = new LinkedHashMap<>();
    Map<String, String> errors = new LinkedHashMap<>();
    for (String id : listeners.ids()) {
      ListenerState state = listeners.state(id);
      states.put(id, state.name());
      if (state == ListenerState.FAILED) {
        errors.put(
            id, listeners.failure(id).map(Throwable::toString).orElse("stopped unexpectedly"));
      }
    }
    builder.withDetail("listeners", states);
    if (!errors.isEmpty()) {
      builder.down().withDetail("listenerErrors", errors);
    }
  }
}
