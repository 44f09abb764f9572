package io.sluice.storage.jdbc.internal;

import io.sluice.api.Message;
import io.sluice.api.Position;
import io.sluice.api.Receipt;
import io.sluice.api.TopicConfig;
import io.sluice.api.error.BackendUnavailableException;
import io.sluice.api.error.OffsetOutOfRangeException;
import io.sluice.api.error.StaleDeliveryException;
import io.sluice.spi.Ack;
import io.sluice.spi.BatchResult;
import io.sluice.spi.DeadLetterRequest;
import io.sluice.spi.DeliveryId;
import io.sluice.spi.OutgoingMessage;
import io.sluice.spi.PartitionInfo;
import io.sluice.spi.StorageHealth;
import io.sluice.spi.StoredMessage;
import io.sluice.spi.TransactionContext;
import io.sluice.spi.TransactionalWork;
import io.sluice.storage.jdbc.JdbcStorageConfig;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import javax.sql.DataSource;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.statement.TemplateEngine;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The parts of a JDBC store wired together, with the operations that span several of them (dead
 * letters, work in the ack's transaction, reads). {@code JdbcStorage} delegates here; requests
 * arrive validated and only while the store is open (its facade, {@code AbstractStorage}, checks).
 */
public final class Engine implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(Engine.class);

  private final Database db;
  private final Topics topics;
  private final Appender appender;
  private final AppendCombiner combiner = new AppendCombiner();
  private final Claimer claimer;
  private final OffsetCommitter committer;
  private final Leases leases;
  private final Pauses pauses;
  private final Cursors cursors;
  private final Retention retention;
  private final AutoCloseable ownedPool;
  private final Wakeups wakeups;
  private final RetentionService retentionService;

  private Engine(
      Database db, DataSource dataSource, AutoCloseable ownedPool, JdbcStorageConfig config) {
    this.db = db;
    this.wakeups =
        config.notifications() && db.dialect().notifications()
            ? new Wakeups(db, dataSource, config.schema(), config.notifyInterval())
            : null;
    Statements sql = db.sql();
    this.topics = new Topics(sql);
    this.cursors = new Cursors(sql, topics);
    this.appender = new Appender(sql, topics, db.dialect().jsonHeaders());
    boolean arrays = db.dialect().arrayAck();
    this.claimer = new Claimer(sql, topics, cursors, arrays);
    this.committer = new OffsetCommitter(sql, topics, cursors, arrays);
    this.leases = new Leases(sql, topics, arrays);
    this.pauses = new Pauses(sql);
    this.retention = new Retention(db, topics, committer);
    this.ownedPool = ownedPool;
    this.retentionService =
        config.retentionInterval() == null
            ? null
            : new RetentionService(retention, config.retentionInterval(), db.target());
    if (retentionService != null) {
      retentionService.start();
    }
  }

  /**
   * Detects the dialect, migrates, and wires the store.
   *
   * @param ownedPool closed with the store, or null when the application owns the data source
   * @param before how to name the database until connected (never with a password); once connected,
   *     the name is the URL the driver reports, see {@link DataSourceNames}
   */
  public static Engine start(
      DataSource dataSource, JdbcStorageConfig config, AutoCloseable ownedPool, String before) {
    Dialect dialect;
    String target = before;
    try (Connection c = dataSource.getConnection()) {
      dialect = Dialect.of(c);
      target = DataSourceNames.connected(dataSource, c, before);
    } catch (SQLException e) {
      throw new BackendUnavailableException(target, e);
    }
    if (config.migrateOnStart()) {
      Migrations.migrate(dataSource, dialect, config.schema(), target);
    }
    Statements sql = new Statements(dialect, config.schema());
    Jdbi jdbi = configure(Jdbi.create(dataSource), dialect);
    InstantSource clock =
        config.clock() != null
            ? config.clock()
            : new DatabaseClock(jdbi, sql.get("clock_now"), InstantSource.system());
    return new Engine(
        new Database(jdbi, dialect, sql, clock, target), dataSource, ownedPool, config);
  }

  /**
   * Sluice's Jdbi settings: SQL is used exactly as written in the files; instants are bound and
   * read as the dialect does; on a database without SQL arrays, arrays are bound as JSON text.
   */
  public static Jdbi configure(Jdbi jdbi, Dialect dialect) {
    jdbi.setTemplateEngine(TemplateEngine.NOP);
    jdbi.getConfig(DialectConfig.class).dialect(dialect);
    if (!dialect.sqlArrays()) {
      jdbi.registerArgument(new JsonArrays());
    }
    return jdbi;
  }

  /** The database access. */
  public Database db() {
    return db;
  }

  /** Topic rows. */
  public Topics topics() {
    return topics;
  }

  /** The appender. */
  public Appender appender() {
    return appender;
  }

  /** The claimer. */
  public Claimer claimer() {
    return claimer;
  }

  /** Acks, releases, seeks and group state. */
  public OffsetCommitter committer() {
    return committer;
  }

  /** Marking started, releasing and extending leases. */
  public Leases leases() {
    return leases;
  }

  /** Wake-ups across processes, or null when this database or the configuration has none. */
  public Wakeups wakeups() {
    return wakeups;
  }

  /** Pauses. */
  public Pauses pauses() {
    return pauses;
  }

  /** Retention. */
  public Retention retention() {
    return retention;
  }

  /** What a position names in one partition now (clamped to the retained range); no side effect. */
  public long offsetFor(Handle h, String topic, int partition, Position position) {
    return cursors.resolve(h, topics.require(h, topic), partition, position, false);
  }

  /**
   * Appends: the one-statement paths for unkeyed batches and for batches spread over partitions
   * when they apply; a batch bound for one partition shares its transaction with the appends to
   * that partition that arrive while another runs ({@link AppendCombiner}); anything else is one
   * transaction of its own.
   */
  public List<Receipt> append(String topic, List<OutgoingMessage> batch) {
    if (db.dialect().fastPaths()) {
      Optional<List<Receipt>> fast =
          db.autoCommit("append", h -> appender.appendUnkeyed(h, topic, batch, db.now()));
      if (fast.isPresent()) {
        return fast.get();
      }
    }
    int partition = db.autoCommit("append", h -> appender.onePartition(h, topic, batch));
    if (partition < 0) {
      if (db.dialect().fastPaths()) {
        Optional<List<Receipt>> spread =
            db.autoCommit("append", h -> appender.appendSpread(h, topic, batch, db.now()));
        if (spread.isPresent()) {
          return spread.get();
        }
      }
      return db.tx("append", h -> appender.append(h, topic, batch, db.now()));
    }
    return combiner.append(
        topic + "/" + partition, batch, batches -> appendCombined(topic, batches));
  }

  /** Several calls' batches to one topic as one (see {@link AppendCombiner}). */
  private List<List<Receipt>> appendCombined(String topic, List<List<OutgoingMessage>> batches) {
    if (db.dialect().fastPaths()) {
      List<OutgoingMessage> all = Appender.concat(batches);
      Optional<List<Receipt>> fast =
          db.autoCommit("append", h -> appender.appendToOnePartition(h, topic, all, db.now()));
      if (fast.isPresent()) {
        return Appender.split(fast.get(), batches);
      }
    }
    return db.tx("append", h -> appender.appendAll(h, topic, batches, db.now()));
  }

  /**
   * Claims: the auto-commit fast path for unordered groups when nothing is due again (it counts the
   * attempts of a claim with {@code start} itself), else one transaction that claims and, with
   * {@code start}, marks what it claimed.
   */
  public List<io.sluice.spi.Lease> claim(io.sluice.spi.ClaimRequest r) {
    if (db.dialect().fastPaths() && r.ordering() == io.sluice.api.Ordering.UNORDERED) {
      List<io.sluice.spi.Lease> fast =
          db.autoCommit("claim", h -> claimer.claimNewFast(h, r, db.now()));
      if (fast != null) {
        return fast;
      }
    }
    return db.tx(
        "claim",
        h -> {
          Instant now = db.now();
          List<io.sluice.spi.Lease> claimed = claimer.claim(h, r, now);
          return r.start() ? started(h, r.group(), claimed, now) : claimed;
        });
  }

  /**
   * Marks {@code claimed} started in the claim's transaction; returns those marked (all of them,
   * unless a lease shorter than the clock's resolution is already over).
   */
  private List<io.sluice.spi.Lease> started(
      Handle h, String group, List<io.sluice.spi.Lease> claimed, Instant now) {
    if (claimed.isEmpty()) {
      return claimed;
    }
    List<DeliveryId> ids = new ArrayList<>(claimed.size());
    claimed.forEach(l -> ids.add(l.id()));
    return leases.markStarted(h, group, ids, now, false).notRejected(claimed);
  }

  /**
   * Marks leases started in one transaction (durable when it returns, so a crash of this process
   * afterwards cannot give the attempt back).
   */
  public BatchResult markStarted(String group, List<DeliveryId> ids) {
    if (ids.isEmpty()) {
      return BatchResult.allApplied(0);
    }
    return db.tx("markStarted", h -> leases.markStarted(h, group, ids, db.now(), true));
  }

  /**
   * Acks in one transaction: one statement per topic where the dialect has array statements, and on
   * PostgreSQL a call of one topic without processed keys sends that statement with its {@code
   * COMMIT} in one round trip ({@link DeliveryRows.Framing}; ids rejected because a concurrent
   * split moved them are retried in a second transaction).
   */
  public BatchResult ack(String group, List<Ack> acks) {
    if (acks.isEmpty()) {
      return BatchResult.allApplied(0);
    }
    return db.tx("ack", h -> committer.ack(h, group, acks, db.now(), true));
  }

  /** Reads a partition's log. */
  public List<StoredMessage> read(Handle h, String topic, int partition, long from, int max) {
    TopicRow row = topics.require(h, topic);
    PartitionInfo range = topics.range(h, row, partition);
    if (from < range.logStartOffset() || from > range.endOffset()) {
      throw new OffsetOutOfRangeException(
          topic, partition, from, range.logStartOffset(), range.endOffset());
    }
    return h.createQuery(db.sql().get("message_range"))
        .bind("topicId", row.id())
        .bind("partition", partition)
        .bind("from", from)
        .bind("max", max)
        .map((rs, ctx) -> MessageRows.read(rs, ctx, topic, partition))
        .list();
  }

  /** Acks the delivery and appends to the dead-letter topic, in one transaction. */
  public Receipt deadLetter(Handle h, DeadLetterRequest r) {
    BatchResult result =
        committer.ack(h, r.group(), List.of(Ack.of(r.delivery())), db.now(), false);
    if (result.applied() != 1) {
      throw new StaleDeliveryException(
          r.delivery(), "lease expired, re-granted or already settled; nothing dead-lettered");
    }
    if (topics.find(h, r.deadLetterTopic()).isEmpty()) {
      topics.create(h, r.deadLetterTopic(), TopicConfig.defaults(), db.now());
    }
    Message message = r.message();
    return appender
        .append(h, r.deadLetterTopic(), List.of(OutgoingMessage.of(message)), db.now())
        .get(0);
  }

  /**
   * Runs the work and the acks in one transaction: if any ack is stale, the transaction (the work's
   * writes included) rolls back and {@link StaleDeliveryException} names the first stale delivery.
   */
  @SuppressWarnings("unchecked")
  public <R, X extends Exception> R inTransaction(
      String group, List<Ack> acks, TransactionalWork<R, X> work) throws X {
    Exception[] thrown = new Exception[1];
    try {
      return db.tx(
          "inTransaction",
          h -> {
            Connection connection = h.getConnection();
            R result;
            try {
              result = work.run(contextOf(connection));
            } catch (Exception e) {
              thrown[0] = e;
              throw new WorkFailed(e);
            }
            if (!acks.isEmpty()) {
              BatchResult acked = committer.ack(h, group, acks, db.now(), false);
              if (!acked.rejected().isEmpty()) {
                throw new StaleDeliveryException(
                    acked.rejected().get(0),
                    "lease expired, re-granted or already settled; rolled back");
              }
            }
            return result;
          });
    } catch (WorkFailed e) {
      throw (X) thrown[0];
    }
  }

  private static TransactionContext contextOf(Connection connection) {
    return new TransactionContext() {
      @Override
      public <T> Optional<T> unwrap(Class<T> type) {
        return type.isInstance(connection) ? Optional.of(type.cast(connection)) : Optional.empty();
      }
    };
  }

  /** Carries the work's own exception out of the transaction, which is rolled back. */
  private static final class WorkFailed extends RuntimeException {
    private static final long serialVersionUID = 1L;

    WorkFailed(Exception cause) {
      super(cause.getMessage(), cause, false, false);
    }
  }

  /** Whether a trivial query on Sluice's schema succeeds. */
  public StorageHealth health() {
    try (Handle h = db.jdbi().open()) {
      h.createQuery(db.sql().get("health")).mapTo(Long.class).one();
      return new StorageHealth(true, db.dialect().name() + " " + db.target());
    } catch (RuntimeException e) {
      return new StorageHealth(
          false, db.dialect().name() + " " + db.target() + ": " + e.getMessage());
    }
  }

  /** Stops retention and closes an owned pool. Called once, by the store's close. */
  @Override
  public void close() {
    if (retentionService != null) {
      retentionService.close();
    }
    if (wakeups != null) {
      wakeups.close();
    }
    if (ownedPool != null) {
      try {
        ownedPool.close();
      } catch (Exception e) {
        LOG.warn("closing the pool of {} failed", db.target(), e);
      }
    }
  }
}
