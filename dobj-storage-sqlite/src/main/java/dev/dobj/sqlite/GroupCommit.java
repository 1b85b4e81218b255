package dev.dobj.sqlite;

import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The durability of one database's batches: which sequence numbers were committed, which are
 * durable, the futures waiting for them, and at most one sync in flight.
 *
 * <p><b>Group commit.</b> {@link #requestSync} runs the sync on the committer unless one is already
 * scheduled or running; a request that arrives while a sync runs makes it run exactly once more
 * afterwards. A sync reads {@link #committed()} before it forces the file, so one fsync covers
 * every batch committed before it started, however many there were.
 *
 * <p><b>Threads.</b> {@code committed} is written by the database's owner (under its lock) and read
 * by the committer: volatile. {@code durable}, the waiters and the failure are guarded by {@code
 * lock}; futures complete outside it, on the thread that made the batch durable.
 */
final class GroupCommit {
  private static final int IDLE = 0;
  private static final int SCHEDULED = 1;
  private static final int RUNNING = 2;
  private static final int RUNNING_AGAIN = 3;

  /** How long a sync waits for more batches when writers are active (see {@link #runSyncs}). */
  static final long COMMIT_DELAY_NANOS = 250_000;

  private final AtomicInteger syncState = new AtomicInteger(IDLE);
  // Written and read by the one thread that runs syncs at a time.
  private long lastSyncCovered;
  // Batches committed since the last sync started.
  private final java.util.concurrent.atomic.AtomicLong commitsSinceSync =
      new java.util.concurrent.atomic.AtomicLong();
  private final ReentrantLock lock = new ReentrantLock();
  private volatile long committed;
  // @GuardedBy("lock")
  private long durable;
  // @GuardedBy("lock")
  private final TreeMap<Long, CompletableFuture<Void>> waiters = new TreeMap<>();
  // @GuardedBy("lock")
  private Throwable failure;

  /** Starts with every batch up to {@code initial} already durable. */
  GroupCommit(long initial) {
    this.committed = initial;
    this.durable = initial;
  }

  /** The last committed sequence number. */
  long committed() {
    return committed;
  }

  /** Publishes batch {@code sequence} as committed (not yet durable). */
  void committed(long sequence) {
    committed = sequence;
    commitsSinceSync.incrementAndGet();
  }

  /** The last durable sequence number. */
  long durable() {
    lock.lock();
    try {
      return durable;
    } finally {
      lock.unlock();
    }
  }

  /** Completes when every batch up to {@code sequence} is durable. */
  CompletableFuture<Void> durable(long sequence) {
    lock.lock();
    try {
      if (sequence <= durable) {
        return CompletableFuture.completedFuture(null); // not shared: callers may obtrude
      }
      if (failure != null) {
        return CompletableFuture.failedFuture(failure);
      }
      return waiters.computeIfAbsent(sequence, s -> new CompletableFuture<>());
    } finally {
      lock.unlock();
    }
  }

  /** Records that every batch up to {@code sequence} is durable and completes their futures. */
  void markDurable(long sequence) {
    Map<Long, CompletableFuture<Void>> done;
    lock.lock();
    try {
      if (sequence <= durable) {
        return;
      }
      durable = sequence;
      Map<Long, CompletableFuture<Void>> head = waiters.headMap(sequence, true);
      done = new TreeMap<>(head);
      head.clear();
    } finally {
      lock.unlock();
    }
    done.values().forEach(f -> f.complete(null));
  }

  /** Fails every batch not yet durable, now and later. */
  void fail(Throwable cause) {
    Map<Long, CompletableFuture<Void>> failed;
    lock.lock();
    try {
      if (failure == null) {
        failure = cause;
      }
      failed = new TreeMap<>(waiters);
      waiters.clear();
    } finally {
      lock.unlock();
    }
    failed.values().forEach(f -> f.completeExceptionally(cause));
  }

  /**
   * Runs {@code sync} on {@code executor} unless a sync is already scheduled, or running (then it
   * runs once more when the running one ends).
   */
  void requestSync(Executor executor, Runnable sync) {
    while (true) {
      int s = syncState.get();
      if (s == SCHEDULED || s == RUNNING_AGAIN) {
        return;
      }
      if (s == RUNNING) {
        if (syncState.compareAndSet(RUNNING, RUNNING_AGAIN)) {
          return;
        }
      } else if (syncState.compareAndSet(IDLE, SCHEDULED)) {
        executor.execute(() -> runSyncs(sync));
        return;
      }
    }
  }

  private void runSyncs(Runnable sync) {
    syncState.set(RUNNING);
    while (true) {
      try {
        if (lastSyncCovered > 1) {
          // Commit delay: the last sync covered several batches, so writers are active; a short
          // wait lets their next batches join this sync instead of waiting for one more.
          LockSupport.parkNanos(COMMIT_DELAY_NANOS);
        }
        lastSyncCovered = commitsSinceSync.getAndSet(0);
        sync.run();
      } catch (RuntimeException | Error e) {
        syncState.set(IDLE); // the sync handles its failures; never leave the state stuck
        throw e;
      }
      if (syncState.compareAndSet(RUNNING, IDLE)) {
        return;
      }
      syncState.set(RUNNING); // RUNNING_AGAIN: a commit arrived while the sync ran
    }
  }
}
