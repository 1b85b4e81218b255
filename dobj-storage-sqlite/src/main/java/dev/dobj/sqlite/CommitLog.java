package dev.dobj.sqlite;

import dev.dobj.spi.storage.DurabilityFollowUps;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.SecureRandom;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.regex.Pattern;
import java.util.zip.CRC32C;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The engine's shared commit log ({@code FSYNC} durability): one fsync makes the batches of many
 * objects durable at once, where each object's own {@code -wal} file would need one fsync each.
 *
 * <p><b>What is logged.</b> After an object's {@code COMMIT} (which, with {@code synchronous=OFF},
 * only writes its WAL into the page cache), the bytes its WAL gained are copied into a <em>frames
 * record</em>: the database file, the offset in its WAL, and the bytes. The record is appended here
 * and the batch is durable once a sync of the log covers it. Nothing fsyncs the object's WAL on the
 * commit path. A <em>reset record</em> says an object's WAL was checkpointed and truncated (or its
 * file deleted): its earlier records are obsolete.
 *
 * <p><b>Recovery</b> ({@link #recover}, before any database opens): the records after each object's
 * last reset are written back into its WAL at their offsets, the WAL is cut after the last one and
 * fsync'd, and the log is deleted. The WAL then holds exactly the frames of every batch the log
 * made durable, byte for byte as SQLite wrote them, so SQLite's own recovery reads them as
 * committed; a batch whose record was not durable is gone, as if it had never committed. A segment
 * is read up to its first record that is torn, corrupt (a record is checksummed with CRC-32C),
 * zeros or left from an earlier use, and the next segment is read after it: a segment is synced
 * whole before any record of a later one counts, so only records nobody was told about can follow a
 * tear (replaying them is allowed, and SQLite's checksummed frames keep a WAL a prefix).
 *
 * <p><b>Rules the engine keeps</b> so that replaying never mixes generations of a WAL:
 *
 * <ul>
 *   <li>Before an object's WAL is checkpointed, its records are durable ({@link #awaitDurable}): a
 *       checkpoint copies committed frames into the database, so a record lost after that would
 *       leave the database ahead of its replayed WAL.
 *   <li>Before an object's file is deleted, its reset record is durable: a new database of the same
 *       object must never receive the old one's frames.
 *   <li>An object's connection that finds a non-empty WAL on opening checkpoints it first, so every
 *       logged WAL starts at offset 0 of an empty file.
 * </ul>
 *
 * <p><b>Segments.</b> The log is a sequence of files {@code <data>/.commit-log/<n>.log}. Past
 * {@code segmentBytes} a new segment starts; the old one is retired once a sync covered it: the
 * committer fsyncs the WAL of every object that wrote to it (one fsync per object per segment, not
 * per batch), then keeps it as the {@code spare} for the next segment (or deletes it). So the log
 * stays about two segments long. A retired segment's magic number is zeroed (and fsync'd) before it
 * becomes the spare, so a file renamed as the next segment is skipped by recovery until its new
 * header is written. The committer zero-fills a segment a little ahead of its last record: an fsync
 * of bytes written over blocks the file already has needs no journal commit of the file system,
 * which makes a log fsync about twice as fast as one that grows the file. Every record carries its
 * segment's salt, so what a reused segment still holds of its earlier use ends the replay like
 * zeros do.
 *
 * <p><b>Threads.</b> Thread-safe. {@code lock} guards the open segment (whose end is the log's
 * position) and the waiters; appends write under it (page cache only). One platform thread runs the
 * syncs: it takes the waiters, fsyncs without the lock, then completes them; the first follow-up a
 * completion offers ({@link DurabilityFollowUps}: the runtime's commit of an object's batch that
 * waited for this sync, when the object is idle) it runs itself, so that batch's record is appended
 * before the syncer looks for work again and the next fsync starts at once. {@link #awaitDurable}
 * fsyncs on its caller's thread instead of waiting for the syncer, so nothing the syncer may wait
 * for (a database's lock, the committer) ever waits for the syncer. A failed fsync fails every
 * waiter and every later append: the log cannot tell what reached the disk.
 */
final class CommitLog implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(CommitLog.class);

  /** The log's directory under the data directory (a name no namespace directory can have). */
  static final String DIRECTORY = ".commit-log";

  private static final Pattern SEGMENT = Pattern.compile("[0-9]{20}\\.log");
  // length of the body (int), CRC-32C of the body (int), the segment's salt (long): a record left
  // in a reused segment by an earlier use carries another salt, so it ends the replay
  static final int HEADER = 16;
  // A segment starts with a magic number and its salt, drawn at random whenever the file starts
  // (again) as a segment: numbers restart after a recovery, salts never repeat.
  static final int SEGMENT_HEADER = 16;
  private static final long MAGIC = 0x444f424a4c4f4731L; // "DOBJLOG1"
  private static final SecureRandom SALTS = new SecureRandom();
  // Segments are zero-filled this far ahead of the last record: an fsync of bytes written over
  // allocated blocks need not commit the file system's journal, an fsync of an appended file does.
  private static final long CHUNK = 2L << 20;
  private static final long COMMIT_DELAY_NANOS = GroupCommit.COMMIT_DELAY_NANOS;
  // Follow-ups of a sync's completions the syncer runs itself (the others go to other threads).
  private static final int FOLLOW_UPS_HERE = 1;
  private static final ByteBuffer ZEROS = ByteBuffer.allocateDirect(256 << 10).asReadOnlyBuffer();
  private static final byte FRAMES = 1;
  private static final byte RESET = 2;
  // The largest record recovery accepts: a WAL grows by at most the pages of one transaction.
  private static final int MAX_RECORD = Integer.MAX_VALUE - 64;

  /** An object whose batches the log makes durable. */
  interface Writer {
    /** Every batch of this writer up to {@code sequence} is durable. */
    void logDurable(long sequence);

    /** The log failed; no batch of this writer that is not yet durable will become durable. */
    void logFailed(IOException cause);

    /**
     * Retirement: makes this writer's WAL durable on its own, so a segment holding its older
     * records may go. Returns whether there was a WAL (none: a checkpoint or a deletion made it
     * durable already).
     */
    boolean syncForRetirement() throws IOException;

    /** The directory of this writer's WAL (fsync'd after its WAL, in case the WAL is new). */
    Path walDirectory();
  }

  private record Waiter(Writer writer, long sequence) {}

  /** One file of the log. */
  private static final class Segment {
    final long number;
    final long salt;
    final Path path;
    final FileChannel channel;
    final Set<Writer> writers = new HashSet<>();
    final long start; // the log position of its first record
    long end; // the log position after its last record
    boolean synced; // its end is covered by a finished sync
    long allocated; // bytes of the file written (zeros or records)
    boolean extending; // the committer is zero-filling past allocated

    Segment(long number, long salt, Path path, FileChannel channel, long start) {
      this.number = number;
      this.salt = salt;
      this.path = path;
      this.channel = channel;
      this.start = start;
      this.end = start;
    }
  }

  private final Path directory;
  private final long segmentBytes;
  private final EngineHooks hooks;
  private final Executor retirer;
  // Zero-fills segments ahead of the records, on a thread of its own: a writer that needs the
  // region waits for it, and writers include the committer's threads (a checkpoint's reset
  // record), so the filling must never queue behind them.
  private final ExecutorService filler =
      Executors.newSingleThreadExecutor(
          Thread.ofPlatform().name("dobj-sqlite-log-fill").daemon(true).factory());
  private final Thread syncer;
  private final ReentrantLock lock = new ReentrantLock();
  private final Condition work = lock.newCondition();
  private final Condition synced = lock.newCondition();
  // @GuardedBy("lock")
  private Segment current;
  // @GuardedBy("lock"): sealed segments, oldest first, not yet deleted
  private final ArrayDeque<Segment> sealed = new ArrayDeque<>();
  // @GuardedBy("lock")
  private long durable;
  // @GuardedBy("lock")
  private List<Waiter> waiters = new ArrayList<>();
  // The syncer's own: how many batches its last sync covered.
  private int lastSyncCovered;
  // @GuardedBy("lock"): a new segment's directory entry is not yet fsync'd
  private boolean directoryUnsynced;
  // @GuardedBy("lock"): a retired segment kept for reuse as the next one (already allocated)
  private Path spare;
  // @GuardedBy("lock"): a retireInOrder task is scheduled or running
  private boolean retiring;
  // @GuardedBy("lock")
  private IOException failure;
  // @GuardedBy("lock")
  private boolean closed;

  private CommitLog(Path directory, long segmentBytes, EngineHooks hooks, Executor retirer)
      throws IOException {
    this.directory = directory;
    this.segmentBytes = segmentBytes;
    this.hooks = hooks;
    this.retirer = retirer;
    Files.createDirectories(directory);
    Path leftover = directory.resolve("spare");
    this.spare = Files.exists(leftover) && invalidate(leftover) ? leftover : null;
    this.current = newSegment(1, 0);
    this.directoryUnsynced = true;
    this.syncer = Thread.ofPlatform().name("dobj-sqlite-log").daemon(true).start(this::runSyncs);
  }

  /**
   * Opens an empty log under {@code dataDirectory}; {@link #recover} must have run first.
   *
   * @param retirer where retirements run (they fsync WALs)
   */
  static CommitLog open(Path dataDirectory, long segmentBytes, EngineHooks hooks, Executor retirer)
      throws IOException {
    return new CommitLog(dataDirectory.resolve(DIRECTORY), segmentBytes, hooks, retirer);
  }

  // ---- appending -------------------------------------------------------------------------------

  /** The name of a database file in records: its path relative to the data directory. */
  static byte[] name(Path dataDirectory, Path databaseFile) {
    return dataDirectory
        .relativize(databaseFile)
        .toString()
        .replace('\\', '/')
        .getBytes(StandardCharsets.UTF_8);
  }

  /**
   * A frames record for {@code length} WAL bytes at {@code walOffset} of {@code name}, positioned
   * where the bytes go: fill it up to its limit, then {@link #append} it.
   */
  static ByteBuffer framesRecord(byte[] name, long walOffset, int length) {
    if (length > MAX_RECORD - name.length - 16) {
      throw new IllegalArgumentException("A batch of " + length + " WAL bytes is too large to log");
    }
    ByteBuffer b = ByteBuffer.allocate(HEADER + 1 + 2 + name.length + 8 + length);
    b.position(HEADER);
    b.put(FRAMES).putShort((short) name.length).put(name).putLong(walOffset);
    return b;
  }

  /**
   * Appends a filled frames record; {@code writer.logDurable(sequence)} follows once a sync covers
   * it.
   *
   * @return the log position after the record (for {@link #awaitDurable})
   * @throws IOException if the log failed or is closed
   */
  long append(Writer writer, long sequence, ByteBuffer record) throws IOException {
    seal(record);
    lock.lock();
    try {
      long end = write(record);
      current.writers.add(writer);
      waiters.add(new Waiter(writer, sequence));
      work.signal();
      return end;
    } finally {
      lock.unlock();
    }
  }

  /**
   * Appends a reset record for {@code name}: its WAL was checkpointed and truncated, or its file is
   * about to be deleted.
   *
   * @return the log position after the record
   */
  long appendReset(byte[] name) throws IOException {
    ByteBuffer b = ByteBuffer.allocate(HEADER + 1 + 2 + name.length);
    b.position(HEADER);
    b.put(RESET).putShort((short) name.length).put(name);
    seal(b);
    lock.lock();
    try {
      return write(b);
    } finally {
      lock.unlock();
    }
  }

  /** The log position after the last record appended. */
  long position() {
    lock.lock();
    try {
      return current.end;
    } finally {
      lock.unlock();
    }
  }

  /**
   * Returns once every record before {@code logPosition} is durable, fsyncing the log on the
   * calling thread if no finished sync covers it yet. It never waits for the syncer: a thread the
   * syncer may wait for (one holding a database's lock, the committer) can call it, and so can the
   * syncer itself (work it runs after a sync may checkpoint or delete a database).
   */
  void awaitDurable(long logPosition) throws IOException {
    List<Segment> toSync;
    long target;
    boolean syncDirectory;
    lock.lock();
    try {
      if (durable >= logPosition) {
        return;
      }
      if (failure != null) {
        throw new IOException("The commit log failed: " + failure.getMessage(), failure);
      }
      if (closed) {
        throw new IOException("The commit log is closed");
      }
      target = current.end;
      toSync = unsynced();
      syncDirectory = directoryUnsynced;
      directoryUnsynced = false;
    } finally {
      lock.unlock();
    }
    IOException error = sync(toSync, syncDirectory);
    if (published(target, error)) {
      scheduleRetirement();
    }
    if (error != null) {
      throw new IOException(
          (isClosed() ? "The commit log is closed: " : "The commit log failed: ")
              + error.getMessage(),
          error);
    }
  }

  private boolean isClosed() {
    lock.lock();
    try {
      return closed;
    } finally {
      lock.unlock();
    }
  }

  // @GuardedBy("lock"): the segments a sync must force, oldest first: the sealed ones no sync
  // covered yet, and the open one
  private List<Segment> unsynced() {
    List<Segment> toSync = new ArrayList<>();
    for (Segment s : sealed) {
      if (!s.synced) {
        toSync.add(s);
      }
    }
    toSync.add(current);
    return toSync;
  }

  /**
   * After a sync of the log up to {@code target}: records its failure, or its durability (and which
   * sealed segments it covered); wakes the threads waiting for either. Returns whether sealed
   * segments became synced (to retire).
   */
  private boolean published(long target, IOException error) {
    boolean retire = false;
    lock.lock();
    try {
      if (error != null) {
        if (closed) {
          // Closed meanwhile: the sync was cut short by the segments' close, not by the disk.
        } else if (failure == null) {
          failure = error;
          LOG.error("An fsync of the commit log in {} failed", directory, error);
        }
      } else {
        durable = Math.max(durable, target);
        for (Segment s : sealed) {
          if (!s.synced && s.end <= durable) {
            s.synced = true;
            retire = true;
          }
        }
      }
      synced.signalAll();
    } finally {
      lock.unlock();
    }
    return retire;
  }

  private static void seal(ByteBuffer record) {
    record.flip();
    CRC32C crc = new CRC32C();
    crc.update(record.array(), HEADER, record.limit() - HEADER);
    record.putInt(0, record.limit() - HEADER);
    record.putInt(4, (int) crc.getValue());
  }

  // @GuardedBy("lock")
  private long write(ByteBuffer record) throws IOException {
    if (failure != null) {
      throw new IOException("The commit log failed: " + failure.getMessage(), failure);
    }
    if (closed) {
      throw new IOException("The commit log is closed");
    }
    Segment s;
    long at;
    long after;
    while (true) {
      if (current.end - current.start >= segmentBytes) {
        rotate();
      }
      s = current;
      at = SEGMENT_HEADER + s.end - s.start;
      after = at + record.limit();
      if (after <= s.allocated || !s.extending) {
        break;
      }
      synced.awaitUninterruptibly(); // the zero-filling of the region this record needs
    }
    record.putLong(8, s.salt);
    try {
      while (record.hasRemaining()) {
        at += s.channel.write(record, at);
      }
    } catch (IOException e) {
      failure = e; // the segment may now hold a torn record: nothing after it can count
      throw e;
    }
    s.allocated = Math.max(s.allocated, after);
    if (!s.extending && s.allocated - after < CHUNK / 2 && s.allocated < segmentBytes + CHUNK) {
      s.extending = true;
      try {
        Segment extended = s;
        filler.execute(() -> extend(extended));
      } catch (RejectedExecutionException e) {
        s.extending = false; // closing
      }
    }
    s.end += record.limit();
    return s.end;
  }

  /** Committer: zero-fills the next chunk of {@code s} past what is allocated. */
  private void extend(Segment s) {
    long from;
    lock.lock();
    try {
      from = s.allocated;
    } finally {
      lock.unlock();
    }
    long at = from;
    try {
      ByteBuffer zeros = ZEROS.duplicate();
      while (at < from + CHUNK) {
        zeros.clear();
        at += s.channel.write(zeros, at);
      }
    } catch (IOException e) {
      // Only a cost: records past the allocated bytes append instead (and fsync slower).
      LOG.debug("Could not zero-fill commit log segment {}", s.path, e);
    }
    lock.lock();
    try {
      s.allocated = Math.max(s.allocated, at);
      s.extending = false;
      synced.signalAll();
    } finally {
      lock.unlock();
    }
  }

  // @GuardedBy("lock")
  private void rotate() throws IOException {
    Segment next = newSegment(current.number + 1, current.end);
    sealed.addLast(current);
    current = next;
    directoryUnsynced = true;
  }

  // @GuardedBy("lock") (or in the constructor)
  private Segment newSegment(long number, long start) throws IOException {
    Path path = directory.resolve(String.format("%020d.log", number));
    if (spare != null) {
      Path reused = spare;
      spare = null;
      try {
        Files.move(reused, path);
      } catch (IOException e) {
        LOG.debug("Could not reuse commit log segment {}", reused, e);
      }
    }
    FileChannel channel =
        FileChannel.open(
            path, StandardOpenOption.CREATE, StandardOpenOption.WRITE, StandardOpenOption.READ);
    long salt;
    do {
      salt = SALTS.nextLong();
    } while (salt == 0);
    ByteBuffer header = ByteBuffer.allocate(SEGMENT_HEADER).putLong(MAGIC).putLong(salt).flip();
    try {
      long at = 0;
      while (header.hasRemaining()) {
        at += channel.write(header, at);
      }
    } catch (IOException e) {
      channel.close();
      throw e;
    }
    // Made durable by the first sync that covers a record of it (it precedes them in the file).
    Segment s = new Segment(number, salt, path, channel, start);
    s.allocated = Math.max(channel.size(), SEGMENT_HEADER);
    return s;
  }

  // ---- syncing ---------------------------------------------------------------------------------

  private void runSyncs() {
    // One call per sync rather than one endless loop: a method is compiled once it has run
    // often, while a loop that never returns waits for on-stack replacement, which a few
    // thousand syncs a second do not reach for minutes (the syncer ran interpreted).
    while (syncOnce()) {
      // next sync
    }
  }

  /** Waits for work, makes it durable and completes its waiters; false once closed and drained. */
  private boolean syncOnce() {
    List<Waiter> batch;
    List<Segment> toSync;
    long target;
    boolean syncDirectory;
    IOException error;
    lock.lock();
    try {
      while (waiters.isEmpty() && !closed) {
        work.awaitUninterruptibly();
      }
      if (closed && waiters.isEmpty()) {
        return false;
      }
      if (lastSyncCovered > 1 && !closed && failure == null) {
        // Commit delay: the last sync covered several batches, so writers are active; a short
        // wait lets the batches they are about to append join this sync instead of the next.
        try {
          work.awaitNanos(COMMIT_DELAY_NANOS);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt(); // the syncer is never interrupted; carry on
        }
      }
      batch = waiters;
      lastSyncCovered = batch.size();
      waiters = new ArrayList<>();
      target = current.end;
      toSync = unsynced();
      syncDirectory = directoryUnsynced;
      directoryUnsynced = false;
      error = failure;
    } finally {
      lock.unlock();
    }
    boolean retire = false;
    if (error == null) {
      error = sync(toSync, syncDirectory);
      retire = published(target, error);
    }
    if (error != null) {
      IOException f = error;
      batch.forEach(w -> w.writer().logFailed(f));
      return true;
    }
    // In order: one writer's waiters are in its sequence order. The first follow-up offered by
    // a completion (an object's batch that waited for this sync) runs here: its record is then
    // appended by the time the loop comes back, and the next fsync starts without a wake-up.
    try {
      DurabilityFollowUps.complete(
          () -> batch.forEach(w -> w.writer().logDurable(w.sequence())), FOLLOW_UPS_HERE);
    } catch (RuntimeException e) {
      // A completion or follow-up failed (a bug): the syncer must go on syncing for everyone else.
      LOG.error("A completion of a commit log sync in {} failed", directory, e);
    }
    if (retire) {
      scheduleRetirement();
    }
    return true;
  }

  /**
   * Starts retiring the synced sealed segments, oldest first, unless a retirement already runs.
   * Segments must go in log order: a segment may hold the reset record that makes an older
   * segment's records of the same database stale, and a recovery that found the older segment
   * without the newer one would replay stale frames into a newer WAL.
   */
  private void scheduleRetirement() {
    lock.lock();
    try {
      if (retiring || closed) {
        return;
      }
      retiring = true;
    } finally {
      lock.unlock();
    }
    try {
      retirer.execute(this::retireInOrder);
    } catch (RejectedExecutionException e) {
      lock.lock();
      try {
        retiring = false; // closing: the segments stay for recovery, which is always correct
      } finally {
        lock.unlock();
      }
    }
  }

  /**
   * Committer: retires the oldest sealed segment while it is synced, one after the other; stops at
   * the first that is not synced or cannot be retired (the later ones wait for it).
   */
  private void retireInOrder() {
    Segment s;
    while ((s = oldestToRetire()) != null) {
      if (!retire(s)) {
        lock.lock();
        try {
          retiring = false; // the later segments wait for this one (the next start)
        } finally {
          lock.unlock();
        }
        return;
      }
    }
  }

  /**
   * The oldest sealed segment if it is synced and the log is open; otherwise null, and the
   * retirement ends (in the same critical section, so a sync that seals another segment meanwhile
   * schedules a new one).
   */
  private Segment oldestToRetire() {
    lock.lock();
    try {
      Segment s = sealed.peekFirst();
      if (s == null || !s.synced || closed) {
        retiring = false;
        return null;
      }
      return s;
    } finally {
      lock.unlock();
    }
  }

  /** Fsyncs the segments (and the log's directory); returns the failure, if any. */
  private IOException sync(List<Segment> segments, boolean syncDirectory) {
    try {
      for (Segment s : segments) {
        hooks.beforeFsync(s.path);
        s.channel.force(false);
      }
      if (syncDirectory) {
        hooks.beforeFsync(directory);
        try (FileChannel d = FileChannel.open(directory, StandardOpenOption.READ)) {
          d.force(true);
        }
      }
      return null;
    } catch (IOException e) {
      return e;
    }
  }

  /**
   * Committer: makes the WAL of every writer of a synced, sealed segment durable, then drops it;
   * returns whether it did (false: the segment stays until the next start).
   */
  private boolean retire(Segment s) {
    List<Writer> writers;
    lock.lock();
    try {
      writers = new ArrayList<>(s.writers);
    } finally {
      lock.unlock();
    }
    try {
      Set<Path> directories = new HashSet<>();
      for (Writer w : writers) {
        if (w.syncForRetirement()) {
          directories.add(w.walDirectory());
        }
      }
      for (Path d : directories) {
        hooks.beforeFsync(d);
        try (FileChannel c = FileChannel.open(d, StandardOpenOption.READ)) {
          c.force(true);
        }
      }
      invalidate(s.channel, s.path);
      s.channel.close();
    } catch (IOException e) {
      LOG.warn("Could not retire commit log segment {}; it stays until the next start", s.path, e);
      return false;
    }
    lock.lock();
    try {
      sealed.remove(s);
      if (spare == null && !closed) {
        Path to = directory.resolve("spare");
        Files.move(s.path, to); // its records stay, but carry an older segment number
        spare = to;
      } else {
        Files.deleteIfExists(s.path);
      }
    } catch (IOException e) {
      LOG.warn("Could not retire commit log segment {}; it stays until the next start", s.path, e);
      return false;
    } finally {
      lock.unlock();
    }
    return true;
  }

  /**
   * Overwrites a retired segment's magic number with zeros and fsyncs it, before the file becomes
   * the spare. A new segment is made from the spare by renaming it and then writing its header: a
   * crash between the two must leave a file recovery skips, not one whose old header still vouches
   * for the old records (they would be replayed after every newer segment's).
   */
  private void invalidate(FileChannel channel, Path path) throws IOException {
    ByteBuffer zeros = ByteBuffer.allocate(8);
    long at = 0;
    while (zeros.hasRemaining()) {
      at += channel.write(zeros, at);
    }
    hooks.beforeFsync(path);
    channel.force(false);
  }

  /**
   * {@link #invalidate} for a spare left by an earlier run (which may predate the rule); returns
   * false, after deleting it, if it cannot be.
   */
  private boolean invalidate(Path leftover) throws IOException {
    try (FileChannel c = FileChannel.open(leftover, StandardOpenOption.WRITE)) {
      invalidate(c, leftover);
      return true;
    } catch (IOException e) {
      LOG.debug("Could not reuse commit log segment {}", leftover, e);
      Files.deleteIfExists(leftover);
      return false;
    }
  }

  /**
   * Stops the syncer (after a last sync of what is pending) and closes the files. With {@code
   * clean} (every object checkpointed its WAL) the segments are deleted; otherwise they stay for
   * {@link #recover}.
   */
  @Override
  public void close() {
    close(false);
  }

  void close(boolean clean) {
    lock.lock();
    try {
      if (closed) {
        return;
      }
      closed = true;
      work.signal();
    } finally {
      lock.unlock();
    }
    try {
      syncer.join();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    filler.shutdown();
    try {
      filler.awaitTermination(10, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    lock.lock();
    try {
      List<Segment> all = new ArrayList<>(sealed);
      all.add(current);
      for (Segment s : all) {
        try {
          s.channel.close();
          if (clean && failure == null) {
            Files.deleteIfExists(s.path);
          }
        } catch (IOException e) {
          LOG.warn("Could not close commit log segment {}", s.path, e);
        }
      }
      if (spare != null && clean) {
        try {
          Files.deleteIfExists(spare);
        } catch (IOException e) {
          LOG.debug("Could not delete {}", spare, e);
        }
      }
      synced.signalAll();
    } finally {
      lock.unlock();
    }
  }

  // ---- recovery --------------------------------------------------------------------------------

  /** Where one object's replayed bytes are: a record's payload in a segment. */
  private record Replay(int segment, long payloadPosition, long walOffset, int length) {}

  /**
   * Replays the log under {@code dataDirectory} into the objects' WAL files and deletes it (see the
   * class comment). Runs before any database of the directory opens.
   *
   * @return the number of frames records replayed
   */
  static int recover(Path dataDirectory, EngineHooks hooks) throws IOException {
    Path dir = dataDirectory.resolve(DIRECTORY);
    List<Path> segments = new ArrayList<>();
    try (DirectoryStream<Path> files = Files.newDirectoryStream(dir)) {
      for (Path f : files) {
        if (SEGMENT.matcher(f.getFileName().toString()).matches()) {
          segments.add(f);
        }
      }
    } catch (NoSuchFileException e) {
      return 0;
    }
    segments.sort(null);
    List<FileChannel> channels = new ArrayList<>();
    // Per database name, the records after its last reset, in log order.
    Map<String, List<Replay>> replays = new LinkedHashMap<>();
    int replayed = 0;
    try {
      read:
      for (int i = 0; i < segments.size(); i++) {
        FileChannel c = FileChannel.open(segments.get(i), StandardOpenOption.READ);
        channels.add(c);
        ByteBuffer segmentHeader = ByteBuffer.allocate(SEGMENT_HEADER);
        if (c.size() < SEGMENT_HEADER) {
          continue;
        }
        readFully(c, segmentHeader, 0);
        long salt = segmentHeader.getLong(8);
        long magic = segmentHeader.getLong(0);
        if (magic != MAGIC) {
          if (magic != 0) { // zeros: a spare renamed as the next segment, before its header
            LOG.warn("{} is not a commit log segment; skipped", segments.get(i));
          }
          continue;
        }
        long size = c.size();
        long at = SEGMENT_HEADER;
        ByteBuffer header = ByteBuffer.allocate(HEADER);
        while (at + HEADER <= size) {
          header.clear();
          readFully(c, header, at);
          int length = header.getInt(0);
          int crc = header.getInt(4);
          if (length < 3 || length > size - at - HEADER || header.getLong(8) != salt) {
            continue read; // the end: zeros, a torn record, or one of the segment's earlier use
          }
          ByteBuffer body = ByteBuffer.allocate(length);
          readFully(c, body, at + HEADER);
          CRC32C check = new CRC32C();
          check.update(body.array(), 0, length);
          if ((int) check.getValue() != crc) {
            continue read; // torn or corrupt: nothing after it in this segment counts
          }
          byte type = body.get(0);
          int nameLength = body.getShort(1) & 0xffff;
          String name = new String(body.array(), 3, nameLength, StandardCharsets.UTF_8);
          if (type == RESET) {
            replays.remove(name);
          } else if (type == FRAMES) {
            long walOffset = body.getLong(3 + nameLength);
            int payload = 3 + nameLength + 8;
            replays
                .computeIfAbsent(name, n -> new ArrayList<>())
                .add(new Replay(i, at + HEADER + payload, walOffset, length - payload));
          } else {
            continue read;
          }
          at += HEADER + length;
        }
      }
      Set<Path> directories = new HashSet<>();
      for (Map.Entry<String, List<Replay>> e : replays.entrySet()) {
        Path database = dataDirectory.resolve(e.getKey()).normalize();
        if (!database.startsWith(dataDirectory) || !Files.exists(database)) {
          LOG.warn("The commit log holds batches of {}, which does not exist; skipped", database);
          continue;
        }
        Path wal = database.resolveSibling(database.getFileName() + "-wal");
        try (FileChannel w =
            FileChannel.open(
                wal,
                StandardOpenOption.CREATE,
                StandardOpenOption.WRITE,
                StandardOpenOption.READ)) {
          long end = 0;
          for (Replay r : e.getValue()) {
            ByteBuffer bytes = ByteBuffer.allocate(r.length());
            readFully(channels.get(r.segment()), bytes, r.payloadPosition());
            bytes.flip();
            long at = r.walOffset();
            while (bytes.hasRemaining()) {
              at += w.write(bytes, at);
            }
            end = r.walOffset() + r.length();
            replayed++;
          }
          w.truncate(end);
          hooks.beforeFsync(wal);
          w.force(true);
        }
        directories.add(wal.getParent());
      }
      for (Path d : directories) {
        hooks.beforeFsync(d);
        try (FileChannel c = FileChannel.open(d, StandardOpenOption.READ)) {
          c.force(true);
        }
      }
    } finally {
      for (FileChannel c : channels) {
        c.close();
      }
    }
    for (Path s : segments) {
      Files.deleteIfExists(s);
    }
    if (replayed > 0) {
      LOG.info(
          "Replayed {} logged batches of {} objects from the commit log in {}",
          replayed,
          replays.size(),
          dir);
    }
    return replayed;
  }

  private static void readFully(FileChannel c, ByteBuffer b, long at) throws IOException {
    while (b.hasRemaining()) {
      int n = c.read(b, at);
      if (n < 0) {
        throw new IOException("Unexpected end of " + c);
      }
      at += n;
    }
  }
}
