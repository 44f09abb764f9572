package io.sluice.consumer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.sluice.ProducerBufferFullException;
import io.sluice.ProducerConfig;
import io.sluice.Sluice;
import io.sluice.api.Backoff;
import io.sluice.api.Message;
import io.sluice.api.Producer;
import io.sluice.api.Receipt;
import io.sluice.api.TopicConfig;
import io.sluice.api.error.BackendUnavailableException;
import io.sluice.api.error.InvalidMessageException;
import io.sluice.api.error.InvalidNameException;
import io.sluice.api.error.MessageTooLargeException;
import io.sluice.api.error.StorageClosedException;
import io.sluice.api.error.TopicNotFoundException;
import io.sluice.spi.tck.InMemoryStorage;
import io.sluice.spi.tck.SettableClock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The batching producer: coalescing, atomic batches, retries, backpressure, errors, close. */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class ProducerTest {
  private static final Duration WAIT = Duration.ofSeconds(10);

  private final SettableClock clock = new SettableClock();
  private final RecordingStorage storage = new RecordingStorage(new InMemoryStorage(clock));
  private final Sluice sluice = Sluice.builder().storage(storage).clock(clock).build();

  ProducerTest() {
    storage.createTopic("orders", TopicConfig.partitions(4).withMaxMessageBytes(1_000));
  }

  @AfterEach
  void close() {
    sluice.close();
    storage.close();
  }

  private Producer producer(ProducerConfig config) {
    return sluice.newProducer(config);
  }

  private long end() {
    return storage.describeTopic("orders").partitions().stream()
        .mapToLong(p -> p.endOffset())
        .sum();
  }

  @Test
  void concurrentAsyncSendsCoalesceIntoFewAppends() {
    Producer p = producer(ProducerConfig.DEFAULT.withLinger(Duration.ofMillis(100)));
    List<CompletableFuture<Receipt>> futures = new ArrayList<>();
    for (int i = 0; i < 200; i++) {
      futures.add(p.sendAsync("orders", Message.builder("m" + i).key("k" + i).build()));
    }
    List<Receipt> receipts = futures.stream().map(CompletableFuture::join).toList();
    assertThat(storage.appends.get()).isLessThanOrEqualTo(3);
    assertThat(receipts).doesNotHaveDuplicates();
    assertThat(end()).isEqualTo(200);
  }

  @Test
  void aSynchronousSendDoesNotWaitForTheLinger() {
    Producer p = producer(ProducerConfig.DEFAULT.withLinger(Duration.ofSeconds(1)));
    CompletableFuture<Receipt> early = p.sendAsync("orders", Message.of("async"));
    long t0 = System.nanoTime();
    Receipt r = p.send("orders", Message.of("sync"));
    Duration took = Duration.ofNanos(System.nanoTime() - t0);
    assertThat(took).as("a 1 s linger would hold it").isLessThan(Duration.ofMillis(500));
    assertThat(early).as("the async send waiting in the same batch went with it").isDone();
    assertThat(storage.appends.get()).isEqualTo(1);
    assertThat(end()).isEqualTo(2);
    assertThat(r.topic()).isEqualTo("orders");
    assertThat(p.sendAll("orders", List.of(Message.of("a"), Message.of("b")))).hasSize(2);
    assertThat(storage.appends.get()).isEqualTo(2);
  }

  @Test
  void syncSendsFromManyThreadsShareAppends() throws Exception {
    // Each append takes 2 ms, as a force or a commit would: sends made meanwhile share the next.
    storage.beforeAppend = batch -> sleepQuietly(Duration.ofMillis(2));
    Producer p = producer(ProducerConfig.DEFAULT);
    List<Thread> threads = new ArrayList<>();
    for (int t = 0; t < 8; t++) {
      int n = t;
      threads.add(
          Thread.ofVirtual()
              .start(
                  () -> {
                    for (int i = 0; i < 25; i++) {
                      p.send("orders", Message.of("t" + n + "-" + i));
                    }
                  }));
    }
    for (Thread t : threads) {
      t.join();
    }
    assertThat(end()).isEqualTo(200);
    assertThat(storage.appends.get()).isLessThan(200);
  }

  private static void sleepQuietly(Duration d) {
    try {
      Thread.sleep(d);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  @Test
  void sendAllIsAtomicAndRejectsTheWholeBatchForOneBadMessage() {
    Producer p = sluice.producer();
    List<Message> batch = List.of(Message.of("a"), Message.of(new byte[2_000]), Message.of("c"));
    assertThatThrownBy(() -> p.sendAll("orders", batch))
        .isInstanceOf(MessageTooLargeException.class);
    assertThat(end()).isZero();
    List<Receipt> ok = p.sendAll("orders", List.of(Message.of("a"), Message.of("b")));
    assertThat(ok).hasSize(2);
    assertThat(ok.get(1).offset()).isEqualTo(ok.get(0).offset() + 1);
  }

  @Test
  void oneBadMessageInACoalescedBatchFailsOnlyItsSender() {
    Producer p = producer(ProducerConfig.DEFAULT.withLinger(Duration.ofMillis(100)));
    CompletableFuture<Receipt> good1 = p.sendAsync("orders", Message.of("good1"));
    CompletableFuture<Receipt> bad = p.sendAsync("orders", Message.of(new byte[2_000]));
    CompletableFuture<Receipt> good2 = p.sendAsync("orders", Message.of("good2"));
    assertThat(good1.join().offset()).isNotNegative();
    assertThat(good2.join().offset()).isNotNegative();
    assertThat(bad)
        .failsWithin(WAIT)
        .withThrowableOfType(java.util.concurrent.ExecutionException.class)
        .withCauseInstanceOf(MessageTooLargeException.class);
    assertThat(end()).isEqualTo(2);
  }

  @Test
  void transientFailuresAreRetriedWithTheSameIdempotencyKey() {
    AtomicInteger failures = new AtomicInteger(2);
    List<String> keys = new java.util.concurrent.CopyOnWriteArrayList<>();
    storage.beforeAppend =
        batch -> {
          keys.add(batch.get(0).message().idempotencyKey());
          if (failures.getAndDecrement() > 0) {
            throw new BackendUnavailableException("test database", new java.io.IOException("down"));
          }
        };
    Producer p =
        producer(ProducerConfig.DEFAULT.withRetries(3, Backoff.fixed(Duration.ofMillis(1))));
    Receipt r = p.send("orders", Message.builder("o").idempotencyKey("o-1").build());
    assertThat(keys).containsExactly("o-1", "o-1", "o-1");
    assertThat(r.duplicate()).isFalse();
    assertThat(end()).isEqualTo(1);
  }

  @Test
  void exhaustedRetriesReportTheTransientFailure() {
    storage.beforeAppend =
        batch -> {
          throw new BackendUnavailableException("test database", new java.io.IOException("down"));
        };
    Producer p =
        producer(ProducerConfig.DEFAULT.withRetries(2, Backoff.fixed(Duration.ofMillis(1))));
    assertThatThrownBy(() -> p.send("orders", Message.of("x")))
        .isInstanceOf(BackendUnavailableException.class);
    assertThat(end()).isZero();
  }

  @Test
  void fullBufferBlocksThenFails() {
    CountDownLatch gate = new CountDownLatch(1);
    storage.beforeAppend =
        batch -> {
          try {
            gate.await();
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
          }
        };
    Producer p =
        producer(
            ProducerConfig.DEFAULT
                .withLinger(Duration.ZERO)
                .withMaxBufferedBytes(1_000)
                .withMaxBlock(Duration.ofMillis(100)));
    CompletableFuture<Receipt> first = p.sendAsync("orders", Message.of(new byte[600]));
    assertThatThrownBy(() -> p.sendAsync("orders", Message.of(new byte[600])))
        .isInstanceOf(ProducerBufferFullException.class)
        .hasMessageContaining("1000");
    gate.countDown();
    assertThat(first.join().offset()).isZero();
    assertThat(p.sendAsync("orders", Message.of(new byte[600])).join()).isNotNull();
  }

  @Test
  void badInputFailsAtOnceAndSendsNothing() {
    Producer p = sluice.producer();
    assertThatThrownBy(() -> p.send("orders", null)).isInstanceOf(InvalidMessageException.class);
    assertThatThrownBy(() -> p.send("a b", Message.of("x")))
        .isInstanceOf(InvalidNameException.class);
    assertThatThrownBy(() -> p.send("missing", Message.of("x")))
        .isInstanceOf(TopicNotFoundException.class);
    assertThatThrownBy(() -> p.sendAll("orders", null)).isInstanceOf(InvalidMessageException.class);
    assertThat(p.sendAll("orders", List.of())).isEmpty();
    assertThat(end()).isZero();
  }

  @Test
  void duplicateIdempotencyKeyReturnsTheOriginalReceipt() {
    Producer p = sluice.producer();
    Receipt a = p.send("orders", Message.builder("x").idempotencyKey("k").build());
    Receipt b = p.send("orders", Message.builder("x").idempotencyKey("k").build());
    assertThat(b.duplicate()).isTrue();
    assertThat(b.offset()).isEqualTo(a.offset());
    assertThat(end()).isEqualTo(1);
  }

  @Test
  void closeFlushesPendingSendsThenRefusesNewOnes() {
    Producer p = producer(ProducerConfig.DEFAULT.withLinger(Duration.ofMillis(200)));
    CompletableFuture<Receipt> pending = p.sendAsync("orders", Message.of("x"));
    p.close();
    assertThat(pending).isCompleted();
    assertThat(pending.join().offset()).isZero();
    assertThatThrownBy(() -> p.send("orders", Message.of("y")))
        .isInstanceOf(StorageClosedException.class);
    p.close();
    await().atMost(WAIT).until(() -> end() == 1);
  }

  @Test
  void badProducerConfigIsRejected() {
    assertThatThrownBy(() -> ProducerConfig.DEFAULT.withMaxBufferedBytes(0))
        .isInstanceOf(io.sluice.api.error.InvalidConfigException.class);
    assertThatThrownBy(() -> ProducerConfig.DEFAULT.withLinger(Duration.ofSeconds(5)))
        .isInstanceOf(io.sluice.api.error.InvalidConfigException.class);
    assertThatThrownBy(() -> ProducerConfig.DEFAULT.withMaxBatchMessages(0))
        .isInstanceOf(io.sluice.api.error.InvalidConfigException.class);
  }
}
