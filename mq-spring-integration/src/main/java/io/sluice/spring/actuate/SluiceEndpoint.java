package io.sluice.spring.actuate;

import io.sluice.consumer.SluiceAdmin;
import io.sluice.consumer.admin.PartitionView;
import io.sluice.spring.listener.ListenerEndpointRegistry;
import java.util.ArrayList;
import java.util.List;
import org.springframework.boot.actuate.endpoint.annotation.Endpoint;
import org.springframework.boot.actuate.endpoint.annotation.ReadOperation;
import org.springframework.boot.actuate.endpoint.annotation.Selector;
import org.springframework.boot.actuate.endpoint.annotation.WriteOperation;

/**
 * The Actuator endpoint {@code sluice}: topics with their partitions and end offsets, each consumer
 * group's lag, dead-letter topics with their pending counts, and the listeners; a write operation
 * redrives a dead-letter topic. Expose it with {@code
 * management.endpoints.web.exposure.include=sluice}.
 *
 * <table>
 *   <caption>Operations (over HTTP)</caption>
 *   <tr><td>{@code GET /actuator/sluice}</td><td>everything, see {@link Overview}</td></tr>
 *   <tr><td>{@code GET /actuator/sluice/{topic}}</td><td>one topic</td></tr>
 *   <tr><td>{@code POST /actuator/sluice/{deadLetterTopic}}</td><td>redrive every pending entry
 *       of that dead-letter topic to its original topic; returns the count</td></tr>
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
  @WriteOperation
  public Redriven redrive(@Selector String deadLetterTopic) {
    admin.describeTopic(deadLetterTopic);
    return new Redriven(deadLetterTopic, admin.redrive(deadLetterTopic));
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
      groups.add(new GroupView(group, state.lag(), state.inFlight()));
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
   */
  public record GroupView(String group, long lag, int inFlight) {}

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
}
