package dev.dobj.runtime.internal.alarm;

import dev.dobj.runtime.time.RuntimeClock;
import dev.dobj.spi.storage.StorageEngine;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;
import java.util.random.RandomGenerator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Wakes the objects of one namespace when their alarms are due.
 *
 * <p>The scheduler keeps the pending alarms in memory (loaded at start from the engine's alarm
 * index, which is one small table per namespace, so start-up opens no object; then kept current by
 * every commit that changes an alarm) and one timer on the runtime clock for the earliest. When it
 * fires, each due alarm is handed to the {@link Delivery} as an event of its object. A run that
 * fails is retried 2^n seconds (n = 1..6, plus up to 25% jitter) after the failed run was due;
 * after the sixth retry fails the alarm is dropped (and logged). Late alarms (due while the process
 * was down) fire at start. Each retry is noted in the engine ({@link StorageEngine#alarmRetried}),
 * so an alarm failing across restarts goes on with its count and back-off rather than start over.
 *
 * <p>Thread-safety: all state is guarded by {@code lock}; deliveries and timers run outside it.
 */
public final class AlarmScheduler {
  private static final Logger LOG = LoggerFactory.getLogger(AlarmScheduler.class);

  /** Retries after the first failed run. */
  public static final int MAX_RETRIES = 6;

  /** How the scheduler reaches an object. */
  public interface Delivery {
    /**
     * Runs the alarm of object {@code id} (64 hex digits) scheduled for {@code time}, as attempt
     * {@code retryCount}. Completes with true if the handler ran and returned, false if there was
     * nothing to run (the alarm was deleted or moved), exceptionally if the handler failed.
     */
    CompletableFuture<Boolean> fire(String id, Instant time, int retryCount);

    /**
     * Deletes the alarm of {@code id} if it is still {@code time} (after the last retry failed).
     */
    void drop(String id, Instant time);

    /** What became of one run ({@code fire}), for metrics; called after it, never under a lock. */
    default void outcome(Outcome outcome) {}
  }

  /** What became of one run of an alarm. */
  public enum Outcome {
    /** The handler ran and returned. */
    SUCCEEDED,
    /** There was nothing to run: the alarm was moved or deleted meanwhile. */
    SKIPPED,
    /** The handler (or the delivery) failed; a retry is scheduled. */
    RETRIED,
    /** The handler failed after the last retry; the alarm is dropped. */
    DROPPED,
    /** The handler failed, but a commit had moved or deleted the alarm meanwhile: no retry. */
    FAILED
  }

  /**
   * An alarm waiting to fire.
   *
   * @param time when to fire (the scheduled time, or a retry's back-off time)
   * @param id the object
   * @param retry how many runs failed before
   * @param scheduled the time the alarm was set for (what the store holds)
   */
  private record Pending(Instant time, String id, int retry, Instant scheduled)
      implements Comparable<Pending> {
    @Override
    public int compareTo(Pending o) {
      int c = time.compareTo(o.time);
      return c != 0 ? c : id.compareTo(o.id);
    }
  }

  private final String namespace;
  private final RuntimeClock clock;
  private final RandomGenerator random;
  private final Delivery delivery;
  private final ReentrantLock lock = new ReentrantLock();
  // @GuardedBy("lock")
  private final TreeSet<Pending> queue = new TreeSet<>();
  // @GuardedBy("lock"): the queue entry of each object (one alarm per object).
  private final Map<String, Pending> byId = new HashMap<>();
  // @GuardedBy("lock")
  private final Map<String, Boolean> running = new HashMap<>();
  // @GuardedBy("lock")
  private RuntimeClock.Timer timer;
  // @GuardedBy("lock")
  private Instant timerAt;
  // @GuardedBy("lock")
  private boolean closed;
  // Set by start: where retries are noted (none before, as in unit tests without an engine).
  private volatile StorageEngine engine;
  // Set by start: writes the notes to the engine, in order, on a virtual thread of its own. A
  // run's outcome may arrive on one of the engine's threads (a failed commit fails the alarm),
  // which must not wait there for the note's fsync.
  private volatile ExecutorService notes;

  public AlarmScheduler(
      String namespace, RuntimeClock clock, RandomGenerator random, Delivery delivery) {
    this.namespace = namespace;
    this.clock = clock;
    this.random = random;
    this.delivery = delivery;
  }

  /** Loads the pending alarms of the namespace from the engine's index and arms the timer. */
  public void start(StorageEngine engine) {
    this.notes =
        Executors.newSingleThreadExecutor(Thread.ofVirtual().name("dobj-alarm-notes").factory());
    this.engine = engine;
    Map<String, StorageEngine.AlarmRetry> retries = new HashMap<>();
    for (StorageEngine.AlarmRetry r : engine.alarmRetries(namespace)) {
      retries.put(r.id(), r);
    }
    for (StorageEngine.ScheduledAlarm a :
        engine.alarmsDue(namespace, Instant.MAX, Integer.MAX_VALUE)) {
      StorageEngine.AlarmRetry r = retries.remove(a.id());
      if (r != null && r.scheduled().equals(a.time()) && r.retries() <= MAX_RETRIES) {
        resume(a.id(), r);
      } else {
        set(a.id(), Optional.of(a.time()));
        if (r != null) {
          endRetries(a.id()); // the alarm was set again since: its count starts over
        }
      }
    }
    for (String stale : retries.keySet()) {
      endRetries(stale); // the alarm is gone
    }
  }

  /** An alarm that failed {@code r.retries()} times before a restart: runs again at its time. */
  private void resume(String id, StorageEngine.AlarmRetry r) {
    replace(id, new Pending(r.next(), id, r.retries(), r.scheduled()));
    arm();
  }

  private void noteRetry(Pending retry) {
    note(
        e ->
            e.alarmRetried(
                namespace,
                new StorageEngine.AlarmRetry(retry.id, retry.scheduled, retry.retry, retry.time)),
        "note the retry of the alarm of " + retry.id);
  }

  private void endRetries(String id) {
    note(e -> e.alarmRetriesEnded(namespace, id), "forget the retries of the alarm of " + id);
  }

  /** Hands a note to the notes thread; {@link #close} waits for the notes handed before it. */
  private void note(Consumer<StorageEngine> write, String what) {
    StorageEngine e = engine;
    ExecutorService n = notes;
    if (e == null || n == null) {
      return;
    }
    try {
      n.execute(
          () -> {
            try {
              write.accept(e);
            } catch (RuntimeException failed) {
              LOG.warn("Could not {} in {}", what, namespace, failed);
            }
          });
    } catch (RejectedExecutionException closing) {
      LOG.debug("Did not {} in {}: the scheduler is closed", what, namespace);
    }
  }

  /** A commit set ({@code time} present) or deleted the alarm of {@code id}. */
  public void set(String id, Optional<Instant> time) {
    Pending old = replace(id, time.map(t -> new Pending(t, id, 0, t)).orElse(null));
    if (old != null && old.retry > 0) {
      endRetries(id); // set again: a new alarm, counted from zero
    }
    arm();
  }

  /**
   * The storage of {@code id} was opened holding alarm {@code time}: schedules it unless it is the
   * alarm already waiting (which keeps its retries), and forgets a waiting one the store no longer
   * holds (a restore of an earlier state, say). An alarm running now is left alone.
   */
  public void found(String id, Optional<Instant> time) {
    lock.lock();
    try {
      if (running.containsKey(id)) {
        return;
      }
      Pending current = byId.get(id);
      Instant scheduled = current == null ? null : current.scheduled;
      if (time.isPresent() ? time.get().equals(scheduled) : current == null) {
        return;
      }
    } finally {
      lock.unlock();
    }
    set(id, time);
  }

  /** Makes {@code next} (null: none) the queue entry of {@code id}; returns the one it replaced. */
  private Pending replace(String id, Pending next) {
    lock.lock();
    try {
      Pending old = byId.remove(id);
      if (old != null) {
        queue.remove(old);
      }
      if (next != null && !closed) {
        queue.add(next);
        byId.put(id, next);
      }
      return old;
    } finally {
      lock.unlock();
    }
  }

  /** How many alarms wait (for tests and metrics). */
  public int pending() {
    lock.lock();
    try {
      return queue.size();
    } finally {
      lock.unlock();
    }
  }

  /**
   * Stops the timer (nothing fires afterwards) and waits up to 10 s for the retry notes already
   * handed to the engine, so that a restart finds them.
   */
  public void close() {
    lock.lock();
    try {
      closed = true;
      if (timer != null) {
        timer.cancel();
      }
      queue.clear();
      byId.clear();
    } finally {
      lock.unlock();
    }
    ExecutorService n = notes;
    if (n != null) {
      n.shutdown();
      try {
        if (!n.awaitTermination(10, TimeUnit.SECONDS)) {
          LOG.warn("Alarm retry notes of {} still unwritten after 10 s; not waiting", namespace);
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }

  private void arm() {
    lock.lock();
    try {
      if (closed) {
        return;
      }
      Pending first = firstNotRunning();
      if (first == null) {
        return;
      }
      if (timer != null && timerAt != null && !timerAt.isAfter(first.time)) {
        return; // an earlier or equal timer is armed
      }
      if (timer != null) {
        timer.cancel();
      }
      Duration delay = Duration.between(clock.instant(), first.time);
      timerAt = first.time;
      timer = clock.schedule(delay.isNegative() ? Duration.ZERO : delay, this::fireDue);
    } finally {
      lock.unlock();
    }
  }

  private Pending firstNotRunning() {
    for (Pending p : queue) {
      if (!running.containsKey(p.id)) {
        return p;
      }
    }
    return null;
  }

  private void fireDue() {
    java.util.List<Pending> due = new java.util.ArrayList<>();
    lock.lock();
    try {
      timer = null;
      timerAt = null;
      Instant now = clock.instant();
      for (Pending p : queue) {
        if (p.time.isAfter(now)) {
          break;
        }
        if (!running.containsKey(p.id)) {
          due.add(p);
        }
      }
      for (Pending p : due) {
        running.put(p.id, Boolean.TRUE);
      }
    } finally {
      lock.unlock();
    }
    for (Pending p : due) {
      CompletableFuture<Boolean> run;
      try {
        run = delivery.fire(p.id, p.scheduled, p.retry);
      } catch (RuntimeException e) {
        run = CompletableFuture.failedFuture(e);
      }
      run.whenComplete((ran, err) -> finished(p, ran, err));
    }
    arm();
  }

  private void finished(Pending p, Boolean ran, Throwable err) {
    boolean drop = false;
    Pending retried = null;
    Outcome outcome =
        err != null
            ? Outcome.FAILED
            : Boolean.TRUE.equals(ran) ? Outcome.SUCCEEDED : Outcome.SKIPPED;
    lock.lock();
    try {
      running.remove(p.id);
      // Unchanged: no commit moved or deleted this alarm while it ran.
      Pending current = byId.get(p.id);
      boolean unchanged = current != null && current.equals(p);
      if (err == null) {
        // success (or nothing to run): the run's own commit cleared or re-set the alarm.
        if (unchanged) {
          queue.remove(p);
          byId.remove(p.id);
        }
      } else if (unchanged) {
        queue.remove(p);
        byId.remove(p.id);
        if (p.retry < MAX_RETRIES) {
          long base = 2000L << p.retry; // 2 s, 4 s, 8 s ...
          long jitter = (long) (base * 0.25 * random.nextDouble());
          // Counted from when the failed run was due, so the schedule does not drift with how
          // long the handler ran.
          Instant next = p.time.plusMillis(base + jitter);
          Pending retry = new Pending(next, p.id, p.retry + 1, p.scheduled);
          queue.add(retry);
          byId.put(p.id, retry);
          retried = retry;
          outcome = Outcome.RETRIED;
        } else {
          drop = true;
          outcome = Outcome.DROPPED;
        }
      }
    } finally {
      lock.unlock();
    }
    if (retried != null) {
      noteRetry(retried);
    } else if (p.retry > 0) {
      endRetries(p.id); // ran, dropped, or moved meanwhile: no count to carry over
    }
    if (drop) {
      LOG.warn(
          "Alarm of Durable Object {} in {} dropped after {} retries; last failure: {}",
          p.id,
          namespace,
          MAX_RETRIES,
          String.valueOf(err));
      delivery.drop(p.id, p.scheduled);
    }
    delivery.outcome(outcome);
    arm();
  }
}
