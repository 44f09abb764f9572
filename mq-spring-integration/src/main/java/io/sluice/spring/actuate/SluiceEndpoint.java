package io.sluice.spring.actuate;

import io.sluice.api.Position;
import io.sluice.api.error.InvalidRequestException;
import io.sluice.api.error.TopicNotFoundException;
import io.sluice.consumer.SluiceAdmin;
import io.sluice.consumer.admin.DeadLetterFilter;
import io.sluice.consumer.admin.OffsetChange;
import io.sluice.consumer.admin.PartitionView;
import io.sluice.spring.listener.ListenerEndpointRegistry;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BiPredicate;
import java.util.function.Supplier;
import java.util.function.ToLongBiFunction;
import org.jspecify.annotations.Nullable;
import org.springframework.boot.actuate.endpoint.InvalidEndpointRequestException;
import org.springframework.boot.actuate.endpoint.annotation.DeleteOperation;
import org.springframework.boot.actuate.endpoint.annotation.Endpoint;
import org.springframework.boot.actuate.endpoint.annotation.ReadOperation;
import org.springframework.boot.actuate.endpoint.annotation.Selector;
import org.springframework.boot.actuate.endpoint.annotation.WriteOperation;

/**
 * The Actuator endpoint {@code sluice}: topics with their partitions and end offsets, each consumer
 * group's lag and pause state, dead-letter topics with their pending counts, and the listeners;
 * write operations pause and resume groups, reset their offsets (with a dry run), and redrive or
 * purge dead letters. Expose it with {@code management.endpoints.web.exposure.include=sluice}; make
 * it read-only with {@code management.endpoint.sluice.access=read-only}. Reads never scan a
 * dead-letter topic: its pending count costs one progress read per partition.
 *
 * <table>
 *   <caption>Operations (over HTTP; bodies are JSON)</caption>
 *   <tr><td>{@code GET /actuator/sluice}</td><td>everything, see {@link Overview}</td></tr>
 *   <tr><td>{@code GET /actuator/sluice/{topic}}</td><td>one topic</td></tr>
 *   <tr><td>{@code POST /actuator/sluice/{deadLetterTopic}}</td><td>redrive pending entries to
 *       their original topics: all, or those matching the body's {@code group}, {@code
 *       originalTopic}, {@code text} (in reason or error), or the one {@code id}
 *       ({@code "partition:offset"}); returns the count</td></tr>
 *   <tr><td>{@code DELETE /actuator/sluice/{deadLetterTopic}}</td><td>purge pending entries:
 *       all, or those matching query parameters {@code group}, {@code originalTopic}, {@code
 *       text}, {@code id}; returns the count</td></tr>
 *   <tr><td>{@code POST /actuator/sluice/{topic}/{group}/pause}</td><td>pause the group on the
 *       topic, persistently: every member in every process stops claiming</td></tr>
 *   <tr><td>{@code POST /actuator/sluice/{topic}/{group}/resume}</td><td>resume it</td></tr>
 *   <tr><td>{@code POST /actuator/sluice/{topic}/{group}/reset-offsets}</td><td>body {@code
 *       {"to": "earliest"|"latest"|"offset"|"time", "offset": n, "time": "2026-…Z", "partition":
 *       n, "dryRun": true}}: move the committed offsets (all partitions unless {@code partition});
 *       a dry run only shows the change</td></tr>
 * </table>
 */
@Endpoint(id = "sluice")
public class SluiceEndpoint {
  private final SluiceAdmin admin;
  private final ListenerEndpointRegistry registry;

  /**
   * An endpoint over {@code admin}.
   *
   * @param registry the listeners to list, or null
   */
  public SluiceEndpoint(SluiceAdmin admin, ListenerEndpointRegistry registry) {
    this.admin = admin;
    this.registry = registry;
  }

  /** Every topic and listener. */
  @ReadOperation
  public Overview overview() {
    List<TopicView> topics = new ArrayList<>();
    for (io.sluice.consumer.admin.TopicView info : admin.listTopics()) {
      topics.add(view(info));
    }
    return new Overview(topics, listeners());
  }

  /** One topic. */
  @ReadOperation
  public TopicView topic(@Selector String topic) {
    return view(admin.describeTopic(topic));
  }

  /** Redrives every pending entry of a dead-letter topic; returns how many moved. */
  public Redriven redrive(String deadLetterTopic) {
    return redrive(deadLetterTopic, null, null, null, null);
  }

  /**
   * Redrives the pending entries of a dead-letter topic that match every given criterion (all of
   * them when none is given), or the one entry {@code id}; returns how many moved.
   *
   * @param group only entries dead-lettered by this group
   * @param originalTopic only entries that came from this topic
   * @param text only entries with this text in their reason, error class or error message
   * @param id only this entry, {@code "partition:offset"}
   */
  @WriteOperation
  public Redriven redrive(
      @Selector String deadLetterTopic,
      @Nullable String group,
      @Nullable String originalTopic,
      @Nullable String text,
      @Nullable String id) {
    long moved =
        settle(deadLetterTopic, group, originalTopic, text, id, admin::redriveById, admin::redrive);
    return new Redriven(deadLetterTopic, Math.toIntExact(moved));
  }

  /**
   * Purges (settles without redriving) the pending entries of a dead-letter topic that match every
   * given criterion (all of them when none is given), or the one entry {@code id}.
   *
   * @param group only entries dead-lettered by this group
   * @param originalTopic only entries that came from this topic
   * @param text only entries with this text in their reason, error class or error message
   * @param id only this entry, {@code "partition:offset"}
   */
  @DeleteOperation
  public Purged purge(
      @Selector String deadLetterTopic,
      @Nullable String group,
      @Nullable String originalTopic,
      @Nullable String text,
      @Nullable String id) {
    long purged =
        settle(deadLetterTopic, group, originalTopic, text, id, admin::purgeById, admin::purge);
    return new Purged(deadLetterTopic, purged);
  }

  /**
   * Redrives or purges the pending entries of an existing dead-letter topic: the one entry {@code
   * id} with {@code byId}, else those matching the criteria with {@code matching}; returns how
   * many.
   */
  private long settle(
      String deadLetterTopic,
      String group,
      String originalTopic,
      String text,
      String id,
      BiPredicate<String, String> byId,
      ToLongBiFunction<String, DeadLetterFilter> matching) {
    return request(
        () -> {
          admin.describeTopic(deadLetterTopic);
          return id != null
              ? (byId.test(deadLetterTopic, id) ? 1L : 0L)
              : matching.applyAsLong(deadLetterTopic, filter(group, originalTopic, text));
        });
  }

  /**
   * Pauses or resumes a consumer group on a topic, persistently, or resets its offsets there.
   *
   * @param action {@code pause}, {@code resume} or {@code reset-offsets}
   * @param to for a reset: {@code earliest}, {@code latest}, {@code offset} or {@code time}
   * @param offset for {@code to=offset}
   * @param time for {@code to=time}, an ISO-8601 instant
   * @param partition for a reset, one partition (every partition when absent)
   * @param dryRun for a reset, only show the change
   */
  @WriteOperation
  public GroupChange group(
      @Selector String topic,
      @Selector String group,
      @Selector String action,
      @Nullable String to,
      @Nullable Long offset,
      @Nullable String time,
      @Nullable Integer partition,
      @Nullable Boolean dryRun) {
    return request(
        () ->
            switch (action) {
              case "pause" -> {
                admin.pause(group, topic);
                yield new GroupChange(group, topic, admin.isPaused(group, topic), null, null);
              }
              case "resume" -> {
                admin.resume(group, topic);
                yield new GroupChange(group, topic, admin.isPaused(group, topic), null, null);
              }
              case "reset-offsets" -> {
                Position position = position(to, offset, time);
                int p = partition == null ? SluiceAdmin.ALL_PARTITIONS : partition;
                boolean dry = Boolean.TRUE.equals(dryRun);
                List<OffsetChange> changes =
                    dry
                        ? admin.planResetOffsets(group, topic, p, position)
                        : admin.resetOffsets(group, topic, p, position);
                yield new GroupChange(group, topic, admin.isPaused(group, topic), dry, changes);
              }
              default ->
                  throw new InvalidEndpointRequestException(
                      "action must be pause, resume or reset-offsets, found " + action,
                      "unknown action");
            });
  }

  private static DeadLetterFilter filter(String group, String originalTopic, String text) {
    return DeadLetterFilter.ALL
        .withGroup(group)
        .withOriginalTopic(originalTopic)
        .withText(text == null || text.isBlank() ? null : text);
  }

  private static Position position(String to, Long offset, String time) {
    if (to == null) {
      throw new InvalidEndpointRequestException(
          "reset-offsets needs to: earliest, latest, offset or time", "missing to");
    }
    return switch (to) {
      case "earliest" -> Position.EARLIEST;
      case "latest" -> Position.LATEST;
      case "offset" -> {
        if (offset == null) {
          throw new InvalidEndpointRequestException("to=offset needs an offset", "missing offset");
        }
        yield Position.offset(offset);
      }
      case "time" -> {
        try {
          yield Position.timestamp(Instant.parse(String.valueOf(time)));
        } catch (DateTimeParseException e) {
          throw new InvalidEndpointRequestException(
              "to=time needs a time, an ISO-8601 instant such as 2026-01-31T12:00:00Z, found "
                  + time,
              "bad time");
        }
      }
      default ->
          throw new InvalidEndpointRequestException(
              "to must be earliest, latest, offset or time, found " + to, "bad to");
    };
  }

  /** Runs a write; bad input (a bad name, an unknown topic) becomes a 400 with the reason. */
  private static <T> T request(Supplier<T> operation) {
    try {
      return operation.get();
    } catch (InvalidRequestException | TopicNotFoundException e) {
      throw new InvalidEndpointRequestException(e.getMessage(), e.getMessage());
    }
  }

  private TopicView view(io.sluice.consumer.admin.TopicView info) {
    long messages = 0;
    List<Long> ends = new ArrayList<>();
    for (PartitionView p : info.partitions()) {
      ends.add(p.endOffset());
      messages += p.endOffset() - p.logStartOffset();
    }
    List<GroupView> groups = new ArrayList<>();
    Long pendingDeadLetters = null;
    for (String group : admin.listGroups(info.name())) {
      if (SluiceAdmin.DLQ_GROUP.equals(group)) {
        pendingDeadLetters = admin.countDeadLetters(info.name());
        continue;
      }
      io.sluice.consumer.admin.GroupView state = admin.describeGroup(group, info.name());
      groups.add(new GroupView(group, state.lag(), state.inFlight(), state.paused()));
    }
    if (pendingDeadLetters == null && info.name().endsWith(".dlq")) {
      pendingDeadLetters = admin.countDeadLetters(info.name());
    }
    return new TopicView(
        info.name(), info.partitions().size(), ends, messages, groups, pendingDeadLetters);
  }

  private List<ListenerView> listeners() {
    if (registry == null) {
      return List.of();
    }
    List<ListenerView> views = new ArrayList<>();
    for (String id : registry.ids()) {
      registry
          .endpoint(id)
          .ifPresent(
              e ->
                  views.add(
                      new ListenerView(
                          id,
                          e.group(),
                          e.topics(),
                          registry.isRunning(id),
                          registry.isPaused(id))));
    }
    return views;
  }

  /**
   * The whole view.
   *
   * @param topics every topic, sorted by name
   * @param listeners every registered listener
   */
  public record Overview(List<TopicView> topics, List<ListenerView> listeners) {}

  /**
   * One topic.
   *
   * @param name the topic
   * @param partitions its partition count
   * @param endOffsets each partition's end offset
   * @param retainedMessages messages currently retained, summed over partitions
   * @param groups the consumer groups that have consumed it
   * @param pendingDeadLetters for a dead-letter topic, the entries not yet redriven or purged;
   *     otherwise null
   */
  public record TopicView(
      String name,
      int partitions,
      List<Long> endOffsets,
      long retainedMessages,
      List<GroupView> groups,
      Long pendingDeadLetters) {}

  /**
   * One group on one topic.
   *
   * @param group the group
   * @param lag messages not yet done
   * @param inFlight messages leased, waiting for a retry, or done out of order
   * @param paused whether the group is paused on the topic (persistently, see {@link
   *     SluiceAdmin#pause})
   */
  public record GroupView(String group, long lag, int inFlight, boolean paused) {}

  /**
   * One listener.
   *
   * @param id its id
   * @param group its consumer group
   * @param topics its topics
   * @param running whether it runs
   * @param paused whether it is paused
   */
  public record ListenerView(
      String id, String group, List<String> topics, boolean running, boolean paused) {}

  /**
   * The result of a redrive.
   *
   * @param deadLetterTopic the dead-letter topic
   * @param redriven entries moved back to their original topics
   */
  public record Redriven(String deadLetterTopic, int redriven) {}

  /**
   * The result of a purge.
   *
   * @param deadLetterTopic the dead-letter topic
   * @param purged entries settled without being redriven
   */
  public record Purged(String deadLetterTopic, long purged) {}

  /**
   * The result of a group operation.
   *
   * @param group the group
   * @param topic the topic
   * @param paused whether the group is paused on the topic now
   * @param dryRun for a reset, whether it was only planned; otherwise null
   * @param changes for a reset, each partition's committed offset before and after; otherwise null
   */
  public record GroupChange(
      String group, String topic, boolean paused, Boolean dryRun, List<OffsetChange> changes) {}
}
