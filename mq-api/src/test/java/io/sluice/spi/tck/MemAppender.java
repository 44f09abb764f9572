package io.sluice.spi.tck;

import io.sluice.api.Message;
import io.sluice.api.Receipt;
import io.sluice.api.internal.AppendPlan;
import io.sluice.spi.OutgoingMessage;
import io.sluice.spi.StoredMessage;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * The append path of {@link InMemoryStorage}, shared with dead-lettering: plans the whole batch
 * ({@link AppendPlan}: sizes, partitions, repeated keys), then writes it. Not thread-safe: the
 * store's lock guards it.
 */
final class MemAppender {

  List<Receipt> append(MemTopic t, List<OutgoingMessage> batch, Instant now) {
    AppendPlan plan =
        AppendPlan.of(t.name(), t.config(), t.partitionCount(), t::nextUnkeyedPartition, batch);
    List<Receipt> receipts = new ArrayList<>(batch.size());
    for (int i = 0; i < batch.size(); i++) {
      Message m = batch.get(i).message();
      String key = m.idempotencyKey();
      int repeat = plan.repeatOf(i);
      Receipt earlier =
          repeat >= 0 ? receipts.get(repeat) : key == null ? null : t.accepted(key, now);
      if (earlier != null) {
        receipts.add(earlier.asDuplicate());
        continue;
      }
      MemPartition p = t.partitions().get(plan.partition(i));
      Message stored = m.timestamp() == null ? m.withTimestamp(now) : m;
      long offset = p.end();
      p.append(new StoredMessage(t.name(), p.id(), offset, stored), plan.encodedSize(i));
      Receipt r = new Receipt(t.name(), p.id(), offset, stored.timestamp(), false);
      if (key != null) {
        t.accept(key, r, now);
      }
      receipts.add(r);
    }
    return receipts;
  }
}
