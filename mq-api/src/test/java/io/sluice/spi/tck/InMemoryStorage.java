package io.sluice.spi.tck;

import io.sluice.api.Position;
import io.sluice.api.Receipt;
import io.sluice.api.TopicConfig;
import io.sluice.api.error.InvalidConfigException;
import io.sluice.api.error.OffsetOutOfRangeException;
import io.sluice.api.error.StaleDeliveryException;
import io.sluice.api.error.StorageClosedException;
import io.sluice.api.error.TopicExistsException;
import io.sluice.api.error.TopicNotFoundException;
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
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Supplier;

/**
 * A reference {@link Storage} held in memory: every rule of the SPI's javadoc, simply, behind one
 * lock. It passes {@link StorageContract} and serves fast tests of code written against the SPI
 * (the consumer runtime). Nothing survives {@link #close()}. Time comes only from the {@link
 * InstantSource} given to the constructor. It runs no background work: retention and key expiry
 * happen when {@link #enforceRetention()} is called (windows are also checked on every lookup).
 */
public final class InMemoryStorage implements Storage {
  private static final Capabilities CAPABILITIES =
      new Capabilities("memory", false, true, true, false);

  private final InstantSource clock;
  private final ReentrantLock lock = new ReentrantLock();
  private final Map<String, MemTopic> topics = new TreeMap<>();
  private final Map<String, TreeMap<String, MemGroup>> groups = new HashMap<>();
  private final MemAppender appender = new MemAppender();
  private final MemClaimer claimer = new MemClaimer();
  private final AppendWatchers watchers = new AppendWatchers();
  private volatile boolean closed;

  /** An empty store that reads time from {@code clock}. */
  public InMemoryStorage(InstantSource clock) {
    this.clock = Objects.requireNonNull(clock, "clock");
  }

  private <T> T locked(Supplier<T> body) {
    lock.lock();
    try {
      checkOpen();
      return body.get();
    } finally {
      lock.unlock();
    }
  }

  private void checkOpen() {
    if (closed) {
      throw new StorageClosedException("in-memory storage");
    }
  }

  private MemTopic topic(String name) {
    Validation.topic(name);
    MemTopic t = topics.get(name);
    if (t == null) {
      throw new TopicNotFoundException(name);
    }
    return t;
  }

  private MemGroup group(String group, String topic, boolean create) {
    TreeMap<String, MemGroup> byName = groups.get(topic);
    if (byName == null && !create) {
      return null;
    }
    if (byName == null) {
      byName = new TreeMap<>();
      groups.put(topic, byName);
    }
    return create ? byName.computeIfAbsent(group, g -> new MemGroup()) : byName.get(group);
  }

  private List<MemGroup> groupsOf(String topic) {
    TreeMap<String, MemGroup> byName = groups.get(topic);
    return byName == null ? List.of() : new ArrayList<>(byName.values());
  }

  // ---------------------------------------------------------------------------------------- topics

  @Override
  public TopicInfo createTopic(String topic, TopicConfig config) {
    Validation.topic(topic);
    Validation.required("config", config);
    return locked(
        () -> {
          MemTopic existing = topics.get(topic);
          if (existing == null) {
            MemTopic created = new MemTopic(topic, config);
            topics.put(topic, created);
            return created.info();
          }
          if (!existing.config().equals(config)) {
            throw new TopicExistsException(topic, existing.config(), config);
          }
          return existing.info();
        });
  }

  @Override
  public TopicInfo growPartitions(String topic, int partitions) {
    Validation.topic(topic);
    Validation.partitions(partitions);
    return locked(
        () -> {
          MemTopic t = topic(topic);
          if (partitions < t.partitionCount()) {
            throw new InvalidConfigException(
                "partitions never shrink: topic \""
                    + topic
                    + "\" has "
                    + t.partitionCount()
                    + ", found a request for "
                    + partitions);
          }
          t.grow(partitions);
          return t.info();
        });
  }

  @Override
  public TopicInfo describeTopic(String topic) {
    Validation.topic(topic);
    return locked(() -> topic(topic).info());
  }

  @Override
  public List<TopicInfo> listTopics() {
    return locked(() -> topics.values().stream().map(MemTopic::info).toList());
  }

  // --------------------------------------------------------------------------------------- produce

  @Override
  public List<Receipt> append(String topic, List<OutgoingMessage> batch) {
    Validation.topic(topic);
    Validation.required("batch", batch);
    List<Receipt> receipts = locked(() -> appender.append(topic(topic), batch, clock.instant()));
    watchers.appended(topic);
    return receipts;
  }

  @Override
  public List<StoredMessage> read(String topic, int partition, long fromOffset, int max) {
    Validation.topic(topic);
    Validation.atLeast("max", max, 1);
    return locked(
        () -> {
          MemPartition p = topic(topic).partition(partition);
          if (fromOffset < p.logStart() || fromOffset > p.end()) {
            throw new OffsetOutOfRangeException(
                topic, partition, fromOffset, p.logStart(), p.end());
          }
          return p.read(fromOffset, max);
        });
  }

  // ------------------------------------------------------------------------------------ consuming

  @Override
  public List<Lease> claim(ClaimRequest request) {
    Validation.required("request", request);
    return locked(
        () -> {
          MemTopic t = topic(request.topic());
          MemGroup g = group(request.group(), request.topic(), true);
          Instant now = clock.instant();
          int n = t.partitionCount();
          int first = Math.floorMod(g.nextRotation(), n);
          int share = Math.max(1, request.maxMessages() / n);
          List<Lease> out = new ArrayList<>();
          for (int pass = 0; pass < 2 && out.size() < request.maxMessages(); pass++) {
            for (int i = 0; i < n && out.size() < request.maxMessages(); i++) {
              int left = request.maxMessages() - out.size();
              int limit = pass == 0 ? Math.min(share, left) : left;
              claimer.claim(t, t.partitions().get((first + i) % n), g, request, now, limit, out);
            }
          }
          return out;
        });
  }

  /** The entry of the current, unexpired grant named by {@code id}, or null. */
  private MemGroup.Entry current(String group, DeliveryId id, Instant now) {
    MemGroup g = group(group, id.topic(), false);
    MemGroup.Cursor c = g == null ? null : g.cursor(id.partition());
    MemGroup.Entry e = c == null || id.offset() < c.committed ? null : c.entries.get(id.offset());
    return e != null && !e.done && e.token == id.token() && e.leasedAt(now) ? e : null;
  }

  private void complete(String group, DeliveryId id, MemGroup.Entry e, String key, Instant now) {
    e.done = true;
    e.leaseExpiry = null;
    MemGroup g = group(group, id.topic(), false);
    if (key != null) {
      g.processed(key, now);
    }
    g.cursor(id.partition()).advance();
  }

  @Override
  public BatchResult ack(String group, List<Ack> acks) {
    Validation.group(group);
    Validation.required("acks", acks);
    for (Ack a : acks) {
      Validation.required("ack", a);
    }
    return locked(
        () -> {
          Instant now = clock.instant();
          int applied = 0;
          List<DeliveryId> rejected = new ArrayList<>();
          for (Ack a : acks) {
            MemGroup.Entry e = current(group, a.delivery(), now);
            if (e == null) {
              rejected.add(a.delivery());
            } else {
              complete(group, a.delivery(), e, a.processedKey(), now);
              applied++;
            }
          }
          return new BatchResult(applied, rejected);
        });
  }

  @Override
  public void release(
      String group, DeliveryId delivery, Instant nextVisibleAt, boolean countAttempt) {
    Validation.group(group);
    Validation.required("delivery", delivery);
    Validation.required("nextVisibleAt", nextVisibleAt);
    locked(
        () -> {
          MemGroup.Entry e = current(group, delivery, clock.instant());
          if (e == null) {
            throw new StaleDeliveryException(
                delivery, "the lease is expired, re-granted or settled");
          }
          e.leaseExpiry = null;
          e.nextVisible = nextVisibleAt;
          if (!countAttempt) {
            e.attempts = Math.max(0, e.attempts - 1);
          }
          return null;
        });
    if (!nextVisibleAt.isAfter(clock.instant())) {
      watchers.appended(delivery.topic());
    }
  }

  @Override
  public BatchResult extendLeases(String group, List<DeliveryId> deliveries, Duration extension) {
    Validation.group(group);
    Validation.required("deliveries", deliveries);
    Validation.positive("extension", extension);
    return locked(
        () -> {
          Instant now = clock.instant();
          int applied = 0;
          List<DeliveryId> rejected = new ArrayList<>();
          for (DeliveryId id : deliveries) {
            MemGroup.Entry e = id == null ? null : current(group, id, now);
            if (e == null) {
              rejected.add(id);
            } else {
              e.leaseExpiry = MemClaimer.plus(now, extension);
              applied++;
            }
          }
          return new BatchResult(applied, rejected);
        });
  }

  @Override
  public Receipt deadLetter(DeadLetterRequest request) {
    Validation.required("request", request);
    Receipt receipt = deadLetterLocked(request);
    watchers.appended(request.deadLetterTopic());
    return receipt;
  }

  private Receipt deadLetterLocked(DeadLetterRequest request) {
    return locked(
        () -> {
          Instant now = clock.instant();
          MemGroup.Entry e = current(request.group(), request.delivery(), now);
          if (e == null) {
            throw new StaleDeliveryException(
                request.delivery(), "the lease is expired, re-granted or settled");
          }
          MemTopic dlq = topics.get(request.deadLetterTopic());
          boolean created = dlq == null;
          if (created) {
            dlq = new MemTopic(request.deadLetterTopic(), TopicConfig.defaults());
          }
          List<OutgoingMessage> one = List.of(OutgoingMessage.of(request.message()));
          Receipt r = appender.append(dlq, one, now).get(0);
          if (created) {
            topics.put(dlq.name(), dlq);
          }
          complete(request.group(), request.delivery(), e, null, now);
          return r;
        });
  }

  @Override
  public AppendWatch watchAppends(String topic, Runnable listener) {
    locked(() -> null);
    return watchers.add(topic, listener);
  }

  // --------------------------------------------------------------------------------------- offsets

  @Override
  public long seek(String group, String topic, int partition, Position position) {
    Validation.group(group);
    Validation.topic(topic);
    Validation.required("position", position);
    return locked(
        () -> {
          MemPartition p = topic(topic).partition(partition);
          if (position instanceof Position.Offset o
              && (o.offset() < p.logStart() || o.offset() > p.end())) {
            throw new OffsetOutOfRangeException(
                topic, partition, o.offset(), p.logStart(), p.end());
          }
          long offset = MemGroup.startOffset(p, position);
          group(group, topic, true).cursor(p, Position.offset(offset)).reset(offset);
          return offset;
        });
  }

  @Override
  public List<GroupPartition> groupState(String group, String topic) {
    Validation.group(group);
    Validation.topic(topic);
    return locked(
        () -> {
          MemTopic t = topic(topic);
          MemGroup g = group(group, topic, false);
          Instant now = clock.instant();
          List<GroupPartition> out = new ArrayList<>();
          for (MemPartition p : t.partitions()) {
            MemGroup.Cursor c = g == null ? null : g.cursor(p.id());
            long committed = c == null ? p.logStart() : Math.max(c.committed, p.logStart());
            int inFlight = c == null ? 0 : c.inFlight(now);
            out.add(new GroupPartition(p.id(), committed, p.end(), inFlight));
          }
          return out;
        });
  }

  @Override
  public List<String> listGroups(String topic) {
    Validation.topic(topic);
    return locked(
        () -> {
          topic(topic);
          TreeMap<String, MemGroup> byName = groups.get(topic);
          return byName == null ? List.of() : List.copyOf(byName.keySet());
        });
  }

  @Override
  public boolean isProcessed(String group, String topic, String processedKey) {
    Validation.group(group);
    Validation.topic(topic);
    Validation.idempotencyKey(processedKey);
    return locked(
        () -> {
          MemTopic t = topic(topic);
          MemGroup g = group(group, topic, false);
          return g != null
              && g.isProcessed(processedKey, clock.instant(), t.config().dedupeWindow());
        });
  }

  // ------------------------------------------------------------------------------------- retention

  @Override
  public long enforceRetention() {
    return locked(
        () -> {
          Instant now = clock.instant();
          long removed = 0;
          for (MemTopic t : topics.values()) {
            t.expireDedupe(now);
            List<MemGroup> gs = groupsOf(t.name());
            for (MemGroup g : gs) {
              g.expireProcessed(now, t.config().dedupeWindow());
            }
            for (MemPartition p : t.partitions()) {
              removed += p.removeBelow(MemRetention.retainFrom(t, p, gs, now));
              for (MemGroup g : gs) {
                MemGroup.Cursor c = g.cursor(p.id());
                if (c != null) {
                  c.clampTo(p.logStart());
                }
              }
            }
          }
          return removed;
        });
  }

  // ---------------------------------------------------------------------------------------- status

  @Override
  public Capabilities capabilities() {
    return CAPABILITIES;
  }

  @Override
  public StorageHealth health() {
    return closed
        ? new StorageHealth(false, "in-memory storage is closed")
        : new StorageHealth(true, "in-memory storage");
  }

  @Override
  public void close() {
    lock.lock();
    try {
      closed = true;
      topics.clear();
      groups.clear();
    } finally {
      lock.unlock();
    }
  }

  @Override
  public String toString() {
    return "InMemoryStorage[" + (closed ? "closed" : topics.size() + " topics") + "]";
  }
}
