package dev.dobj.examples.ratelimiter;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.dobj.DurableObjectException;
import dev.dobj.runtime.DurableObjectRuntime;
import dev.dobj.runtime.time.ManualClock;
import dev.dobj.spi.storage.Durability;
import dev.dobj.sqlite.SqliteStorageEngine;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The rate limiter object through a real runtime on a manual clock, its buckets in a real {@link
 * SqliteStorageEngine} on a temporary folder. The clock moves only when a test says: once no object
 * is busy and the next alarm's timer is armed ({@link Awaits#advance}); then the test waits for the
 * alarms' effect.
 */
class RateLimiterObjectTest {
  private static final String BINDING = RateLimiterWorker.BINDING;

  @TempDir Path data;

  private final ManualClock clock = new ManualClock();
  private final long t0 = clock.millis();

  /** Three tokens, one a second, unless a test says otherwise. */
  private final Map<String, String> vars =
      new LinkedHashMap<>(Map.of("capacity", "3", "refill_per_second", "1"));

  private DurableObjectRuntime runtime;

  @AfterEach
  void closeRuntime() {
    if (runtime != null) {
      runtime.close();
    }
  }

  @Test
  void aBucketEmpties_thenRefuses_withTheWaitForTheNextToken() {
    start();

    assertThat(take("a")).isEqualTo(new Decision(true, 2, 0));
    assertThat(take("a")).isEqualTo(new Decision(true, 1, 0));
    assertThat(take("a")).isEqualTo(new Decision(true, 0, 0));
    assertThat(take("a")).isEqualTo(new Decision(false, 0, 1_000));
    assertThat(limiter("a").take(1, t0 + 400)).isEqualTo(new Decision(false, 0, 600));
    assertThat(limiter("a").take(3, t0 + 400)).isEqualTo(new Decision(false, 0, 2_600));
    assertThat(limiter("a").status()).isEqualTo(new BucketStatus(0, 3, Optional.of(t0 + 1_000)));
  }

  @Test
  void aFullBucket_hasNoAlarm_andTheFirstTakeSetsOneForTheNextToken() {
    start();
    assertThat(limiter("a").status()).isEqualTo(new BucketStatus(3, 3, Optional.empty()));
    assertThat(runtime.pendingAlarms(BINDING)).isZero();

    take("a");

    assertThat(limiter("a").status()).isEqualTo(new BucketStatus(2, 3, Optional.of(t0 + 1_000)));
    assertThat(runtime.pendingAlarms(BINDING)).isEqualTo(1);
  }

  @Test
  void theAlarmAddsAToken_eachTimeOneIsDue() {
    start();
    drain("a", 3);

    advance(Duration.ofMillis(999));
    assertThat(limiter("a").status().tokens()).isZero();
    advance(Duration.ofMillis(1));
    awaitTokens("a", 1);
    assertThat(limiter("a").status().nextRefillMillis()).contains(t0 + 2_000);

    advance(Duration.ofSeconds(1));
    awaitTokens("a", 2);
    assertThat(take("a")).isEqualTo(new Decision(true, 1, 0));
    assertThat(limiter("a").status().nextRefillMillis()).contains(t0 + 3_000);
  }

  @Test
  void theAlarmStopsSettingItself_onceTheBucketIsFull() {
    start();
    drain("a", 3);

    for (int tokens = 1; tokens <= 3; tokens++) {
      advance(Duration.ofSeconds(1));
      awaitTokens("a", tokens);
    }
    Awaits.until(() -> runtime.pendingAlarms(BINDING) == 0, "the alarm to be cleared");
    assertThat(limiter("a").status()).isEqualTo(new BucketStatus(3, 3, Optional.empty()));

    advance(Duration.ofHours(1));
    assertThat(runtime.pendingAlarms(BINDING)).isZero();
    assertThat(limiter("a").status()).isEqualTo(new BucketStatus(3, 3, Optional.empty()));
  }

  @Test
  void aTake_countsTheTimeItCarries_evenBeforeTheAlarmRuns() {
    start();
    drain("a", 3);

    // The clock has not moved, so no alarm ran; the caller's time says two tokens are due.
    assertThat(limiter("a").take(1, t0 + 2_000)).isEqualTo(new Decision(true, 1, 0));
    // The alarm due at t0 + 1 s then adds nothing new and is set for the next token.
    advance(Duration.ofSeconds(1));
    Awaits.until(
        () -> limiter("a").status().nextRefillMillis().equals(Optional.of(t0 + 3_000)),
        "the alarm to move to the third second");
    assertThat(limiter("a").status().tokens()).isEqualTo(1);
  }

  @Test
  void aCallerWhoseClockIsBehind_cannotMakeTheBucketEarnTwice() {
    start();
    drain("a", 3);
    assertThat(limiter("a").take(1, t0 + 1_000)).isEqualTo(new Decision(true, 0, 0));

    assertThat(limiter("a").take(1, t0 + 500)).isEqualTo(new Decision(false, 0, 1_500));
    assertThat(limiter("a").take(1, t0 + 1_000)).isEqualTo(new Decision(false, 0, 1_000));
  }

  @Test
  void bucketsOfDifferentKeys_areIndependent() {
    start();
    drain("a", 3);
    assertThat(take("b")).isEqualTo(new Decision(true, 2, 0));

    assertThat(take("a").allowed()).isFalse();
    assertThat(limiter("b").status().tokens()).isEqualTo(2);
    assertThat(limiter("c").status().tokens()).isEqualTo(3);
    assertThat(runtime.pendingAlarms(BINDING)).isEqualTo(2);

    advance(Duration.ofSeconds(1));
    awaitTokens("a", 1);
    awaitTokens("b", 3);
    Awaits.until(() -> runtime.pendingAlarms(BINDING) == 1, "b's alarm to stop, a's to go on");
    assertThat(limiter("a").status().nextRefillMillis()).contains(t0 + 2_000);
    assertThat(limiter("b").status().nextRefillMillis()).isEmpty();
    assertThat(runtime.liveObjects(BINDING)).isEqualTo(3);
  }

  @Test
  void theBucketAndItsAlarm_surviveARestart_onTheSameDataDirectory() {
    start();
    assertThat(take("a")).isEqualTo(new Decision(true, 2, 0));
    assertThat(take("a")).isEqualTo(new Decision(true, 1, 0));
    drain("b", 3);

    restart();

    assertThat(limiter("a").status()).isEqualTo(new BucketStatus(1, 3, Optional.of(t0 + 1_000)));
    assertThat(limiter("b").status()).isEqualTo(new BucketStatus(0, 3, Optional.of(t0 + 1_000)));
    assertThat(runtime.pendingAlarms(BINDING)).isEqualTo(2);
    assertThat(take("a")).isEqualTo(new Decision(true, 0, 0));
    assertThat(take("a")).isEqualTo(new Decision(false, 0, 1_000));
  }

  @Test
  void alarmsThatFellDueWhileTheRuntimeWasDown_fireAtStart_andCatchUp() {
    start();
    drain("a", 3);
    awaitIdle();
    runtime.close();
    clock.advance(Duration.ofSeconds(10)); // the whole refill falls due while nothing runs

    start();
    assertThat(runtime.pendingAlarms(BINDING)).isEqualTo(1);

    // Each late run refills up to its own time and sets the next, already due: it catches up.
    awaitTokens("a", 3);
    Awaits.until(() -> runtime.pendingAlarms(BINDING) == 0, "the caught-up alarm to stop");
    assertThat(limiter("a").status().nextRefillMillis()).isEmpty();
  }

  @Test
  void capacityAndRate_comeFromVars() {
    vars.put("capacity", "2");
    vars.put("refill_per_second", "0.5");
    start();

    drain("a", 2);
    assertThat(take("a")).isEqualTo(new Decision(false, 0, 2_000));
    advance(Duration.ofMillis(1_999));
    assertThat(limiter("a").status().tokens()).isZero();
    advance(Duration.ofMillis(1));
    awaitTokens("a", 1);
    assertThat(limiter("a").status().nextRefillMillis()).contains(t0 + 4_000);
  }

  @Test
  void take_refusesCountsTheBucketCouldNeverHold() {
    start();

    for (int tokens : new int[] {0, -1, 4}) {
      assertThatThrownBy(() -> limiter("a").take(tokens, t0))
          .isInstanceOfSatisfying(
              DurableObjectException.class,
              e -> {
                assertThat(e.remote()).isTrue();
                assertThat(e.reset()).isFalse();
              })
          .hasMessageContaining(
              "take("
                  + tokens
                  + ", "
                  + t0
                  + "): tokens must be from 1 to the bucket's capacity, 3");
    }
    assertThatThrownBy(() -> limiter("a").take(1, 0))
        .hasMessageContaining("take(1, 0): nowMillis must be after the epoch");
    assertThat(limiter("a").status().tokens()).isEqualTo(3);
  }

  @Test
  void aBadVariable_failsTheCallThatReachesTheObject_namingIt() {
    vars.put("capacity", "ten");
    start();

    assertThatThrownBy(() -> take("a"))
        .isInstanceOf(DurableObjectException.class)
        .hasMessageContaining(
            "[vars] capacity must be a whole number from 1 to 1000000, got \"ten\"");
  }

  // ---- fixtures -----------------------------------------------------------------------------

  private void start() {
    DurableObjectRuntime.Builder b =
        DurableObjectRuntime.builder()
            .clock(clock)
            .bind(BINDING, RateLimiterObject.class, "rate-limiter-example-v1")
            .storage(new SqliteStorageEngine(data, Durability.FSYNC));
    vars.forEach(b::var);
    runtime = b.build();
  }

  private void restart() {
    awaitIdle();
    runtime.close();
    start();
  }

  private RateLimiter limiter(String key) {
    return runtime.env().namespace(BINDING, RateLimiter.class).getByName(key).call();
  }

  /** Takes one token at the clock's time. */
  private Decision take(String key) {
    return limiter(key).take(1, clock.millis());
  }

  /** Takes the {@code capacity} tokens of a full bucket. */
  private void drain(String key, int capacity) {
    for (int left = capacity - 1; left >= 0; left--) {
      assertThat(take(key)).isEqualTo(new Decision(true, left, 0));
    }
  }

  private void awaitIdle() {
    Awaits.until(() -> runtime.busyObjects(BINDING) == 0, "the rate limiters to be idle");
  }

  /** Moves the clock once the rate limiters are settled (see {@link Awaits#advance}). */
  private void advance(Duration by) {
    Awaits.advance(clock, runtime, by);
  }

  /**
   * Waits until the bucket of {@code key} holds {@code tokens}. An alarm that a handler set for a
   * time already past (a late chain catching up) gets a timer due at once, which the manual clock
   * runs on its next move: the zero advance in the loop.
   */
  private void awaitTokens(String key, long tokens) {
    Awaits.until(
        () -> {
          clock.advance(Duration.ZERO);
          return limiter(key).status().tokens() == tokens;
        },
        "the bucket of " + key + " to hold " + tokens + " tokens");
  }
}
