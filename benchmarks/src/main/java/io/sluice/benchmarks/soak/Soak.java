package io.sluice.benchmarks.soak;

import io.sluice.Sluice;
import io.sluice.api.Message;
import io.sluice.api.TopicConfig;
import io.sluice.consumer.ConsumerGroup;
import io.sluice.spi.OutgoingMessage;
import io.sluice.spi.Storage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * The kill -9 soak: producer rounds, then consumer rounds, each a child JVM killed with SIGKILL at
 * a random moment; then a clean member drains the rest and the checkers run. Prints progress on
 * stderr and one summary line on stdout; exits 1 when anything was lost, duplicated beyond the
 * documented redeliveries, or abandoned without its handler starting. Run it with {@code
 * benchmarks/soak.sh}; see {@code docs/soak.md}.
 */
@Command(
    name = "soak",
    mixinStandardHelpOptions = true,
    description = "Kill -9 soak of a SYNC producer and a manual-ack consumer.")
public final class Soak implements Callable<Integer> {
  @Option(names = "--store", description = "file or postgres (default ${DEFAULT-VALUE})")
  String store = "file";

  @Option(names = "--producer-rounds", description = "default ${DEFAULT-VALUE}; 0 skips them")
  int producerRounds = 1_000;

  @Option(names = "--consumer-rounds", description = "default ${DEFAULT-VALUE}; 0 skips them")
  int consumerRounds = 200;

  @Option(names = "--work", description = "work directory (default: a new temporary one)")
  Path work;

  @Option(
      names = "--url",
      description = "PostgreSQL URL (default: $SLUICE_TEST_POSTGRES_URL, else local db test)")
  String url;

  @Option(names = "--user", description = "default ${DEFAULT-VALUE}")
  String user = "postgres";

  @Option(names = "--schema", description = "PostgreSQL schema, dropped first (${DEFAULT-VALUE})")
  String schema = "sluice_soak";

  @Option(names = "--max-delay-ms", description = "longest wait before a kill (${DEFAULT-VALUE})")
  int maxDelayMs = 500;

  @Option(
      names = "--early-kill-percent",
      description = "rounds killed before READY (${DEFAULT-VALUE})")
  int earlyKillPercent = 10;

  @Option(
      names = "--messages-per-round",
      description = "work added per consumer round (${DEFAULT-VALUE})")
  int messagesPerRound = 200;

  @Option(
      names = "--poison-every",
      description = "every n-th work message hangs its handler (${DEFAULT-VALUE})")
  int poisonEvery = 1_000;

  @Option(names = "--concurrency", description = "consumer handler threads (${DEFAULT-VALUE})")
  int concurrency = 4;

  @Option(names = "--max-attempts", description = "consumer retry limit (${DEFAULT-VALUE})")
  int maxAttempts = 3;

  @Option(
      names = "--check-every",
      description = "check after every n producer rounds (${DEFAULT-VALUE})")
  int checkEvery = 100;

  @Option(
      names = "--progress-every",
      description = "progress line every n rounds (${DEFAULT-VALUE})")
  int progressEvery = 25;

  @Option(names = "--seed", description = "random seed (default: the time)")
  long seed = System.nanoTime();

  private Random random;
  private SoakStore where;
  private long started;

  /** Entry point. */
  public static void main(String[] args) {
    System.exit(new CommandLine(new Soak()).execute(args));
  }

  @Override
  public Integer call() throws Exception {
    started = System.nanoTime();
    random = new Random(seed);
    work = work != null ? Files.createDirectories(work) : Files.createTempDirectory("sluice-soak");
    where =
        switch (store) {
          case "file" -> SoakStore.file(work.resolve("store"));
          case "postgres" -> SoakStore.postgres(postgresUrl(), user, schema);
          default ->
              throw new CommandLine.ParameterException(
                  new CommandLine(this), "--store must be file or postgres, found " + store);
        };
    where.reset();
    progress("work directory %s, seed %d", work, seed);
    try (Storage s = where.open()) {
      s.createTopic(SoakChild.SENT, TopicConfig.partitions(4));
      s.createTopic(SoakChild.WORK, TopicConfig.partitions(4));
    }
    ChildJvm warmup = ChildJvm.start(work, child("warmup"));
    warmup.awaitExit(120);
    ProducerCheck produced = produce();
    ConsumerCheck consumed = consume();
    System.out.printf(
        Locale.ROOT,
        "soak store=%s producerRounds=%d consumerRounds=%d receipted=%d lost=%d duplicates=%d"
            + " phantoms=%d consumed=%d unprocessed=%d consumerDuplicates=%d redelivered=%d"
            + " redeliveryBound=%d markedNotRunMax=%d abandoned=%d abandonedWithoutStart=%d"
            + " elapsed=%ds%n",
        where.label(),
        producerRounds,
        consumerRounds,
        produced.receipted(),
        produced.lost(),
        produced.duplicates(),
        produced.phantoms(),
        consumed.messages(),
        consumed.missing(),
        consumed.duplicates(),
        consumed.redelivered(),
        (long) consumerRounds * concurrency,
        consumed.markedNotRunMax(),
        consumed.abandoned(),
        consumed.abandonedWithoutStart(),
        elapsedSeconds());
    return produced.clean() && consumed.clean() ? 0 : 1;
  }

  private ProducerCheck produce() throws Exception {
    ProducerCheck check;
    try (Storage s = where.open()) {
      check = ProducerCheck.run(s, work);
    }
    for (int round = 1; round <= producerRounds; round++) {
      int threads = 1 + random.nextInt(8);
      long firstId = round * 100_000_000L;
      runAndKill(child("producer", round, threads, firstId));
      if (round % checkEvery == 0 || round == producerRounds) {
        try (Storage s = where.open()) {
          check = ProducerCheck.run(s, work);
        }
        progress("producer %d/%d checked: %s", round, producerRounds, check);
        if (!check.clean()) {
          progress("producer check failed; stopping the producer rounds");
          return check;
        }
      } else if (round % progressEvery == 0) {
        progress("producer %d/%d", round, producerRounds);
      }
    }
    return check;
  }

  private ConsumerCheck consume() throws Exception {
    long nextId = 0;
    for (int round = 1; round <= consumerRounds; round++) {
      try (Storage s = where.open()) {
        List<OutgoingMessage> batch = new ArrayList<>();
        for (int i = 0; i < messagesPerRound; i++, nextId++) {
          String poison = nextId % poisonEvery == poisonEvery - 1 ? ":poison" : "";
          batch.add(OutgoingMessage.of(Message.of("w:" + nextId + poison)));
        }
        s.append(SoakChild.WORK, batch);
      }
      runAndKill(child("consumer", round, concurrency, maxAttempts));
      if (round % progressEvery == 0) {
        progress("consumer %d/%d", round, consumerRounds);
      }
    }
    try (Storage s = where.open();
        LineLog log = new LineLog(work.resolve("consumer"), false);
        Sluice sluice = Sluice.builder().storage(StartLog.wrap(s, "drain", log)).build()) {
      drain(sluice, log);
      ConsumerCheck check = ConsumerCheck.run(s, work, maxAttempts, concurrency);
      progress("consumer checked: %s", check);
      return check;
    }
  }

  /**
   * A member that is not killed takes what is left (once the last killed member's leases ran out).
   */
  private void drain(Sluice sluice, LineLog log) throws InterruptedException {
    ConsumerGroup group =
        SoakConsumer.start(sluice, "drain", concurrency, maxAttempts, log, false, () -> {});
    long deadline = System.nanoTime() + 300_000_000_000L;
    while (sluice.admin().lag(SoakChild.GROUP, SoakChild.WORK) > 0) {
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException(
            "drain: lag still "
                + sluice.admin().lag(SoakChild.GROUP, SoakChild.WORK)
                + " after 300 s");
      }
      Thread.sleep(100); // polling a condition with a deadline
    }
    group.close();
  }

  private void runAndKill(List<String> args) throws Exception {
    ChildJvm child = ChildJvm.start(work, args);
    if (random.nextInt(100) < earlyKillPercent) {
      Thread.sleep(random.nextInt(400)); // during start-up or recovery
    } else {
      child.awaitReady(120);
      Thread.sleep(random.nextInt(maxDelayMs + 1));
    }
    child.kill();
  }

  private List<String> child(String mode, Object... args) {
    List<String> all = new ArrayList<>();
    all.add(mode);
    if (!mode.equals("warmup")) {
      for (Object a : args) {
        all.add(String.valueOf(a));
      }
    }
    all.add(work.toString());
    all.addAll(where.toArgs());
    return all;
  }

  private String postgresUrl() {
    if (url != null) {
      return url;
    }
    String env = System.getenv("SLUICE_TEST_POSTGRES_URL");
    return env != null && !env.isBlank() ? env : "jdbc:postgresql://127.0.0.1:5432/test";
  }

  private long elapsedSeconds() {
    return (System.nanoTime() - started) / 1_000_000_000L;
  }

  private void progress(String format, Object... args) {
    System.err.printf(
        Locale.ROOT,
        "soak %s [%ds] %s%n",
        store,
        elapsedSeconds(),
        String.format(Locale.ROOT, format, args));
  }
}
