package dev.dobj.sqlite;

import dev.dobj.spi.storage.Durability;
import dev.dobj.spi.storage.StorageEngine.AlarmRetry;
import dev.dobj.spi.storage.StorageEngine.ScheduledAlarm;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The alarms of one namespace, {@code _alarms.sqlite} in its directory ({@code alarms(id, time)}),
 * so that start-up finds due alarms without opening every object.
 *
 * <p><b>Never misses.</b> For every object the index entry is at or before every alarm time that a
 * committed batch of the object may have made durable. Before a batch that sets an earlier alarm
 * than the entry (or the first one) commits, the entry is lowered, and in {@code FSYNC} durability
 * the index is fsync'd before the batch can reach the disk; so a crash can leave an entry that is
 * too early or stale (allowed: the store is the truth) but never a missing one. Once batches are
 * durable the entry is settled to the earliest alarm among the latest durable batch and the batches
 * still pending (raising or deleting it never needs an fsync). An object opened fresh (after a
 * restart, say) reconciles its entry with its database, which cleans entries left stale by a crash.
 *
 * <p><b>Threads.</b> {@code lock} guards the connection and every {@link Tracker}. It is held only
 * for short index statements, never while waiting for the committer, so the committer may block on
 * it. Syncs run on the committer with at most one in flight ({@link GroupCommit}).
 */
final class AlarmIndex {
  private static final Logger LOG = LoggerFactory.getLogger(AlarmIndex.class);
  private static final String UPSERT =
      "INSERT INTO alarms (id, time) VALUES (?, ?) ON CONFLICT(id) DO UPDATE SET time = excluded.time";
  private static final String DELETE = "DELETE FROM alarms WHERE id = ?";
  private static final String LOOKUP = "SELECT time FROM alarms WHERE id = ?";
  private static final String RETRY_UPSERT =
      "INSERT INTO alarm_retries (id, scheduled, retries, next) VALUES (?, ?, ?, ?)"
          + " ON CONFLICT(id) DO UPDATE SET scheduled = excluded.scheduled,"
          + " retries = excluded.retries, next = excluded.next";
  private static final String RETRY_DELETE = "DELETE FROM alarm_retries WHERE id = ?";
  private static final String RETRIES = "SELECT id, scheduled, retries, next FROM alarm_retries";
  private static final String DUE =
      "SELECT id, time FROM alarms WHERE time <= ? ORDER BY time, id LIMIT ?";

  /** What the index knows about one object. Guarded by the index's lock. */
  static final class Tracker {
    private Optional<Long> indexed; // the entry; null while unknown
    private Optional<Long> durable = Optional.empty(); // the alarm of the latest durable batch
    private final ArrayDeque<Pending> pending = new ArrayDeque<>();
  }

  private record Pending(long sequence, Optional<Long> time) {}

  private final NamespaceDirectory directory;
  private final SqliteStorageEngine engine;
  private final Path file;
  private final ReentrantLock lock = new ReentrantLock();
  private final GroupCommit sync = new GroupCommit(0);
  // @GuardedBy("lock")
  private Database db;
  // @GuardedBy("lock"): index writes so far (the sequence numbers of this index's group commit)
  private long writes;
  // @GuardedBy("lock"): the file was created by this process and not yet fsync'd with its directory
  private boolean created;
  // @GuardedBy("lock")
  private boolean checkpointScheduled;
  // @GuardedBy("lock")
  private UncheckedIOException failure;
  // @GuardedBy("lock")
  private boolean closed;

  AlarmIndex(NamespaceDirectory directory, SqliteStorageEngine engine) {
    this.directory = directory;
    this.engine = engine;
    this.file = directory.path().resolve("_alarms.sqlite");
  }

  // ---- objects' side ---------------------------------------------------------------------------

  /**
   * Makes the entry of {@code id} agree with the alarm its database holds; called when an object is
   * first used, before any batch of it is pending.
   */
  void reconcile(Tracker t, String id, Optional<Long> alarm) {
    long lowered = -1;
    lock.lock();
    try {
      t.durable = alarm;
      t.pending.clear();
      if (db == null && alarm.isEmpty() && !Files.exists(file)) {
        t.indexed = Optional.empty();
        return;
      }
      Optional<Long> entry = lookup(id);
      t.indexed = entry;
      if (!entry.equals(alarm)) {
        long seq = write(id, alarm);
        t.indexed = alarm;
        if (alarm.isPresent()) {
          lowered = seq;
        }
      }
    } finally {
      lock.unlock();
    }
    if (lowered >= 0 && engine.durability() == Durability.FSYNC) {
      sync.requestSync(engine.committer(), this::syncNow); // a repair: no need to wait
    }
  }

  /**
   * Before the batch that changes the alarm of {@code id} to {@code time} commits: lowers the entry
   * if {@code time} is earlier, and in {@code FSYNC} durability waits until the index is durable.
   * Called on the caller's thread (it waits without holding the index's lock).
   *
   * @throws UncheckedIOException if the index could not be written or synced
   */
  void beforeCommit(Tracker t, String id, Optional<Long> time) {
    if (time.isEmpty()) {
      return;
    }
    long wait = -1;
    lock.lock();
    try {
      if (t.indexed == null) {
        t.indexed = lookup(id);
      }
      if (t.indexed.isEmpty() || t.indexed.get() > time.get()) {
        wait = write(id, time);
        t.indexed = time;
      }
    } finally {
      lock.unlock();
    }
    if (wait >= 0) {
      awaitDurable(wait);
    }
  }

  /**
   * In {@code FSYNC} durability, waits until the index's write number {@code write} is durable
   * (without the index's lock: the sync runs on the committer).
   *
   * @throws UncheckedIOException if the index could not be synced
   */
  private void awaitDurable(long write) {
    if (engine.durability() != Durability.FSYNC) {
      return;
    }
    CompletableFuture<Void> durable = sync.durable(write);
    sync.requestSync(engine.committer(), this::syncNow);
    try {
      durable.join();
    } catch (CompletionException e) {
      Throwable c = e.getCause();
      throw c instanceof UncheckedIOException u
          ? u
          : new UncheckedIOException(new IOException("the alarm index " + file + " failed", c));
    }
  }

  /** Batch {@code sequence} of the object committed with alarm {@code time}; not yet durable. */
  void committed(Tracker t, long sequence, Optional<Long> time) {
    lock.lock();
    try {
      t.pending.addLast(new Pending(sequence, time));
    } finally {
      lock.unlock();
    }
  }

  /** Every batch of the object up to {@code sequence} is durable: settle its entry. */
  void durable(Tracker t, String id, long sequence) {
    lock.lock();
    try {
      if (t.pending.isEmpty() || t.pending.peekFirst().sequence > sequence) {
        return;
      }
      while (!t.pending.isEmpty() && t.pending.peekFirst().sequence <= sequence) {
        t.durable = t.pending.removeFirst().time;
      }
      if (t.indexed == null) {
        t.indexed = lookup(id);
      }
      Optional<Long> settled = t.durable;
      for (Pending p : t.pending) {
        if (p.time.isPresent() && (settled.isEmpty() || p.time.get() < settled.get())) {
          settled = p.time;
        }
      }
      if (!settled.equals(t.indexed)) {
        write(id, settled);
        t.indexed = settled;
      }
    } catch (UncheckedIOException e) {
      // Runs on the committer: nobody to throw to. The entry stays early or stale (allowed), and
      // the index refuses further writes, which fails later commits that set alarms.
      LOG.error("Could not settle the alarm index entry of {} in {}", id, file, e);
    } finally {
      lock.unlock();
    }
  }

  // ---- the engine's side -----------------------------------------------------------------------

  /** The alarms due at or before {@code until}, earliest first, at most {@code limit}. */
  List<ScheduledAlarm> due(Instant until, int limit) {
    long max =
        until.isAfter(Instant.ofEpochMilli(Long.MAX_VALUE))
            ? Long.MAX_VALUE
            : until.isBefore(Instant.ofEpochMilli(Long.MIN_VALUE))
                ? Long.MIN_VALUE
                : until.toEpochMilli();
    lock.lock();
    try {
      Database d = open(false);
      if (d == null) {
        return List.of();
      }
      PreparedStatement p = d.statement(DUE);
      p.setLong(1, max);
      p.setInt(2, limit);
      List<ScheduledAlarm> out = new ArrayList<>();
      try (ResultSet r = p.executeQuery()) {
        while (r.next()) {
          out.add(new ScheduledAlarm(r.getString(1), Instant.ofEpochMilli(r.getLong(2))));
        }
      }
      return out;
    } catch (SQLException e) {
      throw failed(e, DUE);
    } finally {
      lock.unlock();
    }
  }

  /**
   * Notes a failed alarm's next run ({@code alarm_retries}); in {@code FSYNC} durability the note
   * is durable when this returns, so a crash cannot start the count over (an alarm that keeps
   * failing runs at most 7 times in all). One fsync per failed run: failures are rare.
   *
   * @throws UncheckedIOException if the index could not be synced
   */
  void retried(AlarmRetry retry) {
    long written;
    lock.lock();
    try {
      PreparedStatement p = open(true).statement(RETRY_UPSERT);
      p.setString(1, retry.id());
      p.setLong(2, retry.scheduled().toEpochMilli());
      p.setInt(3, retry.retries());
      p.setLong(4, retry.next().toEpochMilli());
      p.executeUpdate();
      writes++;
      sync.committed(writes);
      written = writes;
    } catch (SQLException e) {
      throw failed(e, RETRY_UPSERT);
    } finally {
      lock.unlock();
    }
    awaitDurable(written);
  }

  /** Forgets the retries of {@code id}. */
  void retriesEnded(String id) {
    lock.lock();
    try {
      Database d = open(false);
      if (d == null) {
        return;
      }
      PreparedStatement p = d.statement(RETRY_DELETE);
      p.setString(1, id);
      p.executeUpdate();
    } catch (SQLException e) {
      throw failed(e, RETRY_DELETE);
    } finally {
      lock.unlock();
    }
  }

  /** The retries noted and not ended. */
  List<AlarmRetry> retries() {
    lock.lock();
    try {
      Database d = open(false);
      if (d == null) {
        return List.of();
      }
      List<AlarmRetry> out = new ArrayList<>();
      try (ResultSet r = d.statement(RETRIES).executeQuery()) {
        while (r.next()) {
          out.add(
              new AlarmRetry(
                  r.getString(1),
                  Instant.ofEpochMilli(r.getLong(2)),
                  r.getInt(3),
                  Instant.ofEpochMilli(r.getLong(4))));
        }
      }
      return out;
    } catch (SQLException e) {
      throw failed(e, RETRIES);
    } finally {
      lock.unlock();
    }
  }

  /** Checkpoints and closes the index (the engine is closing). */
  void close() {
    lock.lock();
    try {
      closed = true;
      if (db != null) {
        try {
          long target = writes;
          db.checkpoint();
          sync.markDurable(target);
        } finally {
          db.close();
          db = null;
        }
      }
    } catch (SQLException e) {
      throw Database.translate(e);
    } finally {
      lock.unlock();
    }
  }

  // ---- internals (lock held) -------------------------------------------------------------------

  private Database open(boolean create) throws SQLException {
    if (failure != null) {
      throw new UncheckedIOException(
          "The alarm index " + file + " failed earlier; restart the engine", failure.getCause());
    }
    if (closed) {
      throw new IllegalStateException("The storage engine is closed");
    }
    if (db == null) {
      boolean exists = Files.exists(file);
      if (!exists && !create) {
        return null;
      }
      if (!exists) {
        try {
          directory.create();
        } catch (IOException e) {
          throw new UncheckedIOException(e);
        }
      }
      db = Database.openIndex(file, create);
      created = !exists;
    }
    return db;
  }

  private Optional<Long> lookup(String id) {
    try {
      Database d = open(false);
      if (d == null) {
        return Optional.empty();
      }
      PreparedStatement p = d.statement(LOOKUP);
      p.setString(1, id);
      try (ResultSet r = p.executeQuery()) {
        return r.next() ? Optional.of(r.getLong(1)) : Optional.empty();
      }
    } catch (SQLException e) {
      throw failed(e, LOOKUP);
    }
  }

  /** Writes the entry of {@code id}; returns the index sequence number of the write. */
  private long write(String id, Optional<Long> time) {
    String sql = time.isPresent() ? UPSERT : DELETE;
    try {
      Database d = open(time.isPresent());
      if (d == null) {
        return writes; // deleting from an index that does not exist
      }
      PreparedStatement p = d.statement(sql);
      p.setString(1, id);
      if (time.isPresent()) {
        p.setLong(2, time.get());
      }
      p.executeUpdate();
      writes++;
      sync.committed(writes);
      if (!checkpointScheduled && d.walSize() > engine.checkpointBytes()) {
        checkpointScheduled = true;
        engine.committer().execute(this::checkpointNow);
      }
      return writes;
    } catch (SQLException e) {
      throw failed(e, sql);
    } catch (IOException e) {
      throw fail(e);
    }
  }

  private RuntimeException failed(SQLException e, String sql) {
    if (db != null) {
      db.forget(sql);
    }
    RuntimeException r = Database.translate(e);
    if (r instanceof UncheckedIOException u) {
      return fail(u.getCause());
    }
    return new UncheckedIOException(
        new IOException("the alarm index " + file + " failed: " + r.getMessage(), e));
  }

  private UncheckedIOException fail(IOException cause) {
    UncheckedIOException u =
        new UncheckedIOException(
            "the alarm index " + file + " failed: " + cause.getMessage(), cause);
    if (failure == null) {
      failure = u;
    }
    sync.fail(u);
    return u;
  }

  // ---- the committer's side --------------------------------------------------------------------

  private void syncNow() {
    long target;
    FileChannel wal;
    boolean full;
    lock.lock();
    try {
      if (db == null || failure != null) {
        return;
      }
      target = writes;
      if (target <= sync.durable()) {
        return;
      }
      wal = db.wal();
      full = created;
    } catch (IOException e) {
      fail(e);
      return;
    } finally {
      lock.unlock();
    }
    try {
      if (full) {
        directory.fsync(file, true);
      }
      if (wal != null) {
        engine.hooks().beforeFsync(file.resolveSibling(file.getFileName() + "-wal"));
        wal.force(false);
      }
      if (full) {
        directory.sync();
        lock.lock();
        try {
          created = false;
        } finally {
          lock.unlock();
        }
      }
      sync.markDurable(target);
    } catch (ClosedChannelException e) {
      // closed by the engine's close, which checkpointed (and so synced) everything first
    } catch (IOException e) {
      lock.lock();
      try {
        fail(e);
      } finally {
        lock.unlock();
      }
    }
  }

  private void checkpointNow() {
    lock.lock();
    try {
      checkpointScheduled = false;
      if (db != null && failure == null) {
        db.checkpoint();
        engine.hooks().checkpointed(file);
      }
    } catch (SQLException e) {
      LOG.error("Could not checkpoint the alarm index {}", file, e);
      RuntimeException r = Database.translate(e);
      if (r instanceof UncheckedIOException u) {
        fail(u.getCause());
      }
    } finally {
      lock.unlock();
    }
  }

  static long millis(Instant time) {
    try {
      return time.toEpochMilli();
    } catch (ArithmeticException e) {
      throw new IllegalArgumentException("An alarm time must fit in epoch milliseconds: " + time);
    }
  }
}
