package dev.dobj.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import dev.dobj.DurableObjectStub;
import dev.dobj.runtime.Fixtures.Counter;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.Test;

class EvictionTest extends RuntimeTestBase {

  @Test
  void idleObject_isEvictedAfterTheIdleTimeout_andConstructedAgainOnTheNextCall() {
    DurableObjectStub<Counter> stub = counters().getByName("a");
    stub.call().increment();
    awaitIdle("COUNTER");
    clock.advance(Duration.ofSeconds(60));
    assertThat(runtime.liveObjects("COUNTER")).isEqualTo(1);

    clock.advance(Duration.ofSeconds(20));
    assertThat(runtime.liveObjects("COUNTER")).isZero();

    // The same stub keeps working: eviction is invisible to it (the field state is gone).
    assertThat(stub.call().increment()).isEqualTo(1);
    assertThat(probe.constructed).hasValue(2);
  }

  @Test
  void activity_keepsAnObjectInMemory() {
    DurableObjectStub<Counter> stub = counters().getByName("a");
    for (int i = 0; i < 5; i++) {
      stub.call().increment();
      awaitIdle("COUNTER");
      clock.advance(Duration.ofSeconds(50));
    }
    assertThat(runtime.liveObjects("COUNTER")).isEqualTo(1);
    assertThat(stub.call().get()).isEqualTo(5);
  }

  @Test
  void busyObject_isNotEvicted() {
    DurableObjectStub<Counter> stub = counters().getByName("a");
    probe.gate = new CountDownLatch(1);
    probe.entered = new CountDownLatch(1);
    CompletableFuture<Long> slow = stub.callAsync(Counter::slow);
    Fixtures.await(probe.entered, "slow() to start");
    clock.advance(Duration.ofMinutes(5));
    assertThat(runtime.liveObjects("COUNTER")).isEqualTo(1);
    probe.gate.countDown();
    assertThat(slow.join()).isEqualTo(1);
  }

  @Test
  void idleTimeout_isConfigurable() {
    rebuild(b -> b.idleTimeout(Duration.ofSeconds(5)));
    counters().getByName("a").call().increment();
    awaitIdle("COUNTER");
    clock.advance(Duration.ofSeconds(6));
    assertThat(runtime.liveObjects("COUNTER")).isZero();
  }
}
