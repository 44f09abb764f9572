package io.sluice.benchmarks.jdbc;

import io.sluice.storage.jdbc.JdbcStorageConfig;

/** Turns the store's LISTEN/NOTIFY on or off in a benchmark's configuration. */
final class Notifications {
  private Notifications() {}

  static void configure(JdbcStorageConfig.Builder config, boolean notify) {
    config.notifications(notify);
  }
}
