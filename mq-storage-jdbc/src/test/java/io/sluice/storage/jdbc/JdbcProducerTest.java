package io.sluice.storage.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sluice.api.Message;
import io.sluice.api.Receipt;
import io.sluice.api.TopicConfig;
import io.sluice.api.error.InvalidPartitionException;
import io.sluice.spi.OutgoingMessage;
import io.sluice.spi.tck.SettableClock;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Independent producers on one partition (issue 12.5): concurrent appends share transactions, and
 * every call still gets what it would get alone. Run on each dialect by a subclass.
 */
abstract class JdbcProducerTest {
  JdbcStorage store;

  abstract DataSource dataSource();

  abstract String schema();

  @BeforeEach
  void open() {
    store = Stores.open(dataSource(), schema(), new SettableClock());
    Stores.empty(dataSource(), schema());
  }

  @AfterEach
  void close() {
    store.close();
  }

  /**
   * Eight threads append keyed batches to one partition, with idempotency keys that repeat across
   * threads and a bad call in between: every good call gets consecutive offsets in its order, the
   * offsets are dense, every key is stored once and its repeats get its receipt, and only the bad
   * calls fail.
   */
  @Test
  void concurrentAppendsToOnePartitionKeepEveryCallsOwnResult() throws Exception {
    store.createTopic("t", TopicConfig.partitions(2));
    int threads = 8;
    int calls = 40;
    ConcurrentLinkedQueue<Receipt> receipts = new ConcurrentLinkedQueue<>();
    ConcurrentLinkedQueue<Throwable> unexpected = new ConcurrentLinkedQueue<>();
    CountDownLatch go = new CountDownLatch(1);
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    List<Future<?>> done = new ArrayList<>();
    for (int t = 0; t < threads; t++) {
      int thread = t;
      done.add(
          pool.submit(
              () -> {
                go.await();
                for (int c = 0; c < calls; c++) {
                  if (c % 10 == 5) {
                    List<OutgoingMessage> bad =
                        List.of(OutgoingMessage.toPartition(Message.of(new byte[1]), 7));
                    assertThatThrownBy(() -> store.append("t", bad))
                        .isInstanceOf(InvalidPartitionException.class);
                    continue;
                  }
                  List<OutgoingMessage> batch = new ArrayList<>();
                  for (int m = 0; m < 3; m++) {
                    batch.add(
                        OutgoingMessage.toPartition(
                            Message.builder(new byte[] {(byte) m})
                                .idempotencyKey("k" + c + "-" + m + "-" + (thread % 2))
                                .build(),
                            0));
                  }
                  List<Receipt> r = store.append("t", batch);
                  boolean fresh = r.stream().noneMatch(Receipt::duplicate);
                  if (fresh
                      && (r.get(1).offset() != r.get(0).offset() + 1
                          || r.get(2).offset() != r.get(1).offset() + 1)) {
                    unexpected.add(new AssertionError("not consecutive: " + r));
                  }
                  receipts.addAll(r);
                }
                return null;
              }));
    }
    go.countDown();
    for (Future<?> f : done) {
      try {
        f.get(2, TimeUnit.MINUTES);
      } catch (java.util.concurrent.ExecutionException e) {
        unexpected.add(e.getCause());
      }
    }
    pool.shutdown();
    assertThat(unexpected).isEmpty();
    List<Receipt> fresh = receipts.stream().filter(r -> !r.duplicate()).toList();
    assertThat(fresh).as("two key sets of 36 calls x 3").hasSize(2 * 36 * 3);
    assertThat(fresh.stream().map(Receipt::offset).sorted().toList())
        .as("dense offsets")
        .isEqualTo(java.util.stream.LongStream.range(0, fresh.size()).boxed().toList());
    assertThat(store.describeTopic("t").partitions().get(0).endOffset()).isEqualTo(fresh.size());
    assertThat(receipts.stream().filter(Receipt::duplicate).map(Receipt::offset).toList())
        .as("each repeat carries a stored offset")
        .allSatisfy(o -> assertThat(fresh.stream().map(Receipt::offset)).contains(o));
  }
}
