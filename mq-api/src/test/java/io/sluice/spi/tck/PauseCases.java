package io.sluice.spi.tck;

import static org.assertj.core.api.Assertions.assertThat;

import io.sluice.spi.Lease;
import io.sluice.spi.PauseRequest;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Pause and resume: persistent, obeyed by claims, per group or per group and topic. */
abstract class PauseCases extends ContractCase {
  PauseCases(StorageContract contract) {
    super(contract);
  }

  @Test
  void aPausedGroupClaimsNothingUntilResumed() {
    String t = topic(1);
    fill(t, 0, 3);
    String g = name("g");
    store().pause(new PauseRequest(g, null, true));
    assertThat(store().isPaused(g, t)).isTrue();
    assertThat(store().isPaused(g, null)).isTrue();
    assertThat(claim(g, t, 10)).isEmpty();
    store().pause(new PauseRequest(g, null, false));
    assertThat(store().isPaused(g, t)).isFalse();
    assertThat(claim(g, t, 10)).hasSize(3);
  }

  @Test
  void pausingOneTopicLeavesTheGroupsOtherTopicsAndOtherGroupsFlowing() {
    String t1 = topic(1);
    String t2 = topic(1);
    fill(t1, 0, 1);
    fill(t2, 0, 1);
    String g = name("g");
    String other = name("g");
    store().pause(new PauseRequest(g, t1, true));
    assertThat(store().isPaused(g, t1)).isTrue();
    assertThat(store().isPaused(g, t2)).isFalse();
    assertThat(store().isPaused(g, null)).as("no group-wide pause").isFalse();
    assertThat(claim(g, t1, 10)).isEmpty();
    assertThat(claim(g, t2, 10)).hasSize(1);
    assertThat(claim(other, t1, 10)).hasSize(1);
    store().pause(new PauseRequest(g, t1, false));
    assertThat(claim(g, t1, 10)).hasSize(1);
  }

  @Test
  void resumingTheWholeGroupClearsItsTopicPausesAndResumingATopicKeepsAGroupPause() {
    String t = topic(1);
    fill(t, 0, 1);
    String g = name("g");
    store().pause(new PauseRequest(g, t, true));
    store().pause(new PauseRequest(g, null, true));
    store().pause(new PauseRequest(g, t, false));
    assertThat(store().isPaused(g, t)).as("the group-wide pause still holds").isTrue();
    assertThat(claim(g, t, 10)).isEmpty();
    store().pause(new PauseRequest(g, t, true));
    store().pause(new PauseRequest(g, null, false));
    assertThat(store().isPaused(g, t)).isFalse();
    assertThat(claim(g, t, 10)).hasSize(1);
  }

  @Test
  void pauseIsIdempotentAndLeasesAlreadyGrantedStayValid() {
    String t = topic(1);
    fill(t, 0, 2);
    String g = name("g");
    List<Lease> l = claim(g, t, 1);
    store().pause(new PauseRequest(g, t, true));
    store().pause(new PauseRequest(g, t, true));
    ackOk(g, l.get(0));
    assertThat(committed(g, t, 0)).isEqualTo(1);
    assertThat(claim(g, t, 10)).isEmpty();
  }

  @Test
  void aPauseSurvivesReopenOnAPersistentStore() {
    if (!store().capabilities().persistent()) {
      return; // PersistenceCases asserts what a store that is not persistent does
    }
    String t = topic(1);
    fill(t, 0, 1);
    String g = name("g");
    String h = name("g");
    store().pause(new PauseRequest(g, t, true));
    store().pause(new PauseRequest(h, null, true));
    contract().reopenCurrent();
    assertThat(store().isPaused(g, t)).isTrue();
    assertThat(store().isPaused(h, t)).isTrue();
    assertThat(claim(g, t, 10)).isEmpty();
    store().pause(new PauseRequest(g, t, false));
    assertThat(claim(g, t, 10)).hasSize(1);
  }

  @Test
  void aGroupThatWasNeverPausedIsNotPaused() {
    assertThat(store().isPaused(name("g"), name("t"))).isFalse();
  }

  @Test
  void aClaimWhilePausedDoesNotStartTheGroup() {
    String t = topic(1);
    String g = name("g");
    io.sluice.spi.ClaimRequest latest =
        io.sluice.spi.ClaimRequest.of(g, t, 10, LEASE)
            .withStartPosition(io.sluice.api.Position.LATEST);
    store().pause(new PauseRequest(g, null, true));
    assertThat(claim(latest)).isEmpty();
    sendTo(t, 0, msg("sent-while-paused"));
    store().pause(new PauseRequest(g, null, false));
    assertThat(claim(latest))
        .as("LATEST is resolved at the first claim after the resume")
        .isEmpty();
    sendTo(t, 0, msg("after"));
    assertThat(payloads(claim(latest))).containsExactly("after");
  }
}
