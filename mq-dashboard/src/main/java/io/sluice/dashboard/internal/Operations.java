package io.sluice.dashboard.internal;

import io.sluice.api.Position;
import io.sluice.consumer.SluiceAdmin;
import io.sluice.consumer.admin.DeadLetterFilter;
import io.sluice.consumer.admin.OffsetChange;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.BiPredicate;
import java.util.function.ToLongBiFunction;

/** The dashboard's write operations, each one {@link SluiceAdmin} call (or one per id). */
public final class Operations {
  private final SluiceAdmin admin;

  /** Operations through {@code admin}. */
  public Operations(SluiceAdmin admin) {
    this.admin = admin;
  }

  /** Redrives the entries named by {@code ids}, or else those the body's filter accepts. */
  public long redrive(String deadLetterTopic, Body body) {
    return settle(deadLetterTopic, body, admin::redriveById, admin::redrive);
  }

  /** Purges the entries named by {@code ids}, or else those the body's filter accepts. */
  public long purge(String deadLetterTopic, Body body) {
    return settle(deadLetterTopic, body, admin::purgeById, admin::purge);
  }

  /**
   * Settles (redrives or purges) the entries of an existing dead-letter topic named by {@code ids},
   * each with {@code byId}, or else those the body's filter accepts, with {@code matching}.
   */
  private long settle(
      String deadLetterTopic,
      Body body,
      BiPredicate<String, String> byId,
      ToLongBiFunction<String, DeadLetterFilter> matching) {
    admin.describeTopic(deadLetterTopic);
    List<String> ids = body.strings("ids");
    if (!ids.isEmpty()) {
      return ids.stream().filter(id -> byId.test(deadLetterTopic, id)).count();
    }
    return matching.applyAsLong(deadLetterTopic, filter(body));
  }

  /**
   * The dead-letter filter a body describes: {@code group}, {@code originalTopic}, {@code text} (in
   * the reason, error class or message), {@code from} and {@code until} (ISO-8601 instants).
   */
  public static DeadLetterFilter filter(Body body) {
    return new DeadLetterFilter(
        body.string("group"),
        body.string("originalTopic"),
        body.string("text"),
        instant(body, "from"),
        instant(body, "until"));
  }

  /** Pauses or resumes a group on one topic, or on all with {@code topic == null}. */
  public Map<String, Object> pause(String group, String topic, boolean paused) {
    if (paused) {
      admin.pause(group, topic);
    } else {
      admin.resume(group, topic);
    }
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("group", group);
    out.put("topic", topic);
    out.put("paused", admin.isPaused(group, topic));
    return out;
  }

  /**
   * Resets a group's offsets on a topic ({@code topic}, {@code to}, optional {@code partition},
   * {@code offset} or {@code time}, and {@code dryRun}); a dry run only plans the change.
   */
  public Map<String, Object> reset(String group, Body body) {
    String topic = body.string("topic");
    if (topic == null) {
      throw new IllegalArgumentException("reset needs a topic");
    }
    Long partition = body.longValue("partition");
    int p = partition == null ? SluiceAdmin.ALL_PARTITIONS : Math.toIntExact(partition);
    Position to = position(body);
    boolean dryRun = body.flag("dryRun");
    List<OffsetChange> changes =
        dryRun
            ? admin.planResetOffsets(group, topic, p, to)
            : admin.resetOffsets(group, topic, p, to);
    List<Map<String, Object>> rows = new ArrayList<>();
    for (OffsetChange c : changes) {
      Map<String, Object> row = new LinkedHashMap<>();
      row.put("partition", c.partition());
      row.put("from", c.from());
      row.put("to", c.to());
      row.put("delta", c.delta());
      rows.add(row);
    }
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("group", group);
    out.put("topic", topic);
    out.put("dryRun", dryRun);
    out.put("changes", rows);
    return out;
  }

  /** The position a reset body names: {@code to} = earliest, latest, offset or time. */
  static Position position(Body body) {
    String to = body.string("to");
    if (to == null) {
      throw new IllegalArgumentException("reset needs to: earliest, latest, offset or time");
    }
    return switch (to.toLowerCase(Locale.ROOT)) {
      case "earliest" -> Position.EARLIEST;
      case "latest" -> Position.LATEST;
      case "offset" -> {
        Long offset = body.longValue("offset");
        if (offset == null) {
          throw new IllegalArgumentException("to=offset needs an offset");
        }
        yield Position.offset(offset);
      }
      case "time" -> {
        Instant time = instant(body, "time");
        if (time == null) {
          throw new IllegalArgumentException("to=time needs a time (ISO-8601 instant)");
        }
        yield Position.timestamp(time);
      }
      default ->
          throw new IllegalArgumentException(
              "to must be earliest, latest, offset or time, found " + to);
    };
  }

  private static Instant instant(Body body, String name) {
    String value = body.string(name);
    if (value == null) {
      return null;
    }
    try {
      return Instant.parse(value);
    } catch (DateTimeParseException e) {
      throw new IllegalArgumentException(
          name + " must be an ISO-8601 instant such as 2026-01-31T12:00:00Z, found " + value);
    }
  }
}
