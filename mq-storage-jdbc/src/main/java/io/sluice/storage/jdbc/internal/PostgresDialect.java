package io.sluice.storage.jdbc.internal;

/** PostgreSQL 13 and later. */
public record PostgresDialect() implements Dialect {
  /** The one instance. */
  public static final PostgresDialect INSTANCE = new PostgresDialect();

  @Override
  public String name() {
    return "postgresql";
  }

  @Override
  public boolean failedStatementAbortsTransaction() {
    return true;
  }

  @Override
  public boolean arrayAck() {
    return true;
  }

  @Override
  public boolean fastPaths() {
    return true;
  }

  @Override
  public boolean notifications() {
    return true;
  }

  @Override
  public boolean jsonHeaders() {
    return true;
  }
}
