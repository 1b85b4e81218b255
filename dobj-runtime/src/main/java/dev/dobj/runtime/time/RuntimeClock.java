package dev.dobj.runtime.time;

import java.time.Duration;
import java.time.InstantSource;

/**
 * The runtime's source of time and timers. Every timeout of the runtime (critical sections, idle
 * eviction, alarms) is scheduled here, so a {@link ManualClock} makes them deterministic.
 * Implementations are thread-safe.
 */
public interface RuntimeClock extends InstantSource {
  /**
   * Runs {@code task} once, {@code delay} from now, on a thread of the clock's choosing. A task
   * must not block for long.
   *
   * @return a handle that cancels the task if it has not started
   */
  Timer schedule(Duration delay, Runnable task);

  /** The wall clock, with timers on one daemon platform thread. */
  static RuntimeClock system() {
    return SystemClock.INSTANCE;
  }

  /** A scheduled task. */
  interface Timer {
    /** Cancels the task if it has not started; harmless after it ran. */
    void cancel();
  }
}
