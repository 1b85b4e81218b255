package dev.dobj.examples.ratelimiter;

import dev.dobj.runtime.DurableObjectRuntime;
import dev.dobj.runtime.time.ManualClock;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

/**
 * Waits for a condition that another thread makes true (no sleeping, no fixed delays); fails with
 * what it waited for after 10 seconds. {@link #until} is a copy of the runtime tests' helper, which
 * examples cannot import.
 */
final class Awaits {
  private static final long LIMIT_NANOS = TimeUnit.SECONDS.toNanos(10);

  private Awaits() {}

  /**
   * Spins until {@code condition} holds.
   *
   * @param what what the test waits for, for the failure message
   * @throws AssertionError if it does not hold within 10 seconds
   */
  static void until(BooleanSupplier condition, String what) {
    long deadline = System.nanoTime() + LIMIT_NANOS;
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("timed out waiting for " + what);
      }
      Thread.onSpinWait();
    }
  }

  /**
   * Moves {@code clock} by {@code by} once the rate limiters of {@code runtime} are settled: no
   * object busy, and the timer of the next alarm armed if one is pending (the idle sweeper's timer
   * is always the other one).
   *
   * <p>The runtime's tests wait for idleness before moving a manual clock; alarms need more. The
   * runtime arms the timer of an alarm that a handler set only once that run's result is out, which
   * may be just after the object went idle, and it reckons the delay from the clock's time when it
   * arms: a timer armed while the clock moves would land late by the move.
   */
  static void advance(ManualClock clock, DurableObjectRuntime runtime, Duration by) {
    String binding = RateLimiterWorker.BINDING;
    until(
        () ->
            runtime.busyObjects(binding) == 0
                && (runtime.pendingAlarms(binding) == 0 || clock.pendingTimers() >= 2),
        "the rate limiters to be idle, with the timer of their next alarm armed");
    clock.advance(by);
  }
}
