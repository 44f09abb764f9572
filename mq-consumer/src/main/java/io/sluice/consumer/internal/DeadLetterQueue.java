package io.sluice.consumer.internal;

import io.sluice.api.Header;
import io.sluice.api.Headers;
import io.sluice.api.Message;
import io.sluice.api.Ordering;
import io.sluice.api.Position;
import io.sluice.api.error.InvalidConfigException;
import io.sluice.api.error.StaleDeliveryException;
import io.sluice.api.error.TopicNotFoundException;
import io.sluice.api.internal.Validation;
import io.sluice.consumer.DeadLetter;
import io.sluice.consumer.DeadLetterHeaders;
import io.sluice.consumer.SluiceAdmin;
import io.sluice.spi.Ack;
import io.sluice.spi.ClaimRequest;
import io.sluice.spi.GroupPartition;
import io.sluice.spi.Lease;
import io.sluice.spi.OutgoingMessage;
import io.sluice.spi.ReleaseRequest;
import io.sluice.spi.Storage;
import io.sluice.spi.StoredMessage;
import io.sluice.spi.TopicInfo;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Predicate;

/**
 * Dead-letter topic operations. Pending entries are those the internal group {@link
 * SluiceAdmin#DLQ_GROUP} has not completed; redrive and purge complete them, recording a processed
 * key per entry so listing can skip entries completed out of order. Redrive claims entries (so
 * concurrent redrives never hold the same one), appends the original message to its original topic
 * and partition with an idempotency key derived from the entry (so a retry after a crash or a lost
 * lease is deduplicated by the store), then acks the entry; entries the filter rejects are released
 * untouched at the end.
 */
final class DeadLetterQueue {
  private static final int CHUNK = 500;
  private static final Duration LEASE = Duration.ofMinutes(5);

  private final Storage storage;

  DeadLetterQueue(Storage storage, InstantSource clock) {
    this.storage = storage;
  }

  List<DeadLetter> list(String dlq, Predicate<? super DeadLetter> filter, int max) {
    List<DeadLetter> out = new ArrayList<>();
    List<GroupPartition> state;
    try {
      state = storage.groupState(SluiceAdmin.DLQ_GROUP, dlq);
    } catch (TopicNotFoundException e) {
      return out;
    }
    for (GroupPartition p : state) {
      long offset = p.committedOffset();
      while (offset < p.endOffset() && out.size() < max) {
        List<StoredMessage> chunk = storage.read(dlq, p.partition(), offset, CHUNK);
        if (chunk.isEmpty()) {
          break;
        }
        for (StoredMessage m : chunk) {
          offset = m.offset() + 1;
          if (out.size() < max && !settled(dlq, m)) {
            DeadLetter entry = parse(m);
            if (filter.test(entry)) {
              out.add(entry);
            }
          }
        }
      }
    }
    return out;
  }

  /**
   * The pending entries: the DLQ group's lag, which the store keeps per partition (entries settled
   * out of order above the committed offset do not count), so this costs one progress read per
   * partition however long the dead-letter topic is.
   */
  long count(String dlq) {
    try {
      return storage.groupState(SluiceAdmin.DLQ_GROUP, dlq).stream()
          .mapToLong(GroupPartition::lag)
          .sum();
    } catch (TopicNotFoundException e) {
      return 0;
    }
  }

  /** The pending entry with this id, if any. */
  Optional<DeadLetter> find(String dlq, EntryId id) {
    List<GroupPartition> state;
    try {
      state = storage.groupState(SluiceAdmin.DLQ_GROUP, dlq);
    } catch (TopicNotFoundException e) {
      return Optional.empty();
    }
    if (id.partition() >= state.size()) {
      return Optional.empty();
    }
    GroupPartition p = state.get(id.partition());
    if (id.offset() < p.committedOffset() || id.offset() >= p.endOffset()) {
      return Optional.empty();
    }
    List<StoredMessage> read = storage.read(dlq, id.partition(), id.offset(), 1);
    if (read.isEmpty() || read.get(0).offset() != id.offset() || settled(dlq, read.get(0))) {
      return Optional.empty();
    }
    return Optional.of(parse(read.get(0)));
  }

  private boolean settled(String dlq, StoredMessage m) {
    return storage.isProcessed(
        SluiceAdmin.DLQ_GROUP, dlq, DerivedKeys.deadLetterEntry(m.partition(), m.offset()));
  }

  /**
   * Redrives or purges the entries present when the call began. Entries dead-lettered meanwhile (a
   * redriven message failing again at once) are left for the next call: otherwise a message that
   * always fails and a fast consumer would keep one redrive going forever.
   */
  long drain(String dlq, Predicate<? super DeadLetter> filter, boolean reenqueue, long limit) {
    Map<Integer, Long> ends = new HashMap<>();
    try {
      storage.describeTopic(dlq).partitions().forEach(p -> ends.put(p.partition(), p.endOffset()));
    } catch (TopicNotFoundException e) {
      return 0;
    }
    List<Lease> skipped = new ArrayList<>();
    long moved = 0;
    try {
      while (moved < limit) {
        List<Lease> leases =
            storage.claim(
                new ClaimRequest(
                    SluiceAdmin.DLQ_GROUP,
                    dlq,
                    CHUNK,
                    LEASE,
                    Ordering.UNORDERED,
                    Position.EARLIEST,
                    "admin"));
        if (leases.isEmpty()) {
          return moved;
        }
        for (Lease lease : leases) {
          DeadLetter entry = parse(lease.message());
          if (lease.message().offset() >= ends.getOrDefault(lease.message().partition(), 0L)
              || (reenqueue && (entry.originalTopic() == null || entry.group() == null))
              || !filter.test(entry)) {
            skipped.add(lease);
          } else if (moved >= limit) {
            skipped.add(lease);
          } else if (settle(lease, entry, reenqueue)) {
            moved++;
          }
        }
      }
      return moved;
    } finally {
      for (Lease lease : skipped) {
        releaseQuietly(lease);
      }
    }
  }

  private boolean settle(Lease lease, DeadLetter entry, boolean reenqueue) {
    if (reenqueue) {
      reenqueue(entry);
    }
    String entryKey = DerivedKeys.deadLetterEntry(entry.partition(), entry.offset());
    return storage
        .ack(SluiceAdmin.DLQ_GROUP, List.of(new Ack(lease.id(), entryKey)))
        .rejected()
        .isEmpty();
  }

  private void reenqueue(DeadLetter entry) {
    Message stored = entry.message();
    List<Header> headers = DeadLetterer.withoutRuntimeHeaders(stored.headers());
    stored
        .headers()
        .lastValue(DeadLetterHeaders.IDEMPOTENCY_KEY)
        .ifPresent(k -> headers.add(new Header(DeadLetterHeaders.IDEMPOTENCY_KEY, k)));
    headers.add(new Header(DeadLetterHeaders.REDRIVE_GROUP, entry.group()));
    Message again =
        Message.builder(stored.payload())
            .key(stored.key())
            .headers(Headers.of(headers))
            .idempotencyKey(
                DerivedKeys.redrive(entry.deadLetterTopic(), entry.partition(), entry.offset()))
            .build();
    TopicInfo target = storage.describeTopic(entry.originalTopic());
    int partition = entry.originalPartition();
    OutgoingMessage out =
        partition >= 0 && partition < target.partitions().size()
            ? OutgoingMessage.toPartition(again, partition)
            : OutgoingMessage.of(again);
    storage.append(entry.originalTopic(), List.of(out));
  }

  private void releaseQuietly(Lease lease) {
    try {
      storage.release(ReleaseRequest.unprocessed(SluiceAdmin.DLQ_GROUP, lease.id()));
    } catch (StaleDeliveryException e) {
      // Its lease ran out meanwhile: it is pending again either way.
    }
  }

  /** An entry's position in its dead-letter topic, written {@code "partition:offset"}. */
  record EntryId(int partition, long offset) {
    static EntryId parse(String id) {
      Validation.required("dead-letter id", id);
      int colon = id.indexOf(':');
      try {
        if (colon > 0) {
          int partition = Integer.parseInt(id.substring(0, colon));
          long offset = Long.parseLong(id.substring(colon + 1));
          if (partition >= 0 && offset >= 0) {
            return new EntryId(partition, offset);
          }
        }
      } catch (NumberFormatException e) {
        // reported below
      }
      throw new InvalidConfigException(
          "dead-letter id: expected partition:offset (for example 0:17), found '" + id + "'");
    }

    boolean names(DeadLetter entry) {
      return entry.partition() == partition && entry.offset() == offset;
    }
  }

  static DeadLetter parse(StoredMessage m) {
    Headers h = m.message().headers();
    return new DeadLetter(
        m.topic(),
        m.partition(),
        m.offset(),
        m.message(),
        h.lastValue(DeadLetterHeaders.TOPIC).orElse(null),
        (int) number(h, DeadLetterHeaders.PARTITION, -1),
        number(h, DeadLetterHeaders.OFFSET, -1),
        h.lastValue(DeadLetterHeaders.GROUP).orElse(null),
        (int) number(h, DeadLetterHeaders.ATTEMPTS, 0),
        h.lastValue(DeadLetterHeaders.ERROR_CLASS).orElse(null),
        h.lastValue(DeadLetterHeaders.ERROR_MESSAGE).orElse(null),
        h.lastValue(DeadLetterHeaders.REASON).orElse(null),
        instant(h, DeadLetterHeaders.FIRST_FAILURE),
        instant(h, DeadLetterHeaders.LAST_FAILURE));
  }

  private static long number(Headers h, String name, long otherwise) {
    try {
      return h.lastValue(name).map(Long::parseLong).orElse(otherwise);
    } catch (NumberFormatException e) {
      return otherwise;
    }
  }

  private static Instant instant(Headers h, String name) {
    try {
      return h.lastValue(name).map(Instant::parse).orElse(null);
    } catch (java.time.format.DateTimeParseException e) {
      return null;
    }
  }
}
