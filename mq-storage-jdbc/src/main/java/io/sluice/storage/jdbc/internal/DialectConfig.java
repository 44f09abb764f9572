package io.sluice.storage.jdbc.internal;

import org.jdbi.v3.core.config.JdbiConfig;

/**
 * The store's dialect in a Jdbi configuration, so that bind arguments and row mappers, which see
 * only the statement's context, can bind and read values as the dialect does (see {@link
 * Database#ts} and {@link Database#instant(java.sql.ResultSet, String,
 * org.jdbi.v3.core.statement.StatementContext)}). Without one, PostgreSQL's conventions apply.
 */
public final class DialectConfig implements JdbiConfig<DialectConfig> {
  private Dialect dialect = PostgresDialect.INSTANCE;

  /** PostgreSQL's conventions (Jdbi creates the default this way). */
  public DialectConfig() {}

  private DialectConfig(DialectConfig other) {
    this.dialect = other.dialect;
  }

  /** The dialect. */
  public Dialect dialect() {
    return dialect;
  }

  /** Sets the dialect. */
  public DialectConfig dialect(Dialect dialect) {
    this.dialect = dialect;
    return this;
  }

  @Override
  public DialectConfig createCopy() {
    return new DialectConfig(this);
  }
}
