package io.sluice.storage.jdbc.internal;

import io.sluice.api.error.BackendUnavailableException;
import io.sluice.api.error.StorageFailedException;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.FlywayException;
import org.flywaydb.core.api.output.MigrateResult;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Creates and upgrades the schema with Flyway, from {@code db/migration/<dialect>}. The migrations
 * run in the configured schema (created if missing) with their own history table, {@value
 * #HISTORY_TABLE}, in that schema: never the application's {@code flyway_schema_history}, so an
 * application's own Flyway and Sluice's never see each other's migrations.
 */
public final class Migrations {
  /** Sluice's Flyway history table, inside the Sluice schema. */
  public static final String HISTORY_TABLE = "mq_flyway_history";

  private static final Logger LOG = LoggerFactory.getLogger(Migrations.class);

  private Migrations() {}

  /** Migrates the schema to the latest version. */
  public static void migrate(DataSource dataSource, Dialect dialect, String schema, String target) {
    Flyway flyway =
        Flyway.configure(Migrations.class.getClassLoader())
            .dataSource(dataSource)
            .schemas(schema)
            .defaultSchema(schema)
            .createSchemas(true)
            .table(HISTORY_TABLE)
            .locations("classpath:db/migration/" + dialect.migrationFolder())
            .load();
    try {
      MigrateResult result = flyway.migrate();
      if (result.migrationsExecuted > 0) {
        LOG.info(
            "Sluice schema {} migrated to version {} ({} migrations) on {}",
            schema,
            result.targetSchemaVersion,
            result.migrationsExecuted,
            target);
      }
    } catch (FlywayException e) {
      if (Database.connectionLost(dialect, e)) {
        throw new BackendUnavailableException(target, e);
      }
      throw new StorageFailedException(
          "migrating Sluice schema " + schema + " on " + target + " failed: " + e.getMessage(), e);
    }
  }
}
