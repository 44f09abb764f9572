package io.sluice.spring.actuate;

import io.sluice.spi.Capabilities;
import io.sluice.spi.Storage;
import io.sluice.spi.StorageHealth;
import org.springframework.boot.health.contributor.AbstractHealthIndicator;
import org.springframework.boot.health.contributor.Health;

/**
 * The store's health under the name {@code sluice}: UP when {@link Storage#health()} says the
 * backend is reachable and has not failed (no I/O error, no corruption found), DOWN otherwise, with
 * the backend name and the store's own description as details. Disable it with {@code
 * management.health.sluice.enabled=false}.
 */
public class SluiceHealthIndicator extends AbstractHealthIndicator {
  private final Storage storage;

  /** An indicator for {@code storage}. */
  public SluiceHealthIndicator(Storage storage) {
    super("Sluice health check failed");
    this.storage = storage;
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
  }
}
