package io.sluice.consumer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.sluice.Sluice;
import io.sluice.api.TopicConfig;
import io.sluice.spi.Capabilities;
import io.sluice.spi.Storage;
import io.sluice.spi.tck.InMemoryStorage;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * The idle poll interval a member gets by default follows the store: 1 s where notifications cross
 * processes (new messages wake members at once wherever they were sent), 50 ms elsewhere; a set
 * interval always wins.
 */
class IdlePollTest {
  private final AtomicInteger claims = new AtomicInteger();

  /** An in-memory store that claims to notify across processes, counting claim statements. */
  private Storage store(boolean crossProcess) {
    Storage delegate = new InMemoryStorage(java.time.InstantSource.system());
    return (Storage)
        Proxy.newProxyInstance(
            Storage.class.getClassLoader(),
            new Class<?>[] {Storage.class},
            (proxy, method, args) -> {
              if (method.getName().equals("capabilities")) {
                Capabilities c = delegate.capabilities();
                return new Capabilities(
                    c.name(),
                    c.persistent(),
                    c.atomicMultiPartitionAppend(),
                    c.atomicDeadLetter(),
                    c.transactions(),
                    crossProcess);
              }
              if (method.getName().equals("claim")) {
                claims.incrementAndGet();
              }
              try {
                return method.invoke(delegate, args);
              } catch (InvocationTargetException e) {
                throw e.getCause();
              }
            });
  }

  @Test
  void theDefaultFollowsTheStoresNotificationsAndASetIntervalWins() {
    Storage notifying = store(true);
    Storage local = store(false);
    assertThat(ConsumerGroup.builder("g", notifying).subscribe("t").toConfig().pollInterval())
        .isEqualTo(Duration.ofSeconds(1));
    assertThat(ConsumerGroup.builder("g", local).subscribe("t").toConfig().pollInterval())
        .isEqualTo(Duration.ofMillis(50));
    assertThat(
            ConsumerGroup.builder("g", notifying)
                .subscribe("t")
                .pollInterval(Duration.ofMillis(50))
                .toConfig()
                .pollInterval())
        .isEqualTo(Duration.ofMillis(50));
    assertThat(GroupConfig.defaults("g", java.util.List.of("t")).pollInterval())
        .isEqualTo(Duration.ofMillis(50));
  }

  @Test
  void anIdleMemberOnANotifyingStoreClaimsAtLeastTenTimesLessOften() {
    int notified = idleClaims(store(true));
    int polled = idleClaims(store(false));
    assertThat(notified).isBetween(3, 6); // one a second
    assertThat(polled).isGreaterThanOrEqualTo(10 * notified); // 20 a second when not loaded
  }

  /** Claim statements of one idle member over 5 s, after its first. */
  private int idleClaims(Storage storage) {
    claims.set(0);
    try (Sluice sluice = Sluice.builder().storage(storage).build()) {
      sluice.admin().createTopic("t", TopicConfig.partitions(1));
      try (ConsumerGroup g = sluice.consumer("g").subscribe("t").handler(d -> {}).start()) {
        await().until(() -> claims.get() >= 1);
        claims.set(0);
        await().during(Duration.ofSeconds(5)).atMost(Duration.ofSeconds(10)).until(() -> true);
      }
      return claims.get();
    }
  }
}
