package io.sluice.storage.file;

import io.sluice.api.Message;
import io.sluice.api.Receipt;
import io.sluice.api.TopicConfig;
import io.sluice.spi.ClaimRequest;
import io.sluice.spi.DeliveryId;
import io.sluice.spi.Lease;
import io.sluice.spi.OutgoingMessage;
import io.sluice.spi.StartRequest;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The child JVM of the crash tests. {@code hold <dir>}: open the store, print {@code OPEN;}, wait
 * to be killed. {@code start <dir> <sync|os|interval>}: append {@link #STARTS} messages, claim them
 * all, mark the first half started, print {@code STARTED;} and wait to be killed. {@code produce
 * <dir> <threads> <firstId> <keyed> <sync|os|interval> [resendFile]}: send from several threads
 * until killed, printing {@code S <id>;} before each send and {@code R <id> <partition> <offset>
 * <duplicate>;} after each receipt (a line counts only if it ends with {@code ;}).
 */
public final class ChildProducer {
  static final String TOPIC = "crash";
  static final int PARTITIONS = 2;
  static final int STARTS = 10;

  private static final ReentrantLock OUT = new ReentrantLock();
  private static final PrintStream STDOUT =
      new PrintStream(System.out, false, StandardCharsets.UTF_8);

  private ChildProducer() {}

  public static void main(String[] args) throws Exception {
    String policy = args[0].equals("start") ? args[2] : args.length > 5 ? args[5] : "sync";
    Durability durability =
        policy.equals("os")
            ? Durability.OS
            : policy.equals("interval")
                ? Durability.interval(java.time.Duration.ofMillis(50))
                : Durability.SYNC;
    FileStorage store =
        FileStorage.open(
            FileStorageConfig.builder(Path.of(args[1])).durability(durability).build());
    if (args[0].equals("hold")) {
      print("OPEN;");
      new java.util.concurrent.CountDownLatch(1).await();
      return;
    }
    if (args[0].equals("start")) {
      startHalf(store);
      print("STARTED;");
      new java.util.concurrent.CountDownLatch(1).await();
      return;
    }
    store.createTopic(TOPIC, TopicConfig.partitions(PARTITIONS));
    int threads = Integer.parseInt(args[2]);
    AtomicLong next = new AtomicLong(Long.parseLong(args[3]));
    boolean keyed = Boolean.parseBoolean(args[4]);
    if (args.length > 6) {
      for (String line : Files.readAllLines(Path.of(args[6]))) {
        send(store, Long.parseLong(line.trim()), keyed);
      }
    }
    List<Thread> running = new ArrayList<>();
    for (int t = 0; t < threads; t++) {
      running.add(
          Thread.ofPlatform()
              .start(
                  () -> {
                    while (true) {
                      send(store, next.getAndIncrement(), keyed);
                    }
                  }));
    }
    for (Thread t : running) {
      t.join();
    }
  }

  /** Claims {@link #STARTS} messages of partition 0 and marks the first half started. */
  private static void startHalf(FileStorage store) {
    store.createTopic(TOPIC, TopicConfig.partitions(1));
    for (long id = 0; id < STARTS; id++) {
      store.append(TOPIC, List.of(OutgoingMessage.of(message(id, false))));
    }
    List<Lease> leases =
        store.claim(ClaimRequest.of("g", TOPIC, STARTS, java.time.Duration.ofMinutes(5)));
    List<DeliveryId> half = leases.subList(0, STARTS / 2).stream().map(Lease::id).toList();
    store.markStarted(new StartRequest("g", half));
  }

  private static void send(FileStorage store, long id, boolean keyed) {
    print("S " + id + ";");
    Receipt r = store.append(TOPIC, List.of(OutgoingMessage.of(message(id, keyed)))).get(0);
    print("R " + id + " " + r.partition() + " " + r.offset() + " " + r.duplicate() + ";");
  }

  /** The message for an id: payload and key derived from it, so the parent can check bytes. */
  static Message message(long id, boolean keyed) {
    Message.Builder b = Message.builder(payload(id)).key("k" + (id % 5));
    if (keyed) {
      b.idempotencyKey("i" + id);
    }
    return b.build();
  }

  static String payload(long id) {
    return "id:" + id + ":" + "x".repeat((int) (id % 97));
  }

  private static void print(String line) {
    OUT.lock();
    try {
      STDOUT.println(line);
      STDOUT.flush();
    } finally {
      OUT.unlock();
    }
  }
}
