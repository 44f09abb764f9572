package io.sluice.spi.tck;

import io.sluice.api.Position;
import io.sluice.api.Receipt;
import io.sluice.api.TopicConfig;
import io.sluice.api.error.InvalidConfigException;
import io.sluice.api.error.OffsetOutOfRangeException;
import io.sluice.api.error.StaleDeliveryException;
import io.sluice.api.error.TopicExistsException;
import io.sluice.api.error.TopicNotFoundException;
import io.sluice.spi.AbstractStorage;
import io.sluice.spi.Ack;
import io.sluice.spi.AckRequest;
import io.sluice.spi.AppendRequest;
import io.sluice.spi.BatchResult;
import io.sluice.spi.Capabilities;
import io.sluice.spi.ClaimRequest;
import io.sluice.spi.DeadLetterRequest;
import io.sluice.spi.DeliveryId;
import io.sluice.spi.ExtendRequest;
import io.sluice.spi.GroupPartition;
import io.sluice.spi.Lease;
import io.sluice.spi.OutgoingMessage;
import io.sluice.spi.PauseRequest;
import io.sluice.spi.ReadRequest;
import io.sluice.spi.ReleaseRequest;
import io.sluice.spi.SeekRequest;
import io.sluice.spi.StartRequest;
import io.sluice.spi.StorageHealth;
import io.sluice.spi.StoredMessage;
import io.sluice.spi.TopicInfo;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
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
public final class InMemoryStorage extends AbstractStorage {
  private static final Capabilities CAPABILITIES =
      new Capabilities("memory", false, true, true, false);

  /** The pause target that stands for every topic of a group. */
  private static final String ALL_TOPICS = "*";

  private final InstantSource clock;
  private final ReentrantLock lock = new ReentrantLock();
  private final Map<String, MemTopic> topics = new TreeMap<>();
  private final Map<String, TreeMap<String, MemGroup>> groups = new HashMap<>();
  private final MemAppender appender = new MemAppender();
  private final MemClaimer claimer = new MemClaimer();
  private final Map<String, Set<String>> pauses = new HashMap<>();

  /** An empty store that reads time from {@code clock}. */
  public InMemoryStorage(InstantSource clock) {
    this.clock = Objects.requireNonNull(clock, "clock");
  }

  @Override
  protected String describe() {
    return "in-memory storage";
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

  private MemTopic topic(String name) {
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
  protected TopicInfo doCreateTopic(String topic, TopicConfig config) {
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
  protected TopicInfo doGrowPartitions(String topic, int partitions) {
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
  protected TopicInfo doDescribeTopic(String topic) {
    return locked(() -> topic(topic).info());
  }

  @Override
  protected List<TopicInfo> doListTopics() {
    return locked(() -> topics.values().stream().map(MemTopic::info).toList());
  }

  // --------------------------------------------------------------------------------------- produce

  @Override
  protected List<Receipt> doAppend(AppendRequest request) {
    return locked(
        () -> appender.append(topic(request.topic()), request.messages(), clock.instant()));
  }

  @Override
  protected List<StoredMessage> doRead(ReadRequest request) {
    return locked(
        () -> {
          MemPartition p = topic(request.topic()).partition(request.partition());
          long from = request.fromOffset();
          if (from < p.logStart() || from > p.end()) {
            throw new OffsetOutOfRangeException(
                request.topic(), request.partition(), from, p.logStart(), p.end());
          }
          return p.read(from, request.max());
        });
  }

  @Override
  protected long doOffsetFor(String topic, int partition, Position position) {
    return locked(() -> MemGroup.startOffset(topic(topic).partition(partition), position));
  }

  // ------------------------------------------------------------------------------------ consuming

  @Override
  protected List<Lease> doClaim(ClaimRequest request) {
    return locked(
        () -> {
          MemTopic t = topic(request.topic());
          if (paused(request.group(), request.topic())) {
            return List.of();
          }
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
          return startClaimed(request, out); // the lock is reentrant: one atomic step
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
  protected BatchResult doMarkStarted(StartRequest request) {
    return locked(
        () -> {
          Instant now = clock.instant();
          int applied = 0;
          List<DeliveryId> rejected = new ArrayList<>();
          for (DeliveryId id : request.deliveries()) {
            MemGroup.Entry e = current(request.group(), id, now);
            if (e == null) {
              rejected.add(id);
              continue;
            }
            if (!e.started) {
              e.started = true;
              e.attempts++;
            }
            applied++;
          }
          return new BatchResult(applied, rejected);
        });
  }

  @Override
  protected BatchResult doAck(AckRequest request) {
    return locked(
        () -> {
          Instant now = clock.instant();
          int applied = 0;
          List<DeliveryId> rejected = new ArrayList<>();
          for (Ack a : request.acks()) {
            MemGroup.Entry e = current(request.group(), a.delivery(), now);
            if (e == null) {
              rejected.add(a.delivery());
            } else {
              complete(request.group(), a.delivery(), e, a.processedKey(), now);
              applied++;
            }
          }
          return new BatchResult(applied, rejected);
        });
  }

  @Override
  protected void doRelease(ReleaseRequest request) {
    locked(
        () -> {
          Instant now = clock.instant();
          MemGroup.Entry e = current(request.group(), request.delivery(), now);
          if (e == null) {
            throw new StaleDeliveryException(
                request.delivery(), "the lease is expired, re-granted or settled");
          }
          if (request.countAttempt() && !e.started) {
            e.attempts++;
          } else if (!request.countAttempt() && e.started) {
            e.attempts--;
          }
          e.started = false;
          e.leaseExpiry = null;
          e.nextVisible = MemClaimer.plus(now, request.delay());
          return null;
        });
  }

  @Override
  protected BatchResult doExtendLeases(ExtendRequest request) {
    return locked(
        () -> {
          Instant now = clock.instant();
          int applied = 0;
          List<DeliveryId> rejected = new ArrayList<>();
          for (DeliveryId id : request.deliveries()) {
            MemGroup.Entry e = current(request.group(), id, now);
            if (e == null) {
              rejected.add(id);
            } else {
              e.leaseExpiry = MemClaimer.plus(now, request.extension());
              applied++;
            }
          }
          return new BatchResult(applied, rejected);
        });
  }

  @Override
  protected Receipt doDeadLetter(DeadLetterRequest request) {
    return deadLetterLocked(request);
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

  // --------------------------------------------------------------------------------------- offsets

  @Override
  protected long doSeek(SeekRequest request) {
    return locked(
        () -> {
          String topic = request.topic();
          int partition = request.partition();
          MemPartition p = topic(topic).partition(partition);
          if (request.position() instanceof Position.Offset o
              && (o.offset() < p.logStart() || o.offset() > p.end())) {
            throw new OffsetOutOfRangeException(
                topic, partition, o.offset(), p.logStart(), p.end());
          }
          long offset = MemGroup.startOffset(p, request.position());
          group(request.group(), topic, true).cursor(p, Position.offset(offset)).reset(offset);
          return offset;
        });
  }

  @Override
  protected List<GroupPartition> doGroupState(String group, String topic) {
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
            long done = c == null ? 0 : c.doneAbove();
            long lag = Math.max(0, p.end() - committed - done);
            out.add(new GroupPartition(p.id(), committed, p.end(), inFlight, lag));
          }
          return out;
        });
  }

  @Override
  protected List<String> doListGroups(String topic) {
    return locked(
        () -> {
          topic(topic);
          TreeMap<String, MemGroup> byName = groups.get(topic);
          return byName == null ? List.of() : List.copyOf(byName.keySet());
        });
  }

  @Override
  protected boolean doIsProcessed(String group, String topic, String processedKey) {
    return locked(
        () -> {
          MemTopic t = topic(topic);
          MemGroup g = group(group, topic, false);
          return g != null
              && g.isProcessed(processedKey, clock.instant(), t.config().dedupeWindow());
        });
  }

  @Override
  protected void doPause(PauseRequest request) {
    locked(
        () -> {
          Set<String> topics = pauses.computeIfAbsent(request.group(), g -> new HashSet<>());
          String target = request.topic() == null ? ALL_TOPICS : request.topic();
          if (request.paused()) {
            topics.add(target);
          } else if (request.topic() == null) {
            topics.clear();
          } else {
            topics.remove(target);
          }
          return null;
        });
  }

  @Override
  protected boolean doIsPaused(String group, String topic) {
    return locked(() -> paused(group, topic));
  }

  private boolean paused(String group, String topic) {
    Set<String> topics = pauses.get(group);
    return topics != null
        && (topics.contains(ALL_TOPICS) || (topic != null && topics.contains(topic)));
  }

  // ------------------------------------------------------------------------------------- retention

  @Override
  protected long doEnforceRetention() {
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
  protected StorageHealth doHealth() {
    return new StorageHealth(true, "in-memory storage");
  }

  @Override
  protected void doClose() {
    lock.lock();
    try {
      topics.clear();
      groups.clear();
    } finally {
      lock.unlock();
    }
  }

  @Override
  public String toString() {
    return "InMemoryStorage[" + (isClosed() ? "closed" : topics.size() + " topics") + "]";
  }
}
