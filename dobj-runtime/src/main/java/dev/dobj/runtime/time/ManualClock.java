package dev.dobj.runtime.time;

import java.time.Duration;
import java.time.Instant;
import java.util.PriorityQueue;
import java.util.concurrent.locks.ReentrantLock;

/**
 * A clock that moves only when told to. {@link #advance} runs every timer that falls due, in time
 * order (then in scheduling order), on the calling thread, each with the clock set to its due time.
 *
 * <p>Thread-safe: any thread may read the time or schedule; advancing from two threads at once is
 * serialised.
 */
public final class ManualClock implements RuntimeClock {
  private final ReentrantLock lock = new ReentrantLock();
  private final ReentrantLock advancing = new ReentrantLock();

  // @GuardedBy("lock")
  private Instant now;
  // @GuardedBy("lock")
  private long sequence;
  // @GuardedBy("lock")
  private final PriorityQueue<Task> tasks = new PriorityQueue<>();

  /** A clock at {@code start}. */
  public ManualClock(Instant start) {
    this.now = start;
  }

  /** A clock at 2026-01-01T00:00:00Z. */
  public ManualClock() {
    this(Instant.parse("2026-01-01T00:00:00Z"));
  }

  @Override
  public Instant instant() {
    lock.lock();
    try {
      return now;
    } finally {
      lock.unlock();
    }
  }

  @Override
  public Timer schedule(Duration delay, Runnable task) {
    lock.lock();
    try {
      Task t = new Task(now.plus(delay.isNegative() ? Duration.ZERO : delay), sequence++, task);
      tasks.add(t);
      return t;
    } finally {
      lock.unlock();
    }
  }

  /**
   * Moves the clock forward by {@code by}, running each timer that falls due on this thread.
   *
   * @throws IllegalArgumentException if {@code by} is negative
   */
  public void advance(Duration by) {
    if (by.isNegative()) {
      throw new IllegalArgumentException("Cannot move a ManualClock backwards by " + by);
    }
    advancing.lock();
    try {
      Instant target;
      lock.lock();
      try {
        target = now.plus(by);
      } finally {
        lock.unlock();
      }
      while (true) {
        Task next;
        lock.lock();
        try {
          next = tasks.peek();
          if (next == null || next.due.isAfter(target)) {
            now = target;
            return;
          }
          tasks.poll();
          if (next.due.isAfter(now)) {
            now = next.due;
          }
        } finally {
          lock.unlock();
        }
        if (!next.cancelled) {
          next.action.run();
        }
      }
    } finally {
      advancing.unlock();
    }
  }

  /** How many timers are waiting (cancelled ones may still count until they fall due). */
  public int pendingTimers() {
    lock.lock();
    try {
      return (int) tasks.stream().filter(t -> !t.cancelled).count();
    } finally {
      lock.unlock();
    }
  }

  private static final class Task implements Comparable<Task>, Timer {
    final Instant due;
    final long seq;
    final Runnable action;
    volatile boolean cancelled;

    Task(Instant due, long seq, Runnable action) {
      this.due = due;
      this.seq = seq;
      this.action = action;
    }

    @Override
    public void cancel() {
      cancelled = true;
    }

    @Override
    public int compareTo(Task o) {
      int c = due.compareTo(o.due);
      return c != 0 ? c : Long.compare(seq, o.seq);
    }
  }
}
