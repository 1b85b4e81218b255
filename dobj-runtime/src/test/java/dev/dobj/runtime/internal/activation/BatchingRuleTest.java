package dev.dobj.runtime.internal.activation;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/**
 * The rule that decides whether a batch stays open for the events queued behind it ({@link
 * Activation#keepOpen}): group commit while a sync is in flight or durability comes with the
 * commit, and an early commit that pipelines turns with fsyncs when the disk is idle.
 */
class BatchingRuleTest {
  @Test
  void whileAnEarlierSyncIsInFlight_theBatchStaysOpen_howeverLong() {
    assertThat(Activation.keepOpen(true, true, 40, 1)).isTrue();
    assertThat(Activation.keepOpen(true, false, 40, 1)).isTrue();
  }

  @Test
  void whenBatchesAreDurableAtCommit_theBatchStaysOpen_forEveryQueuedEvent() {
    assertThat(Activation.keepOpen(false, false, 40, 1)).isTrue();
  }

  @Test
  void withTheDiskIdle_aBatchCommitsOnceItHoldsAsManyTurnsAsStillWait() {
    // ten calls queued behind an idle disk: 1..4 stay open, the fifth (5 in, 5 waiting) commits
    for (int turns = 1; turns <= 4; turns++) {
      assertThat(Activation.keepOpen(false, true, turns, 10 - turns)).as("turn %d", turns).isTrue();
    }
    assertThat(Activation.keepOpen(false, true, 5, 5)).isFalse();
    assertThat(Activation.keepOpen(false, true, 6, 2)).isFalse();
  }
}
