package io.sluice.spi.tck;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sluice.api.Message;
import io.sluice.api.error.InvalidConfigException;
import io.sluice.api.error.InvalidNameException;
import io.sluice.spi.AppendWatch;
import io.sluice.spi.DeadLetterRequest;
import io.sluice.spi.Lease;
import io.sluice.spi.ReleaseRequest;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * Append notifications: a store that offers them ({@code watchAppends} not returning {@link
 * AppendWatch#NONE}) has run the topic's watchers by the time an append, an immediate release or a
 * dead letter made through it returns; one that does not never calls them.
 */
abstract class NotificationsCases extends ContractCase {
  NotificationsCases(StorageContract contract) {
    super(contract);
  }

  /** A watcher and its count of calls. */
  private record Watcher(AppendWatch watch, AtomicInteger calls) {
    boolean notifies() {
      return watch != AppendWatch.NONE;
    }

    /** What the count must be after {@code n} notifying operations. */
    int expected(int n) {
      return notifies() ? n : 0;
    }
  }

  private Watcher watch(String topic) {
    AtomicInteger calls = new AtomicInteger();
    return new Watcher(store().watchAppends(topic, calls::incrementAndGet), calls);
  }

  @Test
  void anAppendNotifiesTheWatchersOfItsTopicOnly() {
    String t = topic(2);
    String other = topic(1);
    Watcher w1 = watch(t);
    Watcher w2 = watch(t);
    Watcher elsewhere = watch(other);
    send(t, msg("a"), msg("b"));
    assertThat(w1.calls()).hasValue(w1.expected(1));
    assertThat(w2.calls()).hasValue(w2.expected(1));
    assertThat(elsewhere.calls()).hasValue(0);
    fill(t, 1, 3);
    assertThat(w1.calls().get()).isGreaterThanOrEqualTo(w1.expected(2));
  }

  @Test
  void aClosedWatchHearsNothingMore() {
    String t = topic(1);
    Watcher w = watch(t);
    Watcher stays = watch(t);
    send(t, msg("a"));
    w.watch().close();
    w.watch().close();
    send(t, msg("b"));
    assertThat(w.calls()).hasValue(w.expected(1));
    assertThat(stays.calls()).hasValue(stays.expected(2));
  }

  @Test
  void aTopicMayBeWatchedBeforeItExists() {
    String t = name("later");
    Watcher w = watch(t);
    store().createTopic(t, io.sluice.api.TopicConfig.defaults());
    send(t, msg("a"));
    assertThat(w.calls()).hasValue(w.expected(1));
  }

  @Test
  void anImmediateReleaseNotifies() {
    String t = topic(1);
    fill(t, 0, 1);
    String g = name("g");
    Lease l = claim(g, t, 1).get(0);
    Watcher w = watch(t);
    store().release(new ReleaseRequest(g, l.id(), Duration.ZERO, false));
    assertThat(w.calls()).hasValue(w.expected(1));
  }

  @Test
  void aDeadLetterNotifiesTheDeadLetterTopic() {
    String t = topic(1);
    fill(t, 0, 1);
    String g = name("g");
    Lease l = claim(g, t, 1).get(0);
    String dlq = t + ".dlq";
    Watcher w = watch(dlq);
    store().deadLetter(new DeadLetterRequest(g, l.id(), dlq, l.message().message()));
    assertThat(w.calls()).hasValue(w.expected(1));
  }

  @Test
  void aFailingWatcherFailsNeitherTheAppendNorTheOtherWatchers() {
    String t = topic(1);
    store()
        .watchAppends(
            t,
            () -> {
              throw new IllegalStateException("watcher bug");
            });
    Watcher w = watch(t);
    assertThat(send(t, Message.of("a"))).hasSize(1);
    assertThat(w.calls()).hasValue(w.expected(1));
    assertThat(readAll(t, 0)).hasSize(1);
  }

  @Test
  void badArgumentsAreRejected() {
    assertThatThrownBy(() -> store().watchAppends("bad name!", () -> {}))
        .isInstanceOf(InvalidNameException.class);
    assertThatThrownBy(() -> store().watchAppends(topic(1), null))
        .isInstanceOf(InvalidConfigException.class);
  }
}
