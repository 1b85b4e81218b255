package dev.dobj.examples.counter;

import static dev.dobj.test.DurableObjects.listDurableObjectIds;
import static dev.dobj.test.DurableObjects.runInDurableObject;
import static org.assertj.core.api.Assertions.assertThat;

import dev.dobj.DurableObjectId;
import dev.dobj.DurableObjectNamespace;
import dev.dobj.DurableObjectState;
import dev.dobj.DurableObjectStub;
import dev.dobj.runtime.DurableObjectRuntime;
import dev.dobj.runtime.time.ManualClock;
import dev.dobj.test.Bound;
import dev.dobj.test.DurableObjectTest;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** The counter objects through the test kit: a fresh runtime and data directory per test. */
@DurableObjectTest(
    bindings = {
      @DurableObjectTest.Binding(name = "COUNTER", type = CounterObject.class),
      @DurableObjectTest.Binding(name = "SQL_COUNTER", type = SqlCounterObject.class)
    })
class CounterObjectTest {
  @Bound("COUNTER")
  DurableObjectNamespace<Counter> counters;

  @Bound("SQL_COUNTER")
  DurableObjectNamespace<Counter> sqlCounters;

  @Test
  void increment_storesTheNewValue_underTheKeyValueKey() {
    DurableObjectStub<Counter> a = counters.getByName("a");
    a.call().increment();
    a.call().increment();

    long stored =
        runInDurableObject(
            a,
            (CounterObject counter, DurableObjectState ctx) ->
                ctx.storage().get(CounterObject.KEY, Long.class).orElseThrow());

    assertThat(stored).isEqualTo(2);
  }

  @Test
  void aValueWrittenInside_isWhatTheNextCallSees() {
    DurableObjectStub<Counter> a = counters.getByName("a");
    runInDurableObject(
        a,
        (CounterObject counter, DurableObjectState ctx) -> {
          ctx.storage().put(CounterObject.KEY, 41L);
          return null;
        });

    assertThat(a.call().increment()).isEqualTo(new CounterValue("a", 42));
  }

  @Test
  void noop_touchesNoStorage_soTheObjectIsNotListed() {
    counters.getByName("a").call().noop();
    counters.getByName("b").call().increment();

    assertThat(listDurableObjectIds(counters))
        .extracting(DurableObjectId::name)
        .containsExactly(java.util.Optional.of("b"));
  }

  @Test
  void sqlCounter_keepsItsValue_acrossEviction(DurableObjectRuntime runtime, ManualClock clock) {
    sqlCounters.getByName("a").call().increment();

    awaitIdle(runtime, "SQL_COUNTER");

    clock.advance(Duration.ofSeconds(71)); // past the idle timeout: the sweep evicts it
    runtime.evictIdleObjects();
    assertThat(runtime.liveObjects("SQL_COUNTER")).isZero();

    assertThat(sqlCounters.getByName("a").call().increment().value()).isEqualTo(2);
  }

  /**
   * Waits until no object is busy (a turn's commit and gate release end after its caller returns).
   */
  private static void awaitIdle(DurableObjectRuntime runtime, String binding) {
    long deadline = System.nanoTime() + 10_000_000_000L;
    while (runtime.busyObjects(binding) > 0) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError(binding + " objects still busy after 10 s");
      }
      Thread.onSpinWait();
    }
  }
}
