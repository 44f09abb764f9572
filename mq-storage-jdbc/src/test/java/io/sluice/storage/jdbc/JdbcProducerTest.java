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
    unexpected.addAll(
        runThreads(
            threads,
            thread -> {
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
            }));
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

  /**
   * Eight threads append batches that spread over four partitions (PostgreSQL: the one-statement
   * spread path), half of them listing the partitions in descending order: every call succeeds,
   * each call's messages of one partition get increasing offsets in batch order, offsets are dense
   * per partition, and every receipt reads back its own message. (Counter rows are locked in
   * ascending order, so these appends do not deadlock; one that did would be retried, slowly.)
   */
  @Test
  void concurrentAppendsSpreadOverPartitionsNeverDeadlockAndKeepOrder() throws Exception {
    int partitions = 4;
    store.createTopic("s", TopicConfig.partitions(partitions));
    int threads = 8;
    int calls = 30;
    ConcurrentLinkedQueue<Receipt> receipts = new ConcurrentLinkedQueue<>();
    java.util.Map<String, String> sent = new java.util.concurrent.ConcurrentHashMap<>();
    ConcurrentLinkedQueue<Throwable> unexpected = new ConcurrentLinkedQueue<>();
    unexpected.addAll(
        runThreads(
            threads,
            thread -> {
              for (int c = 0; c < calls; c++) {
                List<OutgoingMessage> batch = new ArrayList<>();
                for (int m = 0; m < 2 * partitions; m++) {
                  int partition =
                      thread % 2 == 0 ? m % partitions : partitions - 1 - m % partitions;
                  byte[] payload = (thread + "/" + c + "/" + m).getBytes();
                  batch.add(
                      m % 3 == 0
                          ? OutgoingMessage.of(Message.builder(payload).key("k" + m).build())
                          : OutgoingMessage.toPartition(Message.of(payload), partition));
                }
                List<Receipt> r = store.append("s", batch);
                for (int i = 0; i < r.size(); i++) {
                  for (int j = i + 1; j < r.size(); j++) {
                    if (r.get(i).partition() == r.get(j).partition()
                        && r.get(i).offset() >= r.get(j).offset()) {
                      unexpected.add(new AssertionError("out of batch order: " + r));
                    }
                  }
                }
                receipts.addAll(r);
                for (int i = 0; i < r.size(); i++) {
                  sent.put(
                      r.get(i).partition() + "@" + r.get(i).offset(),
                      new String(batch.get(i).message().payload()));
                }
              }
            }));
    assertThat(unexpected).isEmpty();
    assertThat(receipts).hasSize(threads * calls * 2 * partitions);
    assertThat(sent).as("no two receipts name the same offset").hasSize(receipts.size());
    for (int p = 0; p < partitions; p++) {
      int partition = p;
      List<Long> offsets =
          receipts.stream()
              .filter(r -> r.partition() == partition)
              .map(Receipt::offset)
              .sorted()
              .toList();
      assertThat(offsets)
          .as("dense offsets in partition %d", p)
          .isEqualTo(java.util.stream.LongStream.range(0, offsets.size()).boxed().toList());
      for (io.sluice.spi.StoredMessage m : store.read("s", p, 0, offsets.size())) {
        assertThat(new String(m.message().payload()))
            .as("message at %d@%d", p, m.offset())
            .isEqualTo(sent.get(p + "@" + m.offset()));
      }
    }
  }

  /** One thread's part of {@link #runThreads}. */
  interface ThreadWork {
    void run(int thread) throws Exception;
  }

  /** Runs {@code work} on {@code threads} threads released together; returns what they threw. */
  static List<Throwable> runThreads(int threads, ThreadWork work) throws InterruptedException {
    CountDownLatch go = new CountDownLatch(1);
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    List<Future<?>> done = new ArrayList<>();
    for (int t = 0; t < threads; t++) {
      int thread = t;
      done.add(
          pool.submit(
              () -> {
                go.await();
                work.run(thread);
                return null;
              }));
    }
    go.countDown();
    List<Throwable> failures = new ArrayList<>();
    for (Future<?> f : done) {
      try {
        f.get(2, TimeUnit.MINUTES);
      } catch (java.util.concurrent.ExecutionException e) {
        failures.add(e.getCause());
      } catch (java.util.concurrent.TimeoutException e) {
        failures.add(e);
      }
    }
    pool.shutdownNow();
    return failures;
  }
}
