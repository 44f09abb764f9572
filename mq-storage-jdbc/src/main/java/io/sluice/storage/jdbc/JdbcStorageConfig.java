package io.sluice.storage.jdbc;

import io.sluice.api.error.InvalidConfigException;
import io.sluice.storage.jdbc.internal.Statements;
import java.time.Duration;
import java.time.InstantSource;

/**
 * How a {@link JdbcStorage} uses its database.
 *
 * <pre>{@code
 * JdbcStorageConfig config = JdbcStorageConfig.builder()
 *     .schema("sluice")          // the default; a dedicated schema with its own Flyway history
 *     .migrateOnStart(true)      // the default
 *     .build();                  // clock: follows the database's clock
 * }</pre>
 *
 * @param schema the schema holding Sluice's tables: a lowercase SQL identifier ({@code
 *     [a-z_][a-z0-9_]{0,62}}); the only text ever interpolated into SQL, so it is validated here
 * @param migrateOnStart run the Flyway migrations when the store is created
 * @param clock the store clock; {@code null} means a clock that follows the database's clock
 *     (sampled every 30 s), so hosts with skewed clocks agree on lease expiry
 * @param maxPoolSize the pool size when the store owns its pool (built from a URL)
 * @param retentionInterval how often retention runs in the background; {@code null} for never (call
 *     {@link JdbcStorage#enforceRetention()} yourself)
 * @param notifications wake consumers in other processes at once (PostgreSQL {@code LISTEN/NOTIFY};
 *     ignored on H2 and MariaDB, which have none); false leaves them to their poll interval, e.g.
 *     behind a pooler in transaction mode, which drops {@code LISTEN}
 * @param notifyInterval how long the notifier rests after each round of notifications (0 to 1 s,
 *     default 10 ms): the first append after a quiet spell is notified at once, and appends during
 *     a rest wait for its end, so a topic is notified at most once per interval. Shorter wakes
 *     consumers in other processes sooner under steady traffic (2 ms took about 2 ms off the median
 *     send-to-handler latency at 10,000 msg/s) at the cost of more notifications, each of which
 *     wakes every listening backend (2 ms cost small durable producers 10–18 % on two cores)
 */
public record JdbcStorageConfig(
    String schema,
    boolean migrateOnStart,
    InstantSource clock,
    int maxPoolSize,
    Duration retentionInterval,
    boolean notifications,
    Duration notifyInterval) {

  /** The default schema. */
  public static final String DEFAULT_SCHEMA = "sluice";

  /** The default {@link #notifyInterval}. */
  public static final Duration DEFAULT_NOTIFY_INTERVAL = Duration.ofMillis(10);

  /** The longest {@link #notifyInterval}. */
  public static final Duration MAX_NOTIFY_INTERVAL = Duration.ofSeconds(1);

  /** Checks every field. */
  public JdbcStorageConfig {
    if (schema == null || !Statements.SCHEMA.matcher(schema).matches()) {
      throw new InvalidConfigException(
          "schema must be a lowercase SQL identifier matching "
              + Statements.SCHEMA.pattern()
              + ", found "
              + (schema == null ? "null" : "\"" + schema + "\""));
    }
    if (maxPoolSize < 1) {
      throw new InvalidConfigException("maxPoolSize must be at least 1, found " + maxPoolSize);
    }
    if (retentionInterval != null
        && (retentionInterval.isNegative() || retentionInterval.isZero())) {
      throw new InvalidConfigException(
          "retentionInterval must be positive or null, found " + retentionInterval);
    }
    if (notifyInterval == null
        || notifyInterval.isNegative()
        || notifyInterval.compareTo(MAX_NOTIFY_INTERVAL) > 0) {
      throw new InvalidConfigException(
          "notifyInterval must be between 0 and "
              + MAX_NOTIFY_INTERVAL
              + ", found "
              + notifyInterval);
    }
  }

  /** A configuration with the default {@link #notifyInterval}. */
  public JdbcStorageConfig(
      String schema,
      boolean migrateOnStart,
      InstantSource clock,
      int maxPoolSize,
      Duration retentionInterval,
      boolean notifications) {
    this(
        schema,
        migrateOnStart,
        clock,
        maxPoolSize,
        retentionInterval,
        notifications,
        DEFAULT_NOTIFY_INTERVAL);
  }

  /**
   * The defaults: schema {@code sluice}, migrate on start, database clock, pool of 10, retention
   * every 5 minutes, notifications on.
   */
  public static JdbcStorageConfig defaults() {
    return builder().build();
  }

  /** A builder starting from the defaults. */
  public static Builder builder() {
    return new Builder();
  }

  /** Builds a {@link JdbcStorageConfig}; {@link #build()} validates. */
  public static final class Builder {
    private String schema = DEFAULT_SCHEMA;
    private boolean migrateOnStart = true;
    private InstantSource clock;
    private int maxPoolSize = 10;
    private Duration retentionInterval = Duration.ofMinutes(5);
    private boolean notifications = true;
    private Duration notifyInterval = DEFAULT_NOTIFY_INTERVAL;

    private Builder() {}

    /** The schema for Sluice's tables (default {@code sluice}). */
    public Builder schema(String schema) {
      this.schema = schema;
      return this;
    }

    /** Whether to run migrations on start (default true). */
    public Builder migrateOnStart(boolean migrateOnStart) {
      this.migrateOnStart = migrateOnStart;
      return this;
    }

    /** The store clock (default: follow the database's clock). */
    public Builder clock(InstantSource clock) {
      this.clock = clock;
      return this;
    }

    /** The pool size when the store owns the pool (default 10). */
    public Builder maxPoolSize(int maxPoolSize) {
      this.maxPoolSize = maxPoolSize;
      return this;
    }

    /** How often retention runs in the background (default 5 minutes; null for never). */
    public Builder retentionInterval(Duration retentionInterval) {
      this.retentionInterval = retentionInterval;
      return this;
    }

    /**
     * Whether to wake consumers in other processes at once with PostgreSQL {@code LISTEN/NOTIFY}
     * (default true; no effect on H2). Turn it off behind a pooler that drops {@code LISTEN}.
     */
    public Builder notifications(boolean notifications) {
      this.notifications = notifications;
      return this;
    }

    /**
     * How long the notifier rests after each round of notifications (default 10 ms, at most 1 s):
     * see {@link JdbcStorageConfig#notifyInterval()}.
     */
    public Builder notifyInterval(Duration notifyInterval) {
      this.notifyInterval = notifyInterval;
      return this;
    }

    /** The configuration. */
    public JdbcStorageConfig build() {
      return new JdbcStorageConfig(
          schema,
          migrateOnStart,
          clock,
          maxPoolSize,
          retentionInterval,
          notifications,
          notifyInterval);
    }
  }
}
