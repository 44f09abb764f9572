package io.sluice.storage.jdbc;

import com.zaxxer.hikari.HikariDataSource;
import io.sluice.api.Position;
import io.sluice.api.Receipt;
import io.sluice.api.TopicConfig;
import io.sluice.api.error.BackendUnavailableException;
import io.sluice.api.internal.Validation;
import io.sluice.spi.AbstractStorage;
import io.sluice.spi.AckRequest;
import io.sluice.spi.AppendRequest;
import io.sluice.spi.BatchResult;
import io.sluice.spi.Capabilities;
import io.sluice.spi.ClaimRequest;
import io.sluice.spi.DeadLetterRequest;
import io.sluice.spi.ExtendRequest;
import io.sluice.spi.GroupPartition;
import io.sluice.spi.Lease;
import io.sluice.spi.PauseRequest;
import io.sluice.spi.ReadRequest;
import io.sluice.spi.ReleaseRequest;
import io.sluice.spi.SeekRequest;
import io.sluice.spi.StartRequest;
import io.sluice.spi.StorageHealth;
import io.sluice.spi.StoredMessage;
import io.sluice.spi.TopicInfo;
import io.sluice.spi.TransactionalWork;
import io.sluice.storage.jdbc.internal.DataSourceNames;
import io.sluice.storage.jdbc.internal.Engine;
import io.sluice.storage.jdbc.internal.PoolFactory;
import java.time.Instant;
import java.util.List;
import java.util.function.Consumer;
import java.util.function.Function;
import javax.sql.DataSource;
import org.jdbi.v3.core.Handle;

/**
 * The SQL storage backend: PostgreSQL 13+ or MariaDB 10.6+ in production, H2 2.x for tests and
 * small installs (the dialect comes from the connection's metadata). Any number of processes on any
 * number of hosts may share one database; they coordinate with row locks ({@code FOR UPDATE SKIP
 * LOCKED}) and never wait for each other to claim.
 *
 * <pre>{@code
 * // The application's pool, used as is:
 * Storage storage = JdbcStorage.create(dataSource, JdbcStorageConfig.defaults());
 * // Or a pool the store owns and closes:
 * Storage storage = JdbcStorage.create("jdbc:postgresql://db/app", "app", secret,
 *     JdbcStorageConfig.defaults());
 * }</pre>
 *
 * <p>Durability is the database's: {@link #append} returns after the transaction commits. See the
 * module README for the schema, the no-gap offset mechanism and its cost, and the H2 differences.
 * Argument checks, the closed check and append notifications are the shared facade's ({@link
 * AbstractStorage}); this class maps each operation to its SQL. Appends through this object wake
 * its watchers; on PostgreSQL, appends by other processes and committed sends inside an application
 * transaction ({@link TransactionalSend}) wake them too ({@code LISTEN/NOTIFY}, see {@link
 * JdbcStorageConfig#notifications()}); elsewhere they are found by polling.
 */
public final class JdbcStorage extends AbstractStorage {
  private final Engine engine;
  private final java.util.Set<String> watched = java.util.concurrent.ConcurrentHashMap.newKeySet();

  private JdbcStorage(Engine engine) {
    this.engine = engine;
    if (engine.wakeups() != null) {
      // Listening from the start (one connection outside the pool), so that the thread and its
      // connection belong to the store, not to whichever consumer happens to watch first.
      engine.wakeups().listen(this::notified, this::wakeAll);
    }
  }

  /**
   * A store on the application's {@code DataSource}, which it never closes. Runs the migrations
   * first unless {@link JdbcStorageConfig#migrateOnStart()} is false.
   *
   * @throws BackendUnavailableException when the database cannot be reached
   */
  public static JdbcStorage create(DataSource dataSource, JdbcStorageConfig config) {
    Validation.required("dataSource", dataSource);
    Validation.required("config", config);
    return new JdbcStorage(
        Engine.start(dataSource, config, null, DataSourceNames.beforeConnecting(dataSource)));
  }

  /**
   * A store with its own HikariCP pool on {@code url}, closed with the store.
   *
   * @throws BackendUnavailableException when the database cannot be reached; its {@code target()}
   *     is the URL without password
   */
  public static JdbcStorage create(
      String url, String user, String password, JdbcStorageConfig config) {
    Validation.required("url", url);
    Validation.required("config", config);
    HikariDataSource pool = PoolFactory.create(url, user, password, config.maxPoolSize());
    try {
      return new JdbcStorage(Engine.start(pool, config, pool, PoolFactory.redact(url)));
    } catch (RuntimeException e) {
      pool.close();
      throw e;
    }
  }

  /** Sends on the caller's JDBC transaction (the outbox); see {@link TransactionalSend}. */
  public TransactionalSend transactionalSend() {
    return new TransactionalSend(engine, this::isClosed, describe(), this::notifyAppended);
  }

  private <R> R tx(String what, Function<Handle, R> work) {
    return engine.db().tx(what, work);
  }

  /** {@link #tx} for work without a result. */
  private void txRun(String what, Consumer<Handle> work) {
    tx(
        what,
        h -> {
          work.accept(h);
          return null;
        });
  }

  private Instant now() {
    return engine.db().now();
  }

  @Override
  protected String describe() {
    return "JDBC storage on " + engine.db().target();
  }

  // ---------------------------------------------------------------------------------------- topics

  @Override
  protected TopicInfo doCreateTopic(String topic, TopicConfig config) {
    return tx(
        "createTopic",
        h -> engine.topics().info(h, engine.topics().create(h, topic, config, now())));
  }

  @Override
  protected TopicInfo doGrowPartitions(String topic, int partitions) {
    return tx(
        "growPartitions", h -> engine.topics().info(h, engine.topics().grow(h, topic, partitions)));
  }

  @Override
  protected TopicInfo doDescribeTopic(String topic) {
    return tx("describeTopic", h -> engine.topics().info(h, engine.topics().require(h, topic)));
  }

  @Override
  protected List<TopicInfo> doListTopics() {
    return tx(
        "listTopics",
        h -> engine.topics().all(h).stream().map(r -> engine.topics().info(h, r)).toList());
  }

  // --------------------------------------------------------------------------------------- produce

  @Override
  protected List<Receipt> doAppend(AppendRequest request) {
    if (request.messages().isEmpty()) {
      tx("append", h -> engine.topics().require(h, request.topic()));
      return List.of();
    }
    List<Receipt> receipts = engine.append(request.topic(), request.messages());
    signal(request.topic());
    return receipts;
  }

  /** Wakes consumers in other processes (after the commit), when notifications are on. */
  private void signal(String topic) {
    if (engine.wakeups() != null) {
      engine.wakeups().signal(topic);
    }
  }

  /** Other processes' wake-ups reach this store's watchers like its own appends. */
  @Override
  protected void watching(String topic) {
    watched.add(topic);
  }

  private void notified(String topic) {
    if (topic.equals("*")) {
      wakeAll();
    } else {
      notifyAppended(topic);
    }
  }

  private void wakeAll() {
    watched.forEach(this::notifyAppended);
  }

  @Override
  protected List<StoredMessage> doRead(ReadRequest r) {
    return tx("read", h -> engine.read(h, r.topic(), r.partition(), r.fromOffset(), r.max()));
  }

  @Override
  protected long doOffsetFor(String topic, int partition, Position position) {
    return tx("offsetFor", h -> engine.offsetFor(h, topic, partition, position));
  }

  // ------------------------------------------------------------------------------------ consuming

  @Override
  protected List<Lease> doClaim(ClaimRequest request) {
    return engine.claim(request);
  }

  @Override
  protected BatchResult doMarkStarted(StartRequest request) {
    return engine.markStarted(request.group(), request.deliveries());
  }

  @Override
  protected BatchResult doAck(AckRequest request) {
    return engine.ack(request.group(), request.acks());
  }

  @Override
  protected void doRelease(ReleaseRequest request) {
    txRun("release", h -> engine.leases().release(h, request, now()));
    if (request.delay().isZero()) {
      signal(request.delivery().topic());
    }
  }

  @Override
  protected BatchResult doExtendLeases(ExtendRequest r) {
    return tx(
        "extendLeases",
        h -> engine.leases().extend(h, r.group(), r.deliveries(), r.extension(), now()));
  }

  @Override
  protected Receipt doDeadLetter(DeadLetterRequest request) {
    Receipt receipt = tx("deadLetter", h -> engine.deadLetter(h, request));
    signal(request.deadLetterTopic());
    return receipt;
  }

  /**
   * Runs the work and every ack of the request in one database transaction: the work's writes on
   * {@code TransactionContext.unwrap(Connection.class)} commit with the acks and their processed
   * keys, or roll back with them (a failing work, or any stale ack).
   */
  @Override
  protected <R, X extends Exception> R doInTransaction(
      AckRequest request, TransactionalWork<R, X> work) throws X {
    return engine.inTransaction(request.group(), request.acks(), work);
  }

  // --------------------------------------------------------------------------------------- offsets

  @Override
  protected long doSeek(SeekRequest r) {
    return tx(
        "seek",
        h ->
            engine
                .committer()
                .seek(
                    h,
                    r.group(),
                    engine.topics().require(h, r.topic()),
                    r.partition(),
                    r.position()));
  }

  @Override
  protected List<GroupPartition> doGroupState(String group, String topic) {
    return tx(
        "groupState",
        h -> engine.committer().groupState(h, group, engine.topics().require(h, topic)));
  }

  @Override
  protected List<String> doListGroups(String topic) {
    return tx("listGroups", h -> engine.committer().groups(h, engine.topics().require(h, topic)));
  }

  @Override
  protected boolean doIsProcessed(String group, String topic, String processedKey) {
    return tx(
        "isProcessed",
        h ->
            engine
                .committer()
                .isProcessed(h, group, engine.topics().require(h, topic), processedKey, now()));
  }

  @Override
  protected void doPause(PauseRequest request) {
    txRun("pause", h -> engine.pauses().apply(h, request, now()));
    if (!request.paused()) {
      signal(request.topic() == null ? "*" : request.topic());
    }
  }

  @Override
  protected boolean doIsPaused(String group, String topic) {
    return tx("isPaused", h -> engine.pauses().isPaused(h, group, topic));
  }

  // ------------------------------------------------------------------------------------- retention

  @Override
  protected long doEnforceRetention() {
    return engine.retention().enforce();
  }

  // ---------------------------------------------------------------------------------------- status

  @Override
  public Capabilities capabilities() {
    return new Capabilities(
        engine.db().dialect().name(), true, true, true, true, engine.wakeups() != null);
  }

  @Override
  protected StorageHealth doHealth() {
    return engine.health();
  }

  @Override
  protected void doClose() {
    engine.close();
  }

  @Override
  public String toString() {
    return "JdbcStorage[" + engine.db().dialect().name() + " " + engine.db().target() + "]";
  }
}
