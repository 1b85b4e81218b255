package dev.dobj.runtime.testing;

import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

/**
 * Waits for a condition that another thread makes true (no sleeping, no fixed delays); fails with
 * what it waited for after 10 seconds.
 */
public final class Awaits {
  private static final long LIMIT_NANOS = TimeUnit.SECONDS.toNanos(10);

  private Awaits() {}

  /**
   * Spins until {@code condition} holds.
   *
   * @param what what the test waits for, for the failure message
   * @throws AssertionError if it does not hold within 10 seconds
   */
  public static void until(BooleanSupplier condition, String what) {
    long deadline = System.nanoTime() + LIMIT_NANOS;
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("timed out waiting for " + what);
      }
      Thread.onSpinWait();
    }
  }
}
