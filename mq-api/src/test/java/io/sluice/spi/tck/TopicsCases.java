package io.sluice.spi.tck;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;

import io.sluice.api.Partitioner;
import io.sluice.api.TopicConfig;
import io.sluice.api.error.InvalidConfigException;
import io.sluice.api.error.TopicExistsException;
import io.sluice.api.error.TopicNotFoundException;
import io.sluice.spi.PartitionInfo;
import io.sluice.spi.TopicInfo;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

/** Topics: create (idempotent), grow, describe, list. */
abstract class TopicsCases extends ContractCase {
  TopicsCases(StorageContract contract) {
    super(contract);
  }

  @Test
  void createTopicReturnsItsConfigAndEmptyPartitions() {
    String t = name("t");
    TopicConfig config = TopicConfig.partitions(3).withDedupeWindow(Duration.ofMinutes(5));
    TopicInfo info = store().createTopic(t, config);
    assertThat(info.name()).isEqualTo(t);
    assertThat(info.config()).isEqualTo(config);
    assertThat(info.partitions())
        .extracting(
            PartitionInfo::partition, PartitionInfo::logStartOffset, PartitionInfo::endOffset)
        .containsExactly(tuple(0, 0L, 0L), tuple(1, 0L, 0L), tuple(2, 0L, 0L));
    assertThat(store().describeTopic(t)).isEqualTo(info);
  }

  @Test
  void createTopicIsIdempotentForAnEqualConfig() {
    String t = topic(2);
    sendTo(t, 1, msg("kept"));
    TopicInfo again = store().createTopic(t, TopicConfig.partitions(2));
    assertThat(again.partitions()).extracting(PartitionInfo::endOffset).containsExactly(0L, 1L);
  }

  @Test
  void createTopicWithAnotherConfigThrowsTopicExistsAndChangesNothing() {
    String t = topic(2);
    assertThatThrownBy(() -> store().createTopic(t, TopicConfig.partitions(3)))
        .isInstanceOf(TopicExistsException.class)
        .satisfies(e -> assertThat(((TopicExistsException) e).topic()).isEqualTo(t));
    assertThat(store().describeTopic(t).config()).isEqualTo(TopicConfig.partitions(2));
  }

  @Test
  void concurrentCreationsOfOneTopicAllSucceedAndCreateItOnce() throws Exception {
    String t = name("t");
    TopicConfig config = TopicConfig.partitions(2);
    List<Callable<TopicInfo>> calls = new ArrayList<>();
    for (int i = 0; i < 4; i++) {
      calls.add(() -> store().createTopic(t, config));
    }
    ExecutorService pool = Executors.newFixedThreadPool(4);
    try {
      for (Future<TopicInfo> f : pool.invokeAll(calls)) {
        assertThat(f.get().config()).isEqualTo(config);
      }
    } finally {
      pool.shutdownNow();
    }
    assertThat(store().listTopics()).filteredOn(i -> i.name().equals(t)).hasSize(1);
  }

  @Test
  void describeUnknownTopicThrowsTopicNotFound() {
    String t = name("missing");
    assertThatThrownBy(() -> store().describeTopic(t))
        .isInstanceOf(TopicNotFoundException.class)
        .satisfies(e -> assertThat(((TopicNotFoundException) e).topic()).isEqualTo(t));
  }

  @Test
  void listTopicsIsSortedByNameAndHoldsEveryCreatedTopic() {
    String b = name("b");
    String a = name("a");
    store().createTopic(b, TopicConfig.defaults());
    store().createTopic(a, TopicConfig.partitions(2));
    List<TopicInfo> all = store().listTopics();
    assertThat(all).extracting(TopicInfo::name).contains(a, b);
    assertThat(all).isSortedAccordingTo(Comparator.comparing(TopicInfo::name));
    assertThat(all)
        .filteredOn(i -> i.name().equals(a))
        .singleElement()
        .satisfies(i -> assertThat(i.partitions()).hasSize(2));
  }

  @Test
  void growPartitionsAddsEmptyPartitionsAndKeysFollowTheNewCount() {
    String t = topic(2);
    sendTo(t, 0, msg("a"));
    TopicInfo grown = store().growPartitions(t, 5);
    assertThat(grown.config().partitions()).isEqualTo(5);
    assertThat(grown.partitions())
        .extracting(PartitionInfo::endOffset)
        .containsExactly(1L, 0L, 0L, 0L, 0L);
    String key = "customer-42";
    assertThat(send(t, keyed(key, "x")).get(0).partition())
        .isEqualTo(Partitioner.partition(key, 5));
    assertThat(store().growPartitions(t, 5).partitions()).hasSize(5);
  }

  @Test
  void growPartitionsNeverShrinksAndRespectsTheMaximum() {
    String t = topic(3);
    assertThatThrownBy(() -> store().growPartitions(t, 2))
        .isInstanceOf(InvalidConfigException.class);
    assertThatThrownBy(() -> store().growPartitions(t, 4097))
        .isInstanceOf(InvalidConfigException.class);
    assertThatThrownBy(() -> store().growPartitions(t, 0))
        .isInstanceOf(InvalidConfigException.class);
    assertThat(store().describeTopic(t).partitions()).hasSize(3);
  }

  @Test
  void growUnknownTopicThrowsTopicNotFound() {
    assertThatThrownBy(() -> store().growPartitions(name("missing"), 2))
        .isInstanceOf(TopicNotFoundException.class);
  }
}
