package dev.dobj.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.dobj.DurableObjectException;
import dev.dobj.DurableObjectStub;
import dev.dobj.runtime.Fixtures.Counter;
import dev.dobj.runtime.testing.Awaits;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.MockClock;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.simple.SimpleConfig;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The runtime's meters, read from a {@link SimpleMeterRegistry} given to the builder. */
class MetricsTest extends RuntimeTestBase {
  // Timers read this clock (the runtime's own clock is the test's manual clock).
  private final MockClock meterClock = new MockClock();
  private final MeterRegistry registry = new SimpleMeterRegistry(SimpleConfig.DEFAULT, meterClock);

  @BeforeEach
  void withRegistry() {
    rebuild(b -> b.meterRegistry(registry));
  }

  private double counter(String name, String... tags) {
    var c = registry.find(name).tags(tags).counter();
    return c == null ? 0 : c.count();
  }

  private double gauge(String name, String namespace) {
    return registry.get(name).tag("namespace", namespace).gauge().value();
  }

  private double resets(String cause) {
    return counter("dobj.resets", "namespace", "COUNTER", "cause", cause);
  }

  @Test
  void calls_areCountedPerNamespaceAndMethod_andTheActiveGaugeCountsObjectsInMemory() {
    Counter a = counters().getByName("a").call();
    a.increment();
    a.increment();
    a.add(5);
    counters().getByName("b").call().increment();
    assertThat(counter("dobj.calls", "namespace", "COUNTER", "method", "increment")).isEqualTo(3);
    assertThat(counter("dobj.calls", "namespace", "COUNTER", "method", "add")).isEqualTo(1);
    assertThat(gauge("dobj.objects.active", "COUNTER")).isEqualTo(2);
    assertThat(gauge("dobj.objects.active", "PLAIN")).isZero();
    assertThat(gauge("dobj.objects.hibernated", "COUNTER")).isZero();
    assertThat(gauge("dobj.websockets.open", "COUNTER")).isZero();
    assertThat(gauge("dobj.alarms.pending", "COUNTER")).isZero();
  }

  @Test
  void resets_areCountedByCause() {
    assertThatThrownBy(() -> counters().getByName("abort").call().abort("on purpose"))
        .isInstanceOf(DurableObjectException.class);
    assertThatThrownBy(() -> counters().getByName("critical").call().criticalFail())
        .isInstanceOf(DurableObjectException.class);
    probe.failConstructor = true;
    assertThatThrownBy(() -> counters().getByName("ctor").call().increment())
        .isInstanceOf(DurableObjectException.class);
    probe.failConstructor = false;

    assertThat(resets("abort")).isEqualTo(1);
    assertThat(resets("critical_section_error")).isEqualTo(1);
    assertThat(resets("constructor")).isEqualTo(1);
    assertThat(resets("critical_section_timeout")).isZero();
    assertThat(resets("runtime_close")).isZero();

    counters().getByName("live").call().increment();
    runtime.close();
    assertThat(resets("runtime_close")).isEqualTo(1);
  }

  @Test
  void aCriticalSectionOverTheLimit_countsAsATimeoutReset() {
    DurableObjectStub<Counter> stub = counters().getByName("a");
    probe.gate = new CountDownLatch(1);
    probe.entered = new CountDownLatch(1);
    CompletableFuture<String> slow = stub.callAsync(Counter::criticalSlow);
    Fixtures.await(probe.entered, "the critical section to start");
    clock.advance(Duration.ofSeconds(30));
    assertThat(slow).failsWithin(Duration.ofSeconds(5));
    probe.gate.countDown();
    assertThat(resets("critical_section_timeout")).isEqualTo(1);
  }

  /**
   * Calls {@code slow()}, which holds the object until {@code probe.gate} opens; returns once it
   * runs.
   */
  private CompletableFuture<Long> startSlow(DurableObjectStub<Counter> stub) {
    probe.gate = new CountDownLatch(1);
    probe.entered = new CountDownLatch(1);
    CompletableFuture<Long> running = stub.callAsync(Counter::slow);
    Fixtures.await(probe.entered, "slow() to start");
    return running;
  }

  @Test
  void overloads_areCountedByReason_andQueueDepthAndWaitAreMeasured() {
    rebuild(b -> b.meterRegistry(registry).maxQueuedEvents(2));
    DurableObjectStub<Counter> stub = counters().getByName("busy");
    // Constructed first: a call may or may not queue behind the constructor (for 0 ms).
    assertThat(stub.call().get()).isZero();
    Timer wait = registry.get("dobj.queue.wait").tag("namespace", "COUNTER").timer();
    CompletableFuture<Long> running = startSlow(stub);
    // Read once slow() runs: slow() itself may have queued (for 0 ms) behind the end of get().
    long waitedBefore = wait.count();
    CompletableFuture<Long> q1 = stub.callAsync(Counter::increment);
    CompletableFuture<Long> q2 = stub.callAsync(Counter::increment);
    CompletableFuture<Long> rejected = stub.callAsync(Counter::increment);
    assertThat(rejected).failsWithin(Duration.ofSeconds(1));
    assertThatThrownBy(() -> stub.call().increment()).isInstanceOf(DurableObjectException.class);
    assertThat(gauge("dobj.queue.depth", "COUNTER")).isEqualTo(2);
    assertThat(counter("dobj.overloaded", "namespace", "COUNTER", "reason", "queue_full"))
        .isEqualTo(2);

    clock.advance(Duration.ofMillis(250));
    meterClock.add(Duration.ofMillis(250));
    probe.gate.countDown();
    assertThat(running.join()).isEqualTo(1);
    assertThat(q2.join()).isEqualTo(3);
    assertThat(q1.join()).isEqualTo(2);
    // The two increments waited 250 ms each (the clocks moved while slow() ran).
    assertThat(wait.count()).isEqualTo(waitedBefore + 2);
    assertThat(wait.totalTime(TimeUnit.MILLISECONDS)).isEqualTo(500);
    assertThat(gauge("dobj.queue.depth", "COUNTER")).isZero();
    assertThat(counter("dobj.overloaded", "namespace", "COUNTER", "reason", "queued_too_long"))
        .isZero();
  }

  @Test
  void aQueueWaitUnderAMillisecond_isRecordedAsItWas() {
    DurableObjectStub<Counter> stub = counters().getByName("quick");
    assertThat(stub.call().get()).isZero();
    Timer wait = registry.get("dobj.queue.wait").tag("namespace", "COUNTER").timer();
    CompletableFuture<Long> running = startSlow(stub);
    long countBefore = wait.count();
    double nanosBefore = wait.totalTime(TimeUnit.NANOSECONDS);
    CompletableFuture<Long> queued = stub.callAsync(Counter::increment);
    Awaits.until(() -> gauge("dobj.queue.depth", "COUNTER") == 1, "the increment to queue");
    meterClock.add(Duration.ofNanos(300_000)); // 0.3 ms
    probe.gate.countDown();
    assertThat(running.join()).isEqualTo(1);
    assertThat(queued.join()).isEqualTo(2);
    assertThat(wait.count()).isEqualTo(countBefore + 1);
    assertThat(wait.totalTime(TimeUnit.NANOSECONDS) - nanosBefore).isEqualTo(300_000.0);
  }

  @Test
  void anEventQueuedTooLong_isCountedAsOverloaded() {
    rebuild(b -> b.meterRegistry(registry).maxQueueWait(Duration.ofSeconds(10)));
    DurableObjectStub<Counter> stub = counters().getByName("slow");
    CompletableFuture<Long> running = startSlow(stub);
    CompletableFuture<Long> stale = stub.callAsync(Counter::increment);
    clock.advance(Duration.ofSeconds(11));
    probe.gate.countDown();
    assertThat(running.join()).isEqualTo(1);
    assertThat(stale).failsWithin(Duration.ofSeconds(5));
    assertThat(counter("dobj.overloaded", "namespace", "COUNTER", "reason", "queued_too_long"))
        .isEqualTo(1);
  }

  @Test
  void close_removesTheGauges_andKeepsTheCounters() {
    counters().getByName("a").call().increment();
    runtime.close();
    assertThat(registry.find("dobj.objects.active").gauges()).isEmpty();
    assertThat(counter("dobj.calls", "namespace", "COUNTER", "method", "increment")).isEqualTo(1);
  }

  @Test
  void withoutARegistry_nothingIsRegistered() {
    MeterRegistry unused = new SimpleMeterRegistry();
    rebuild(b -> {});
    counters().getByName("a").call().increment();
    assertThat(unused.getMeters()).isEmpty();
    assertThat(registry.find("dobj.objects.active").gauges()).isEmpty();
  }
}
