package dev.dobj.runtime.storage;

import static org.assertj.core.api.Assertions.assertThat;

import dev.dobj.DurableObjectStub;
import dev.dobj.runtime.storage.StoreFixtures.Store;
import dev.dobj.runtime.testing.Awaits;
import io.micrometer.core.instrument.MockClock;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.simple.SimpleConfig;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The storage and alarm meters: commits (turns per batch, latency to durability), the output gate's
 * hold time, resets after a failed commit, alarm runs, retries and drops. Durations come from a
 * Micrometer {@link MockClock} the test moves while the engine's durability is held.
 */
class StorageMetricsTest extends StorageTestBase {
  private final MockClock meterClock = new MockClock();
  private final SimpleMeterRegistry registry =
      new SimpleMeterRegistry(SimpleConfig.DEFAULT, meterClock);
  private HeldDurability held;

  @BeforeEach
  void withRegistry() {
    runtime.close();
    tweak = b -> b.meterRegistry(registry);
    runtime = build();
  }

  private void holdDurability() {
    runtime.close();
    wrapEngine =
        e -> {
          held = new HeldDurability(e);
          return held;
        };
    runtime = build();
  }

  private double counter(String name, String... tags) {
    var c = registry.find(name).tag("namespace", "STORE").tags(tags).counter();
    return c == null ? 0 : c.count();
  }

  private Timer timer(String name) {
    return registry.get(name).tag("namespace", "STORE").timer();
  }

  @Test
  void aCommit_isMeasuredFromCommitToDurability_andTheResultsHoldTime() {
    holdDurability();
    DurableObjectStub<Store> stub = stores().getByName("a");
    CompletableFuture<Long> result = stub.callAsync(s -> s.increment("n"));
    Awaits.until(() -> held.held.size() == 1, "the batch to wait for durability");
    meterClock.add(Duration.ofMillis(7));
    held.releaseAll();
    assertThat(result.join()).isEqualTo(1);

    var turns = registry.get("dobj.storage.commit.turns").tag("namespace", "STORE").summary();
    assertThat(turns.count()).isEqualTo(1);
    assertThat(turns.totalAmount()).isEqualTo(1);
    Timer latency = timer("dobj.storage.commit.latency");
    Awaits.until(() -> latency.count() == 1, "the commit's latency to be recorded");
    assertThat(latency.totalTime(TimeUnit.MILLISECONDS)).isEqualTo(7);
    Timer hold = timer("dobj.output.gate.hold");
    assertThat(hold.count()).isEqualTo(1);
    assertThat(hold.totalTime(TimeUnit.MILLISECONDS)).isEqualTo(7);
  }

  @Test
  void aFailedCommit_countsAsACommitFailureReset() {
    holdDurability();
    DurableObjectStub<Store> stub = stores().getByName("a");
    CompletableFuture<Long> result = stub.callAsync(s -> s.increment("n"));
    Awaits.until(() -> held.held.size() == 1, "the batch to wait for durability");
    held.failAll(new UncheckedIOException(new java.io.IOException("disk on fire")));
    assertThat(result).failsWithin(Duration.ofSeconds(5));
    assertThat(counter("dobj.resets", "cause", "commit_failure")).isEqualTo(1);
    assertThat(timer("dobj.storage.commit.latency").count()).isZero();
  }

  @Test
  void anAlarmThatSucceeds_isCountedAsARun_andThePendingGaugeFollowsIt() {
    Store s = store("a");
    s.setAlarm(clock.millis() + 1_000);
    assertThat(registry.get("dobj.alarms.pending").tag("namespace", "STORE").gauge().value())
        .isEqualTo(1);
    clock.advance(Duration.ofSeconds(1));
    Awaits.until(
        () -> counter("dobj.alarms.runs", "outcome", "success") == 1, "the alarm to have run");
    Awaits.until(
        () -> runtime.pendingAlarms("STORE") == 0, "the alarm to leave the scheduler's queue");
    assertThat(registry.get("dobj.alarms.pending").tag("namespace", "STORE").gauge().value())
        .isZero();
    assertThat(counter("dobj.alarms.runs", "outcome", "failure")).isZero();
    assertThat(counter("dobj.alarms.retries")).isZero();
  }

  @Test
  void aFailingAlarm_countsSevenFailedRuns_sixRetries_andOneDrop() {
    runtime.close();
    tweak =
        b ->
            b.meterRegistry(registry)
                .jitter(
                    new java.util.random.RandomGenerator() {
                      @Override
                      public long nextLong() {
                        return 0;
                      }
                    });
    runtime = build();
    Store s = store("a");
    s.put("alarm-mode", "fail");
    s.setAlarm(clock.millis() + 1_000);
    clock.advance(Duration.ofSeconds(1));
    long[] backoff = {2, 4, 8, 16, 32, 64};
    for (int retry = 1; retry <= 6; retry++) {
      int failed = retry;
      Awaits.until(
          () -> counter("dobj.alarms.retries") == failed, "retry " + failed + " to be scheduled");
      Awaits.until(() -> clock.pendingTimers() >= 2, "the next alarm timer to be armed");
      clock.advance(Duration.ofSeconds(backoff[retry - 1]));
    }
    Awaits.until(() -> counter("dobj.alarms.dropped") == 1, "the alarm to be dropped");
    assertThat(counter("dobj.alarms.runs", "outcome", "failure")).isEqualTo(7);
    assertThat(counter("dobj.alarms.retries")).isEqualTo(6);
    assertThat(counter("dobj.alarms.runs", "outcome", "success")).isZero();
  }
}
