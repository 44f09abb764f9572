package io.sluice.cli.internal;

import io.sluice.api.Header;
import io.sluice.cli.ExitCodes;
import io.sluice.consumer.DeadLetter;
import io.sluice.consumer.SluiceAdmin;
import io.sluice.consumer.admin.DeadLetterFilter;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code sluice dlq list|show|redrive|purge}. */
@Command(
    name = "dlq",
    mixinStandardHelpOptions = true,
    description =
        "Dead-letter topics: list and show pending entries, redrive them to the group that failed"
            + " them, or purge them. An entry's id is partition:offset in the dead-letter topic.",
    subcommands = {
      DlqCommand.ListEntries.class,
      DlqCommand.Show.class,
      DlqCommand.Redrive.class,
      DlqCommand.Purge.class
    })
final class DlqCommand implements Runnable {
  @Spec CommandSpec spec;

  @Override
  public void run() {
    throw new ParameterException(
        spec.commandLine(), "a subcommand is required: list, show, redrive or purge");
  }

  /** Filter options shared by list, redrive and purge. */
  static final class Filter {
    @Option(names = "--group", description = "Only entries this group dead-lettered.")
    String group;

    @Option(names = "--original-topic", description = "Only entries from this topic.")
    String originalTopic;

    @Option(
        names = "--grep",
        paramLabel = "<text>",
        description = "Only entries whose reason, error class or message contains this (any case).")
    String text;

    @Option(
        names = "--since",
        paramLabel = "<time>",
        description = "Only entries dead-lettered at or after this ISO-8601 time.")
    String since;

    @Option(
        names = "--until",
        paramLabel = "<time>",
        description = "Only entries dead-lettered before this ISO-8601 time.")
    String until;

    boolean isEmpty() {
      return group == null
          && originalTopic == null
          && text == null
          && since == null
          && until == null;
    }

    DeadLetterFilter toFilter() {
      return DeadLetterFilter.ALL
          .withGroup(group)
          .withOriginalTopic(originalTopic)
          .withText(text)
          .between(
              since == null ? null : Positions.instant(since),
              until == null ? null : Positions.instant(until));
    }
  }

  @Command(
      name = "list",
      mixinStandardHelpOptions = true,
      description = "List pending entries of a dead-letter topic, oldest first per partition.")
  static final class ListEntries extends Base {
    @Parameters(index = "0", paramLabel = "<dlq-topic>", description = "The dead-letter topic.")
    String dlq;

    @Mixin Filter filter;

    @Option(
        names = "--limit",
        defaultValue = "100",
        description = "At most this many entries (default ${DEFAULT-VALUE}).")
    int limit;

    @Override
    int run() {
      try (Store store = openForReading()) {
        SluiceAdmin admin = store.admin();
        admin.describeTopic(dlq);
        List<DeadLetter> entries = admin.deadLetters(dlq, filter.toFilter(), limit);
        long pending = admin.countDeadLetters(dlq);
        if (json()) {
          List<Object> out = Json.list(entries, d -> Json.deadLetter(d, false));
          Json.print(
              out(), Json.object("deadLetterTopic", dlq, "pending", pending, "entries", out));
          return 0;
        }
        Table table =
            new Table("ID", "FROM", "GROUP", "ATTEMPTS", "REASON", "ERROR", "DEAD-LETTERED AT");
        for (DeadLetter d : entries) {
          table.row(
              d.id(),
              d.originalTopic() + "-" + d.originalPartition() + "@" + d.originalOffset(),
              d.group(),
              d.attempts(),
              d.reason(),
              error(d),
              d.lastFailureAt());
        }
        table.print(out());
        out().println();
        out()
            .printf(
                "%d shown, %d pending in %s%s%n",
                entries.size(), pending, dlq, filter.isEmpty() ? "" : " (filtered)");
        return 0;
      }
    }

    private static String error(DeadLetter d) {
      String e =
          (d.errorClass() == null
                  ? ""
                  : d.errorClass().substring(d.errorClass().lastIndexOf('.') + 1))
              + (d.errorMessage() == null ? "" : ": " + d.errorMessage());
      return e.length() > 60 ? e.substring(0, 59) + "…" : e;
    }
  }

  @Command(
      name = "show",
      mixinStandardHelpOptions = true,
      description = "Show one pending entry: its failure, headers and payload.")
  static final class Show extends Base {
    @Parameters(index = "0", paramLabel = "<dlq-topic>", description = "The dead-letter topic.")
    String dlq;

    @Parameters(index = "1", paramLabel = "<id>", description = "The entry, partition:offset.")
    String id;

    @Override
    int run() {
      try (Store store = openForReading()) {
        store.admin().describeTopic(dlq);
        DeadLetter d =
            store
                .admin()
                .deadLetter(dlq, id)
                .orElseThrow(
                    () ->
                        new CliException(
                            ExitCodes.NOT_FOUND,
                            "no pending entry "
                                + id
                                + " in "
                                + dlq
                                + " (settled, or never there)"));
        if (json()) {
          Json.print(out(), Json.deadLetter(d, true));
          return 0;
        }
        out().printf("Entry %s of %s%n", d.id(), dlq);
        out()
            .printf(
                "  from:        %s-%d@%d%n",
                d.originalTopic(), d.originalPartition(), d.originalOffset());
        out().printf("  group:       %s%n", d.group());
        out().printf("  attempts:    %d%n", d.attempts());
        out().printf("  reason:      %s%n", d.reason());
        out().printf("  error:       %s%n", d.errorClass());
        out().printf("  message:     %s%n", d.errorMessage());
        out().printf("  first fail:  %s%n", d.firstFailureAt());
        out().printf("  last fail:   %s%n", d.lastFailureAt());
        out().printf("  key:         %s%n", d.message().key());
        out().println("  headers:");
        for (Header h : d.message().headers().asList()) {
          out().printf("    %s: %s%n", h.name(), h.value());
        }
        out().printf("  payload:     %s%n", Json.preview(d.message().payload(), 4000));
        return 0;
      }
    }
  }

  /** What redrive and purge share: one entry by id, or a filter, or --all; and a dry run. */
  abstract static class Settle extends Base {
    @Parameters(index = "0", paramLabel = "<dlq-topic>", description = "The dead-letter topic.")
    String dlq;

    @Parameters(
        index = "1",
        arity = "0..1",
        paramLabel = "<id>",
        description = "One entry, partition:offset.")
    String id;

    @Mixin Filter filter;

    @Option(names = "--all", description = "Every pending entry (needed when no id nor filter).")
    boolean all;

    @Option(names = "--dry-run", description = "Count the entries it would take; change nothing.")
    boolean dryRun;

    abstract String verb();

    /** The past participle, as in "2 entries redriven". */
    abstract String done();

    abstract boolean byId(SluiceAdmin admin, String id);

    abstract long byFilter(SluiceAdmin admin, DeadLetterFilter filter);

    @Override
    int run() {
      if (id != null && (!filter.isEmpty() || all)) {
        throw new ParameterException(spec.commandLine(), "give an id, or a filter, not both");
      }
      if (id == null && filter.isEmpty() && !all) {
        throw new ParameterException(
            spec.commandLine(),
            "say which entries: an id (partition:offset), filter options, or --all");
      }
      try (Store store = dryRun ? openForReading() : openForWriting()) {
        SluiceAdmin admin = store.admin();
        admin.describeTopic(dlq);
        long count;
        if (dryRun) {
          count =
              id != null
                  ? admin.deadLetter(dlq, id).isPresent() ? 1 : 0
                  : admin.deadLetters(dlq, filter.toFilter(), Integer.MAX_VALUE).size();
        } else if (id != null) {
          count = byId(admin, id) ? 1 : 0;
        } else {
          count = byFilter(admin, filter.toFilter());
        }
        if (id != null && count == 0) {
          throw new CliException(
              ExitCodes.NOT_FOUND,
              "no pending entry " + id + " in " + dlq + ": nothing to " + verb());
        }
        if (json()) {
          Json.print(
              out(), Json.object("deadLetterTopic", dlq, "dryRun", dryRun, verb() + "d", count));
        } else {
          out()
              .printf(
                  "%s %d %s of %s%n",
                  dryRun ? "Dry run, nothing changed: would " + verb() : past(),
                  count,
                  count == 1 ? "entry" : "entries",
                  dlq);
        }
        return 0;
      }
    }

    private String past() {
      return Character.toUpperCase(done().charAt(0)) + done().substring(1);
    }
  }

  @Command(
      name = "redrive",
      mixinStandardHelpOptions = true,
      description =
          "Move pending entries back to their original topic and partition, for the group that"
              + " dead-lettered them only. Safe to run concurrently: no entry is moved twice.")
  static final class Redrive extends Settle {
    @Override
    String verb() {
      return "redrive";
    }

    @Override
    String done() {
      return "redriven";
    }

    @Override
    boolean byId(SluiceAdmin admin, String id) {
      return admin.redriveById(dlq, id);
    }

    @Override
    long byFilter(SluiceAdmin admin, DeadLetterFilter filter) {
      return admin.redrive(dlq, filter);
    }
  }

  @Command(
      name = "purge",
      mixinStandardHelpOptions = true,
      description = "Settle pending entries without re-enqueuing them.")
  static final class Purge extends Settle {
    @Override
    String verb() {
      return "purge";
    }

    @Override
    String done() {
      return "purged";
    }

    @Override
    boolean byId(SluiceAdmin admin, String id) {
      return admin.purgeById(dlq, id);
    }

    @Override
    long byFilter(SluiceAdmin admin, DeadLetterFilter filter) {
      return admin.purge(dlq, filter);
    }
  }
}
