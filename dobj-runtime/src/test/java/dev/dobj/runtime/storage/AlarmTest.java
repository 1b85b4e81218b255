package dev.dobj.runtime.storage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.dobj.runtime.storage.StoreFixtures.Store;
import dev.dobj.runtime.testing.Awaits;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class AlarmTest extends StorageTestBase {

  private void awaitLog(int size) {
    Awaits.until(() -> log().size() >= size, size + " alarm runs (log " + log() + ")");
  }

  private void awaitAlarm(Store s, boolean present) {
    Awaits.until(
        () -> s.getAlarm().isPresent() == present, "the alarm to be " + (present ? "set" : "gone"));
  }

  /**
   * Waits until the next alarm's timer is armed (the idle sweeper's timer is always the other one):
   * the scheduler arms it once the previous run's result is out.
   */
  private void awaitRetryArmed() {
    Awaits.until(() -> clock.pendingTimers() >= 2, "the next alarm timer to be armed");
  }

  @Test
  void anAlarmFiresAtItsTime_withAlarmInfo_andIsClearedAfterSuccess() {
    Store s = store("a");
    long at = clock.millis() + 60_000;
    s.setAlarm(at);
    assertThat(s.getAlarm()).contains(Instant.ofEpochMilli(at));
    clock.advance(Duration.ofSeconds(59));
    assertThat(log()).isEmpty();
    clock.advance(Duration.ofSeconds(1));
    awaitLog(1);
    assertThat(log()).containsExactly("alarm retry=0 isRetry=false scheduled=" + at + " name=a");
    awaitAlarm(s, false);
  }

  @Test
  void setAlarm_replacesTheEarlierOne_andDeleteAlarmRemovesIt() {
    Store s = store("a");
    s.setAlarm(clock.millis() + 10_000);
    long later = clock.millis() + 20_000;
    s.setAlarm(later);
    clock.advance(Duration.ofSeconds(15));
    assertThat(log()).isEmpty();
    clock.advance(Duration.ofSeconds(5));
    awaitLog(1);
    assertThat(log().get(0)).contains("scheduled=" + later);

    s.setAlarm(clock.millis() + 10_000);
    s.deleteAlarm();
    assertThat(s.getAlarm()).isEmpty();
    clock.advance(Duration.ofSeconds(30));
    assertThat(log()).hasSize(1);
  }

  @Test
  void aHandlerThatSetsANewAlarm_keepsIt() {
    Store s = store("a");
    s.put("alarm-mode", "again");
    long at = clock.millis() + 1_000;
    s.setAlarm(at);
    clock.advance(Duration.ofSeconds(1));
    awaitLog(1);
    awaitAlarm(s, true);
    assertThat(s.getAlarm()).contains(Instant.ofEpochMilli(at + 60_000));
    awaitRetryArmed(); // the new alarm's timer
    clock.advance(Duration.ofSeconds(60));
    awaitLog(2);
    awaitAlarm(s, false);
  }

  /** Jitter that is always {@code fraction} of the 25% maximum. */
  private void jitterAlways(double fraction) {
    runtime.close();
    tweak =
        b ->
            b.jitter(
                new java.util.random.RandomGenerator() {
                  @Override
                  public long nextLong() {
                    return 0;
                  }

                  @Override
                  public double nextDouble() {
                    return fraction;
                  }
                });
    runtime = build();
  }

  /**
   * Sets an alarm of object "a" whose handler always fails, 1 s ahead, with no retry jitter, and
   * lets it run once; returns its time.
   */
  private long failingAlarmRanOnce() {
    jitterAlways(0);
    Store s = store("a");
    s.put("alarm-mode", "fail");
    long at = clock.millis() + 1_000;
    s.setAlarm(at);
    clock.advance(Duration.ofSeconds(1));
    awaitLog(1);
    return at;
  }

  @Test
  void aFailingHandler_isRetriedAfter2s4s8s16s32s64s_thenDropped() {
    long at = failingAlarmRanOnce();
    Store s = store("a");
    long[] backoff = {2, 4, 8, 16, 32, 64};
    for (int retry = 1; retry <= 6; retry++) {
      awaitRetryArmed();
      long base = backoff[retry - 1] * 1000;
      clock.advance(Duration.ofMillis(base - 1));
      assertThat(log()).as("not before %d ms", base).hasSize(retry);
      clock.advance(Duration.ofMillis(1));
      awaitLog(retry + 1);
      assertThat(log().get(retry))
          .isEqualTo("alarm retry=" + retry + " isRetry=true scheduled=" + at + " name=a");
    }
    awaitAlarm(s, false); // dropped after the sixth retry
    clock.advance(Duration.ofMinutes(10));
    assertThat(log()).hasSize(7);
  }

  @Test
  void aFailingAlarm_goesOnWithItsRetryCountAfterARestart_andIsDroppedAfterSixRetriesInAll() {
    long at = failingAlarmRanOnce();
    awaitRetryArmed();
    clock.advance(Duration.ofSeconds(2));
    awaitLog(2);
    awaitRetryArmed(); // the second retry is due 4 s after the first one was

    restart();
    assertThat(runtime.pendingAlarms("STORE")).isEqualTo(1);
    clock.advance(Duration.ofMillis(3_999));
    assertThat(log()).hasSize(2);
    clock.advance(Duration.ofMillis(1));
    awaitLog(3);
    assertThat(log().get(2)).isEqualTo("alarm retry=2 isRetry=true scheduled=" + at + " name=a");

    long[] backoff = {8, 16, 32, 64};
    for (int i = 0; i < backoff.length; i++) {
      awaitRetryArmed();
      clock.advance(Duration.ofSeconds(backoff[i]));
      awaitLog(4 + i);
      assertThat(log().get(3 + i)).startsWith("alarm retry=" + (3 + i) + " isRetry=true");
    }
    awaitAlarm(store("a"), false); // dropped after the sixth retry, counting across the restart
    assertThat(log()).hasSize(7);

    restart();
    assertThat(runtime.pendingAlarms("STORE")).isZero();
    store("a").setAlarm(clock.millis() + 1_000); // a new alarm counts from zero
    clock.advance(Duration.ofSeconds(1));
    awaitLog(8);
    assertThat(log().get(7)).startsWith("alarm retry=0 isRetry=false");
  }

  @Test
  void retryJitter_addsAtMostAQuarterOfTheBackoff() {
    jitterAlways(0.999);
    Store s = store("a");
    s.put("alarm-mode", "fail");
    s.setAlarm(clock.millis() + 1_000);
    clock.advance(Duration.ofSeconds(1));
    awaitLog(1);
    awaitRetryArmed();
    clock.advance(Duration.ofMillis(2_000 + 498)); // 2 s + 0.999 * 25% = 2,499 ms
    assertThat(log()).hasSize(1);
    clock.advance(Duration.ofMillis(1));
    awaitLog(2);
  }

  @Test
  void alarmsSurviveARestart_lateOnesFireAtStart_andTheNameIsKnown() {
    Store s = store("sleeper");
    long at = clock.millis() + 30_000;
    s.setAlarm(at);
    runtime.close();
    clock.advance(Duration.ofMinutes(1)); // due while the runtime is down
    runtime = build();
    assertThat(runtime.pendingAlarms("STORE")).isEqualTo(1);
    clock.advance(Duration.ZERO); // the manual clock runs due timers when told to
    awaitLog(1);
    assertThat(log())
        .containsExactly("alarm retry=0 isRetry=false scheduled=" + at + " name=sleeper");
    awaitAlarm(store("sleeper"), false);
    assertThat(runtime.pendingAlarms("STORE")).isZero();
  }

  @Test
  void setAlarm_refusesTimesAtOrBeforeTheEpoch_andClassesWithoutAHandler() {
    Store s = store("a");
    assertThatThrownBy(() -> s.setAlarm(0)).hasMessageContaining("after the epoch");
    Store plain = runtime.env().namespace("NOALARM", Store.class).getByName("x").call();
    assertThatThrownBy(() -> plain.setAlarm(clock.millis() + 1000))
        .hasMessageContaining("must have an alarm() handler in order to call setAlarm()");
  }

  @Test
  void aClassWithoutAHandler_maySetAnAlarmInItsConstructor() {
    runtime.close();
    long at = clock.millis() + 5_000;
    tweak = b -> b.var("alarmInConstructor", Long.toString(at));
    runtime = build();
    Store plain = runtime.env().namespace("NOALARM", Store.class).getByName("x").call();
    plain.put("k", "v");
    assertThat(plain.getAlarm()).contains(Instant.ofEpochMilli(at));
    assertThat(List.of()).isEmpty();
  }
}
