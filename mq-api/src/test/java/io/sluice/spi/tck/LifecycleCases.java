package io.sluice.spi.tck;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sluice.api.Position;
import io.sluice.api.TopicConfig;
import io.sluice.api.error.StorageClosedException;
import io.sluice.spi.Ack;
import io.sluice.spi.ClaimRequest;
import io.sluice.spi.DeadLetterRequest;
import io.sluice.spi.DeliveryId;
import io.sluice.spi.Lease;
import io.sluice.spi.PauseRequest;
import io.sluice.spi.ReleaseRequest;
import io.sluice.spi.StartRequest;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.Test;

/** Health, capabilities, close. */
abstract class LifecycleCases extends ContractCase {
  LifecycleCases(StorageContract contract) {
    super(contract);
  }

  @Test
  void capabilitiesNameTheBackend() {
    assertThat(store().capabilities().name()).isNotBlank();
  }

  @Test
  void closeIsIdempotentAndHealthReportsItWithoutThrowing() {
    assertThat(store().health().healthy()).isTrue();
    assertThat(store().health().detail()).isNotBlank();
    store().close();
    store().close();
    assertThat(store().health().healthy()).isFalse();
  }

  @Test
  void everyOperationThrowsStorageClosedAfterClose() {
    String t = topic(1);
    fill(t, 0, 1);
    String g = name("g");
    Lease l = claim(g, t, 1).get(0);
    DeliveryId id = l.id();
    store().close();
    Map<String, ThrowingCallable> calls = new LinkedHashMap<>();
    calls.put("createTopic", () -> store().createTopic(name("t"), TopicConfig.defaults()));
    calls.put("growPartitions", () -> store().growPartitions(t, 2));
    calls.put("describeTopic", () -> store().describeTopic(t));
    calls.put("listTopics", () -> store().listTopics());
    calls.put("append", () -> send(t, msg("x")));
    calls.put("read", () -> store().read(t, 0, 0, 1));
    calls.put("claim", () -> claim(ClaimRequest.of(g, t, 1, LEASE)));
    calls.put("ack", () -> store().ack(g, List.of(Ack.of(id))));
    calls.put("release", () -> store().release(new ReleaseRequest(g, id, Duration.ZERO, true)));
    calls.put("extendLeases", () -> store().extendLeases(g, List.of(id), LEASE));
    calls.put(
        "deadLetter",
        () -> store().deadLetter(new DeadLetterRequest(g, id, name("d"), l.message().message())));
    calls.put("inTransaction", () -> store().inTransaction(g, Ack.of(id), tx -> 1));
    calls.put("seek", () -> store().seek(g, t, 0, Position.EARLIEST));
    calls.put("groupState", () -> store().groupState(g, t));
    calls.put("listGroups", () -> store().listGroups(t));
    calls.put("isProcessed", () -> store().isProcessed(g, t, "k"));
    calls.put("enforceRetention", () -> store().enforceRetention());
    calls.put("markStarted", () -> store().markStarted(new StartRequest(g, List.of(id))));
    calls.put("offsetFor", () -> store().offsetFor(t, 0, Position.EARLIEST));
    calls.put("pause", () -> store().pause(new PauseRequest(g, t, true)));
    calls.put("isPaused", () -> store().isPaused(g, t));
    calls.put("watchAppends", () -> store().watchAppends(t, () -> {}));
    calls.forEach(
        (what, call) ->
            assertThatThrownBy(call).as(what).isInstanceOf(StorageClosedException.class));
  }
}
