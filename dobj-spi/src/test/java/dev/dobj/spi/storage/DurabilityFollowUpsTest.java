package dev.dobj.spi.storage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class DurabilityFollowUpsTest {
  private final List<String> ran = new ArrayList<>();

  private DurabilityFollowUps.FollowUp followUp(String name) {
    return new DurabilityFollowUps.FollowUp() {
      @Override
      public void runHere() {
        ran.add(name + " here");
      }

      @Override
      public void runElsewhere() {
        ran.add(name + " elsewhere");
      }
    };
  }

  @Test
  void outsideComplete_anOfferIsRefused_andNothingRuns() {
    assertThat(DurabilityFollowUps.offer(followUp("a"))).isFalse();
    assertThat(ran).isEmpty();
  }

  @Test
  void followUpsRunAfterEveryCompletion_theFirstHere_theRestElsewhere_inTheOrderOffered() {
    DurabilityFollowUps.complete(
        () -> {
          ran.add("completion 1");
          assertThat(DurabilityFollowUps.offer(followUp("a"))).isTrue();
          ran.add("completion 2");
          assertThat(DurabilityFollowUps.offer(followUp("b"))).isTrue();
          assertThat(DurabilityFollowUps.offer(followUp("c"))).isTrue();
        },
        1);
    assertThat(ran)
        .containsExactly("completion 1", "completion 2", "a here", "b elsewhere", "c elsewhere");
    assertThat(DurabilityFollowUps.offer(followUp("d"))).as("collecting ended").isFalse();
  }

  @Test
  void aFollowUpRunHere_offersNothingMoreToThisRound() {
    DurabilityFollowUps.complete(
        () ->
            DurabilityFollowUps.offer(
                new DurabilityFollowUps.FollowUp() {
                  @Override
                  public void runHere() {
                    // e.g. a commit whose own durability callback offers again: not collected
                    ran.add("offered again: " + DurabilityFollowUps.offer(followUp("x")));
                  }

                  @Override
                  public void runElsewhere() {
                    ran.add("wrong");
                  }
                }),
        1);
    assertThat(ran).containsExactly("offered again: false");
  }

  @Test
  void aThrowingFollowUp_doesNotKeepTheOthersFromRunning_andItsFailureComesBack() {
    RuntimeException boom = new IllegalStateException("boom");
    assertThatThrownBy(
            () ->
                DurabilityFollowUps.complete(
                    () -> {
                      DurabilityFollowUps.offer(
                          new DurabilityFollowUps.FollowUp() {
                            @Override
                            public void runHere() {
                              throw boom;
                            }

                            @Override
                            public void runElsewhere() {}
                          });
                      DurabilityFollowUps.offer(followUp("b"));
                    },
                    1))
        .isSameAs(boom);
    assertThat(ran).containsExactly("b elsewhere");
  }

  @Test
  void aThrowingCompletion_stillEndsCollecting() {
    assertThatThrownBy(
            () ->
                DurabilityFollowUps.complete(
                    () -> {
                      throw new IllegalStateException("completion failed");
                    },
                    1))
        .hasMessage("completion failed");
    assertThat(DurabilityFollowUps.offer(followUp("a"))).isFalse();
  }

  @Test
  void nestedComplete_collectsItsOwnFollowUps_andRestoresTheOuterOnes() {
    DurabilityFollowUps.complete(
        () -> {
          DurabilityFollowUps.offer(followUp("outer"));
          DurabilityFollowUps.complete(() -> DurabilityFollowUps.offer(followUp("inner")), 0);
          DurabilityFollowUps.offer(followUp("outer 2"));
        },
        1);
    assertThat(ran).containsExactly("inner elsewhere", "outer here", "outer 2 elsewhere");
  }

  @Test
  void aNegativeCount_isRefused() {
    assertThatThrownBy(() -> DurabilityFollowUps.complete(() -> {}, -1))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("-1");
  }
}
