package dev.dobj.examples.ratelimiter;

import static dev.dobj.test.DurableObjects.listDurableObjectIds;
import static dev.dobj.test.DurableObjects.runDurableObjectAlarm;
import static org.assertj.core.api.Assertions.assertThat;

import dev.dobj.DurableObjectId;
import dev.dobj.DurableObjectNamespace;
import dev.dobj.DurableObjectStub;
import dev.dobj.test.Bound;
import dev.dobj.test.DurableObjectTest;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The bucket through the test kit: its alarm fired on demand instead of by moving a clock. */
@DurableObjectTest(
    bindings = @DurableObjectTest.Binding(name = "RATE_LIMITER", type = RateLimiterObject.class),
    vars = {"capacity=5", "refill_per_second=1"})
class RateLimiterKitTest {
  private static final long T0 = 1_800_000_000_000L;

  @Bound("RATE_LIMITER")
  DurableObjectNamespace<RateLimiter> limiters;

  @Test
  void firingTheAlarm_addsTheNextToken_andFullBucketsStopAlarming() {
    DurableObjectStub<RateLimiter> alice = limiters.getByName("alice");
    assertThat(alice.call().take(2, T0).remaining()).isEqualTo(3);

    assertThat(runDurableObjectAlarm(alice)).isTrue();
    assertThat(alice.call().status().tokens()).isEqualTo(4);

    assertThat(runDurableObjectAlarm(alice)).isTrue();
    BucketStatus full = alice.call().status();
    assertThat(full.tokens()).isEqualTo(5);
    assertThat(full.nextRefillMillis()).isEmpty();
    assertThat(runDurableObjectAlarm(alice)).isFalse(); // a full bucket sets no alarm
  }

  @Test
  void onlyKeysThatTookTokens_haveStorage() {
    limiters.getByName("alice").call().take(1, T0);
    limiters.getByName("bob").call().status(); // reads only

    assertThat(listDurableObjectIds(limiters))
        .extracting(DurableObjectId::name)
        .containsExactly(Optional.of("alice"));
  }
}
