package io.sluice.spi.tck;

import io.sluice.api.Message;
import io.sluice.api.Partitioner;
import io.sluice.api.Receipt;
import io.sluice.api.error.InvalidMessageException;
import io.sluice.api.internal.Validation;
import io.sluice.spi.OutgoingMessage;
import io.sluice.spi.StoredMessage;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The append path of {@link InMemoryStorage}, shared with dead-lettering: validates a whole batch,
 * then writes it. Not thread-safe: the store's lock guards it.
 */
final class MemAppender {

  List<Receipt> append(MemTopic t, List<OutgoingMessage> batch, Instant now) {
    int[] target = plan(t, batch);
    List<Receipt> receipts = new ArrayList<>(batch.size());
    Map<String, Receipt> inCall = new HashMap<>();
    for (int i = 0; i < batch.size(); i++) {
      Message m = batch.get(i).message();
      String key = m.idempotencyKey();
      Receipt earlier = key == null ? null : inCall.get(key);
      if (earlier == null && key != null) {
        earlier = t.accepted(key, now);
      }
      if (earlier != null) {
        receipts.add(earlier.asDuplicate());
        continue;
      }
      MemPartition p = t.partitions().get(target[i]);
      Message stored = m.timestamp() == null ? m.withTimestamp(now) : m;
      long offset = p.end();
      p.append(new StoredMessage(t.name(), p.id(), offset, stored));
      Receipt r = new Receipt(t.name(), p.id(), offset, stored.timestamp(), false);
      if (key != null) {
        inCall.put(key, r);
        t.accept(key, r, now);
      }
      receipts.add(r);
    }
    return receipts;
  }

  /** Checks every message and picks each one's partition; changes nothing but the rotation. */
  private static int[] plan(MemTopic t, List<OutgoingMessage> batch) {
    int[] target = new int[batch.size()];
    boolean unkeyed = false;
    for (int i = 0; i < batch.size(); i++) {
      OutgoingMessage om = batch.get(i);
      if (om == null) {
        throw new InvalidMessageException("batch entry " + i + " is null; expected a message");
      }
      Validation.size(om.message(), t.config().maxMessageBytes());
      if (om.partition() != OutgoingMessage.ANY_PARTITION) {
        target[i] = t.partition(om.partition()).id();
      } else if (om.message().key() != null) {
        target[i] = Partitioner.partition(om.message().key(), t.partitionCount());
      } else {
        target[i] = -1;
        unkeyed = true;
      }
    }
    if (unkeyed) {
      int p = t.nextUnkeyedPartition();
      for (int i = 0; i < target.length; i++) {
        target[i] = target[i] < 0 ? p : target[i];
      }
    }
    return target;
  }
}
