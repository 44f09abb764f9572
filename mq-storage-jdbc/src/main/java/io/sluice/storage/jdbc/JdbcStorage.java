package io.sluice.storage.jdbc;

import com.zaxxer.hikari.HikariDataSource;
import io.sluice.api.Position;
import io.sluice.api.Receipt;
import io.sluice.api.TopicConfig;
import io.sluice.api.error.BackendUnavailableException;
import io.sluice.api.error.InvalidMessageException;
import io.sluice.api.error.StorageClosedException;
import io.sluice.api.internal.AppendWatchers;
import io.sluice.api.internal.Validation;
import io.sluice.spi.Ack;
import io.sluice.spi.AppendWatch;
import io.sluice.spi.BatchResult;
import io.sluice.spi.Capabilities;
import io.sluice.spi.ClaimRequest;
import io.sluice.spi.DeadLetterRequest;
import io.sluice.spi.DeliveryId;
import io.sluice.spi.GroupPartition;
import io.sluice.spi.Lease;
import io.sluice.spi.OutgoingMessage;
import io.sluice.spi.Storage;
import io.sluice.spi.StorageHealth;
import io.sluice.spi.StoredMessage;
import io.sluice.spi.TopicInfo;
import io.sluice.spi.TransactionalWork;
import io.sluice.storage.jdbc.internal.Engine;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.function.Function;
import javax.sql.DataSource;
import org.jdbi.v3.core.Handle;

/**
 * The SQL storage backend: PostgreSQL 13+ in production, H2 2.x for tests and small installs. Any
 * number of processes on any number of hosts may share one database; they coordinate with row locks
 * ({@code FOR UPDATE SKIP LOCKED}) and never wait for each other to claim.
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
 */
public final class JdbcStorage implements Storage {
  private final Engine engine;
  private final AppendWatchers watchers = new AppendWatchers();

  private JdbcStorage(Engine engine) {
    this.engine = engine;
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
    return new JdbcStorage(Engine.start(dataSource, config, null, dataSource.toString()));
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
    HikariDataSource pool =
        io.sluice.storage.jdbc.internal.PoolFactory.create(
            url, user, password, config.maxPoolSize());
    try {
      String target = io.sluice.storage.jdbc.internal.PoolFactory.redact(url);
      return new JdbcStorage(Engine.start(pool, config, pool, target));
    } catch (RuntimeException e) {
      pool.close();
      throw e;
    }
  }

  /** Sends on the caller's JDBC transaction (the outbox); see {@link TransactionalSend}. */
  public TransactionalSend transactionalSend() {
    return new TransactionalSend(engine);
  }

  private <R> R tx(String what, Function<Handle, R> work) {
    checkOpen();
    return engine.db().tx(what, work);
  }

  private void checkOpen() {
    if (engine.closed()) {
      throw new StorageClosedException("JDBC storage on " + engine.db().target());
    }
  }

  @Override
  public TopicInfo createTopic(String topic, TopicConfig config) {
    Validation.topic(topic);
    Validation.required("config", config);
    return tx(
        "createTopic",
        h -> engine.topics().info(h, engine.topics().create(h, topic, config, engine.db().now())));
  }

  @Override
  public TopicInfo growPartitions(String topic, int partitions) {
    Validation.topic(topic);
    Validation.partitions(partitions);
    return tx(
        "growPartitions", h -> engine.topics().info(h, engine.topics().grow(h, topic, partitions)));
  }

  @Override
  public TopicInfo describeTopic(String topic) {
    Validation.topic(topic);
    return tx("describeTopic", h -> engine.topics().info(h, engine.topics().require(h, topic)));
  }

  @Override
  public List<TopicInfo> listTopics() {
    return tx(
        "listTopics",
        h -> engine.topics().all(h).stream().map(r -> engine.topics().info(h, r)).toList());
  }

  @Override
  public List<Receipt> append(String topic, List<OutgoingMessage> batch) {
    Validation.topic(topic);
    if (batch == null) {
      throw new InvalidMessageException("batch must not be null");
    }
    if (batch.isEmpty()) {
      checkOpen();
      tx("append", h -> engine.topics().require(h, topic));
      return List.of();
    }
    checkOpen();
    List<Receipt> receipts = engine.append(topic, batch);
    watchers.appended(topic);
    return receipts;
  }

  @Override
  public List<StoredMessage> read(String topic, int partition, long fromOffset, int max) {
    Validation.topic(topic);
    Validation.atLeast("max", max, 1);
    return tx("read", h -> engine.read(h, topic, partition, fromOffset, max));
  }

  @Override
  public List<Lease> claim(ClaimRequest request) {
    Validation.required("request", request);
    checkOpen();
    return engine.claim(request);
  }

  @Override
  public BatchResult ack(String group, List<Ack> acks) {
    Validation.group(group);
    Validation.required("acks", acks);
    if (acks.isEmpty()) {
      checkOpen();
      return BatchResult.allApplied(0);
    }
    checkOpen();
    return engine.ack(group, acks);
  }

  @Override
  public void release(
      String group, DeliveryId delivery, Instant nextVisibleAt, boolean countAttempt) {
    Validation.group(group);
    Validation.required("delivery", delivery);
    Validation.required("nextVisibleAt", nextVisibleAt);
    Instant now =
        tx(
            "release",
            h -> {
              Instant at = engine.db().now();
              engine.committer().release(h, group, delivery, nextVisibleAt, countAttempt, at);
              return at;
            });
    if (!nextVisibleAt.isAfter(now)) {
      watchers.appended(delivery.topic());
    }
  }

  @Override
  public BatchResult extendLeases(String group, List<DeliveryId> deliveries, Duration extension) {
    Validation.group(group);
    Validation.required("deliveries", deliveries);
    Validation.positive("extension", extension);
    return tx(
        "extendLeases",
        h -> {
          Instant now = engine.db().now();
          return engine.committer().extend(h, group, deliveries, now.plus(extension), now);
        });
  }

  @Override
  public Receipt deadLetter(DeadLetterRequest request) {
    Validation.required("request", request);
    Receipt receipt = tx("deadLetter", h -> engine.deadLetter(h, request));
    watchers.appended(request.deadLetterTopic());
    return receipt;
  }

  /**
   * Notifies appends made through this object once committed. Appends by other processes, and sends
   * inside an application transaction ({@link TransactionalSend}), are found by polling.
   */
  @Override
  public AppendWatch watchAppends(String topic, Runnable listener) {
    checkOpen();
    return watchers.add(topic, listener);
  }

  @Override
  public <R, X extends Exception> R inTransaction(
      String group, Ack ack, TransactionalWork<R, X> work) throws X {
    Validation.group(group);
    Validation.required("ack", ack);
    Validation.required("work", work);
    checkOpen();
    return engine.inTransaction(group, ack, work);
  }

  @Override
  public long seek(String group, String topic, int partition, Position position) {
    Validation.group(group);
    Validation.topic(topic);
    Validation.required("position", position);
    return tx(
        "seek",
        h ->
            engine
                .committer()
                .seek(h, group, engine.topics().require(h, topic), partition, position));
  }

  @Override
  public List<GroupPartition> groupState(String group, String topic) {
    Validation.group(group);
    Validation.topic(topic);
    return tx(
        "groupState",
        h -> engine.committer().groupState(h, group, engine.topics().require(h, topic)));
  }

  @Override
  public List<String> listGroups(String topic) {
    Validation.topic(topic);
    return tx("listGroups", h -> engine.committer().groups(h, engine.topics().require(h, topic)));
  }

  @Override
  public boolean isProcessed(String group, String topic, String processedKey) {
    Validation.group(group);
    Validation.topic(topic);
    Validation.idempotencyKey(processedKey);
    return tx(
        "isProcessed",
        h ->
            engine
                .committer()
                .isProcessed(
                    h, group, engine.topics().require(h, topic), processedKey, engine.db().now()));
  }

  @Override
  public long enforceRetention() {
    checkOpen();
    return engine.retention().enforce();
  }

  @Override
  public Capabilities capabilities() {
    return new Capabilities(engine.db().dialect().name(), true, true, true, true);
  }

  @Override
  public StorageHealth health() {
    return engine.health();
  }

  @Override
  public void close() {
    engine.close();
  }

  @Override
  public String toString() {
    return "JdbcStorage[" + engine.db().dialect().name() + " " + engine.db().target() + "]";
  }
}
