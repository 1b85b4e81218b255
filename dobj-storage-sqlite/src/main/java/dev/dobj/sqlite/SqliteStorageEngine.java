package dev.dobj.sqlite;

import dev.dobj.spi.ObjectAddress;
import dev.dobj.spi.storage.Durability;
import dev.dobj.spi.storage.FencingToken;
import dev.dobj.spi.storage.ObjectStore;
import dev.dobj.spi.storage.StorageEngine;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The embedded storage engine: one SQLite database per object, under {@code
 * <data>/<namespace>/<id>.sqlite}, in WAL mode.
 *
 * <p><b>Commit path.</b> Writes run directly on the object's connection inside an explicit
 * transaction; {@code commit()} runs {@code COMMIT} with {@code synchronous=OFF}, which only puts
 * the WAL into the page cache, so it is fast and never fsyncs on the caller's thread. With {@link
 * Durability#OS} a batch is durable when {@code commit()} returns. With {@link Durability#FSYNC} a
 * few platform threads (the committer: fsync and JNI would pin virtual threads) fsync each object's
 * {@code -wal} file; one fsync covers every batch committed before it started (group commit), then
 * completes their {@code durable} futures.
 *
 * <p><b>Checkpoints</b> belong to the engine (SQLite's auto-checkpoint is off, so that a cluster
 * can ship WAL frames before they reach the database): on the committer, when an object's WAL
 * passes {@link Builder#checkpointBytes} and when a connection closes, with {@code
 * synchronous=FULL} for the duration so the database is synced before the WAL is truncated.
 *
 * <p><b>Open files.</b> At most {@link Builder#maxOpenConnections} connections are open: a store
 * keeps its connection while leased; a closed store's connection waits in an LRU for a fast reopen;
 * when a new connection needs a slot the least recently used idle connection (else a leased one
 * that is not inside a transaction, reopened on its next use) is checkpointed and closed on the
 * committer while the caller waits. Only connections inside a write transaction can push the count
 * past the bound.
 *
 * <p><b>Indexes.</b> The objects with state of a namespace are the {@code <id>.sqlite} files of its
 * directory (a file appears with the first commit that writes and goes when {@code deleteAll}
 * leaves the object empty). The alarms are mirrored in {@code _alarms.sqlite} per namespace (see
 * {@link AlarmIndex}: never misses an alarm, may keep a stale one).
 *
 * <p><b>Threads.</b> Thread-safe. {@code lock} guards the object map, the LRU and the connection
 * count; it is never held while waiting, and from under it object locks are only tried.
 */
public final class SqliteStorageEngine implements StorageEngine {
  private static final Logger LOG = LoggerFactory.getLogger(SqliteStorageEngine.class);

  /**
   * The default bound on open connections (about 3 file descriptors each). Evicting an idle
   * connection costs a checkpoint, so the bound should cover the objects active at once.
   */
  public static final int DEFAULT_MAX_OPEN_CONNECTIONS = 1024;

  /** The default WAL size past which an object's WAL is checkpointed. */
  public static final long DEFAULT_CHECKPOINT_BYTES = 4L << 20;

  /**
   * The default number of committer threads: fsyncs of different objects run in parallel on them (a
   * disk serves several at once), while each object's fsyncs stay one at a time.
   */
  public static final int DEFAULT_COMMITTER_THREADS = 32;

  /** The default size past which the commit log starts a new segment file. */
  public static final long DEFAULT_LOG_SEGMENT_BYTES = 128L << 20;

  private final Path dataDirectory;
  private final Durability durability;
  private final int maxOpenConnections;
  private final long checkpointBytes;
  private final EngineHooks hooks;
  private final ExecutorService committer;
  // Fdatasyncs histories as they grow (History's write-back); null without fsync or history.
  private final ExecutorService historyWriteback;
  private final CommitLog log; // FSYNC with the commit log only
  private final AtomicLong sequences = new AtomicLong();
  private final ReentrantLock lock = new ReentrantLock();
  // @GuardedBy("lock")
  private final Map<ObjectAddress, ObjectDatabase> objects = new HashMap<>();
  // @GuardedBy("lock")
  private final Map<String, NamespaceDirectory> namespaces = new HashMap<>();
  // @GuardedBy("lock"): objects with an open connection, in the order they got it
  private final LinkedHashSet<ObjectDatabase> connected = new LinkedHashSet<>();
  // @GuardedBy("lock"): connected objects without a lease, least recently released first
  private final LinkedHashSet<ObjectDatabase> idle = new LinkedHashSet<>();
  // @GuardedBy("lock")
  private int openConnections;
  // @GuardedBy("lock")
  private boolean closed;

  /**
   * An engine with the default settings.
   *
   * @param dataDirectory where the databases live (created if missing)
   * @param durability what a durable batch survives
   * @throws UncheckedIOException if the data directory cannot be created
   */
  public SqliteStorageEngine(Path dataDirectory, Durability durability) {
    this(builder(dataDirectory).durability(durability));
  }

  /** The default time an object's history is kept for point-in-time recovery (SPEC: 7 days). */
  public static final Duration DEFAULT_HISTORY_RETENTION = Duration.ofDays(7);

  private final Duration historyRetention;
  private final InstantSource clock;

  private SqliteStorageEngine(Builder b) {
    this.dataDirectory = b.dataDirectory.toAbsolutePath();
    this.durability = b.durability;
    this.maxOpenConnections = b.maxOpenConnections;
    this.checkpointBytes = b.checkpointBytes;
    this.historyRetention = b.historyRetention;
    this.clock = b.clock;
    this.hooks = b.hooks;
    try {
      Files.createDirectories(dataDirectory);
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot create the data directory " + dataDirectory, e);
    }
    this.committer =
        Executors.newFixedThreadPool(
            b.committerThreads,
            Thread.ofPlatform().name("dobj-sqlite-committer-", 0).daemon(true).factory());
    try {
      // Whatever the durability now: a log left by an earlier run holds durable batches.
      CommitLog.recover(dataDirectory, hooks);
      this.log =
          durability == Durability.FSYNC && b.commitLog
              ? CommitLog.open(dataDirectory, b.logSegmentBytes, hooks, committer)
              : null;
    } catch (IOException e) {
      committer.shutdownNow();
      throw new UncheckedIOException(
          "Cannot recover or open the commit log in " + dataDirectory + ": " + e.getMessage(), e);
    }
    this.historyWriteback =
        durability == Durability.FSYNC && !historyRetention.isZero()
            ? Executors.newSingleThreadExecutor(
                Thread.ofPlatform().name("dobj-sqlite-history-writeback").daemon(true).factory())
            : null;
  }

  /** A builder for an engine storing under {@code dataDirectory}. */
  public static Builder builder(Path dataDirectory) {
    return new Builder(dataDirectory);
  }

  /** Settings of a {@link SqliteStorageEngine}. Not thread-safe. */
  public static final class Builder {
    private final Path dataDirectory;
    private Durability durability = Durability.FSYNC;
    private int maxOpenConnections = DEFAULT_MAX_OPEN_CONNECTIONS;
    private int committerThreads = DEFAULT_COMMITTER_THREADS;
    private long checkpointBytes = DEFAULT_CHECKPOINT_BYTES;
    private Duration historyRetention = DEFAULT_HISTORY_RETENTION;
    private InstantSource clock = InstantSource.system();
    private boolean commitLog = true;
    private long logSegmentBytes = DEFAULT_LOG_SEGMENT_BYTES;
    private EngineHooks hooks = EngineHooks.NONE;

    private Builder(Path dataDirectory) {
      this.dataDirectory = Objects.requireNonNull(dataDirectory, "dataDirectory");
    }

    /** What a durable batch survives; default {@link Durability#FSYNC}. */
    public Builder durability(Durability durability) {
      this.durability = Objects.requireNonNull(durability, "durability");
      return this;
    }

    /**
     * The bound on open SQLite connections (each holds three file descriptors); default 1024.
     *
     * @throws IllegalArgumentException if {@code max} is less than 1
     */
    public Builder maxOpenConnections(int max) {
      if (max < 1) {
        throw new IllegalArgumentException("maxOpenConnections must be at least 1; got " + max);
      }
      this.maxOpenConnections = max;
      return this;
    }

    /**
     * The number of committer threads (platform threads that fsync, checkpoint and close); default
     * 32.
     *
     * @throws IllegalArgumentException if {@code threads} is less than 1
     */
    public Builder committerThreads(int threads) {
      if (threads < 1) {
        throw new IllegalArgumentException("committerThreads must be at least 1; got " + threads);
      }
      this.committerThreads = threads;
      return this;
    }

    /**
     * The WAL size in bytes past which an object's WAL is checkpointed; default 4 MiB.
     *
     * @throws IllegalArgumentException if {@code bytes} is negative
     */
    public Builder checkpointBytes(long bytes) {
      if (bytes < 0) {
        throw new IllegalArgumentException("checkpointBytes must not be negative; got " + bytes);
      }
      this.checkpointBytes = bytes;
      return this;
    }

    /**
     * How long each object's history is kept for point-in-time recovery (bookmarks); default 7
     * days, {@link Duration#ZERO} keeps none (bookmarks are then refused). The history holds every
     * batch's page images since its base: about the bytes the object wrote in that time, plus a
     * copy of its database each time the history outgrows it.
     *
     * @throws IllegalArgumentException if {@code retention} is negative
     */
    public Builder historyRetention(Duration retention) {
      Objects.requireNonNull(retention, "retention");
      if (retention.isNegative()) {
        throw new IllegalArgumentException(
            "historyRetention must not be negative; got " + retention);
      }
      this.historyRetention = retention;
      return this;
    }

    /**
     * The clock of the history (default: the system clock): it stamps each batch with its time,
     * which {@code getBookmarkForTime} looks up, and ages batches out of the retention window. Give
     * it the clock the runtime runs on ({@code DurableObjectRuntime.builder().clock(..)}), so that
     * in a test a {@code ManualClock} moves bookmarks, retention and alarms together.
     */
    public Builder clock(InstantSource clock) {
      this.clock = Objects.requireNonNull(clock, "clock");
      return this;
    }

    /**
     * Whether {@link Durability#FSYNC} goes through the shared commit log (default true): the new
     * WAL bytes of each batch are appended to one log file whose fsync covers the batches of every
     * object at once; each object's WAL is fsync'd only when a log segment retires. Without it,
     * each object's {@code -wal} file is fsync'd for its own batches (one fsync per object per
     * group commit), which costs more fsyncs when many objects write at once. Ignored in {@link
     * Durability#OS}, which fsyncs nothing.
     */
    public Builder commitLog(boolean enabled) {
      this.commitLog = enabled;
      return this;
    }

    /**
     * The size past which the commit log starts a new segment file; default 128 MiB. A larger
     * segment retires less often (a retirement fsyncs the WAL of each object that wrote to it) and
     * takes more disk: the log holds about two segments.
     *
     * @throws IllegalArgumentException if {@code bytes} is less than 4096
     */
    public Builder logSegmentBytes(long bytes) {
      if (bytes < 4096) {
        throw new IllegalArgumentException("logSegmentBytes must be at least 4096; got " + bytes);
      }
      this.logSegmentBytes = bytes;
      return this;
    }

    Builder hooks(EngineHooks hooks) {
      this.hooks = Objects.requireNonNull(hooks, "hooks");
      return this;
    }

    /**
     * The engine.
     *
     * @throws UncheckedIOException if the data directory cannot be created
     */
    public SqliteStorageEngine build() {
      return new SqliteStorageEngine(this);
    }
  }

  // ---- StorageEngine ---------------------------------------------------------------------------

  @Override
  public Durability durability() {
    return durability;
  }

  /**
   * {@inheritDoc}
   *
   * @throws IllegalArgumentException if {@code token} is not {@link FencingToken#SINGLE_NODE} (this
   *     engine serves one process)
   */
  @Override
  public ObjectStore open(ObjectAddress address, FencingToken token) {
    Objects.requireNonNull(address, "address");
    Objects.requireNonNull(token, "token");
    if (!token.equals(FencingToken.SINGLE_NODE)) {
      throw new IllegalArgumentException(
          "SqliteStorageEngine serves a single process: open stores with FencingToken.SINGLE_NODE,"
              + " not epoch "
              + token.epoch());
    }
    ObjectDatabase stale = null;
    SqliteObjectStore lease;
    lock.lock();
    try {
      requireOpen("open " + address);
      ObjectDatabase object = objects.get(address);
      if (object != null && object.lease != null) {
        throw new IllegalStateException(
            "The store of " + address + " is already open; close it before opening it again");
      }
      if (object != null && object.failed()) {
        objects.remove(address);
        idle.remove(object);
        stale = object;
        object = null;
      }
      if (object == null) {
        object = new ObjectDatabase(address, namespace(address.namespace()), this);
        objects.put(address, object);
      }
      idle.remove(object);
      lease = new SqliteObjectStore(object, this);
      object.lease = lease;
    } finally {
      lock.unlock();
    }
    if (stale != null) {
      stale.discard(); // before the new one can touch the file
    }
    return lease;
  }

  @Override
  public List<String> listObjects(String namespace, Optional<String> after, int limit) {
    Objects.requireNonNull(namespace, "namespace");
    Objects.requireNonNull(after, "after");
    requireLimit(limit);
    NamespaceDirectory directory;
    lock.lock();
    try {
      requireOpen("list the objects of " + namespace);
      directory = namespace(namespace);
    } finally {
      lock.unlock();
    }
    if (limit == 0) {
      return List.of();
    }
    try {
      return directory.objects(after, limit);
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot list " + directory.path(), e);
    }
  }

  @Override
  public List<ScheduledAlarm> alarmsDue(String namespace, Instant until, int limit) {
    Objects.requireNonNull(namespace, "namespace");
    Objects.requireNonNull(until, "until");
    requireLimit(limit);
    if (limit == 0) {
      return List.of();
    }
    return alarms(namespace).due(until, limit);
  }

  @Override
  public Optional<ScheduledAlarm> nextAlarm(String namespace) {
    Objects.requireNonNull(namespace, "namespace");
    return alarms(namespace).due(Instant.MAX, 1).stream().findFirst();
  }

  /** {@inheritDoc} Kept in the namespace's alarm index, beside the alarms. */
  @Override
  public void alarmRetried(String namespace, AlarmRetry retry) {
    Objects.requireNonNull(namespace, "namespace");
    Objects.requireNonNull(retry, "retry");
    alarms(namespace).retried(retry);
  }

  @Override
  public void alarmRetriesEnded(String namespace, String id) {
    Objects.requireNonNull(namespace, "namespace");
    Objects.requireNonNull(id, "id");
    alarms(namespace).retriesEnded(id);
  }

  @Override
  public List<AlarmRetry> alarmRetries(String namespace) {
    Objects.requireNonNull(namespace, "namespace");
    return alarms(namespace).retries();
  }

  /**
   * {@inheritDoc} Open stores are revoked (their open transactions discarded); the committer
   * threads end. Idempotent.
   */
  @Override
  public void close() {
    List<ObjectDatabase> all;
    List<NamespaceDirectory> directories;
    lock.lock();
    try {
      if (closed) {
        return;
      }
      closed = true;
      all = new ArrayList<>(objects.values());
      directories = new ArrayList<>(namespaces.values());
      for (ObjectDatabase o : all) {
        if (o.lease != null) {
          o.lease.revoke();
          o.lease = null;
        }
      }
    } finally {
      lock.unlock();
    }
    RuntimeException failure = null;
    for (ObjectDatabase o : all) {
      try {
        o.shutdown();
      } catch (RuntimeException e) {
        failure = collect(failure, e);
      }
    }
    for (NamespaceDirectory d : directories) {
      try {
        d.alarms().close();
      } catch (RuntimeException e) {
        failure = collect(failure, e);
      }
    }
    if (log != null) {
      // Every object checkpointed its WAL on the way out unless one failed: then the log stays
      // for the next start to replay.
      boolean clean = failure == null && all.stream().noneMatch(ObjectDatabase::failed);
      log.close(clean);
    }
    committer.shutdown();
    if (historyWriteback != null) {
      historyWriteback.shutdown();
    }
    try {
      if (!committer.awaitTermination(1, TimeUnit.MINUTES)) {
        LOG.warn("The committer of {} did not finish within a minute", dataDirectory);
      }
      if (historyWriteback != null && !historyWriteback.awaitTermination(1, TimeUnit.MINUTES)) {
        LOG.warn("The history write-back of {} did not finish within a minute", dataDirectory);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    lock.lock();
    try {
      objects.clear();
      connected.clear();
      idle.clear();
    } finally {
      lock.unlock();
    }
    if (failure != null) {
      throw failure;
    }
  }

  /** How many SQLite connections to object databases are open now. */
  public int openConnections() {
    lock.lock();
    try {
      return openConnections;
    } finally {
      lock.unlock();
    }
  }

  @Override
  public String toString() {
    return "SqliteStorageEngine[" + dataDirectory + ", " + durability + "]";
  }

  // ---- for the package -------------------------------------------------------------------------

  Executor committer() {
    return committer;
  }

  /** Where histories are written back as they grow; null without fsync or history. */
  Executor historyWriteback() {
    return historyWriteback;
  }

  EngineHooks hooks() {
    return hooks;
  }

  /** The commit log, or null when batches are not logged (OS durability, or turned off). */
  CommitLog log() {
    return log;
  }

  Path dataDirectory() {
    return dataDirectory;
  }

  long checkpointBytes() {
    return checkpointBytes;
  }

  /** Now, in epoch milliseconds, on the history's clock. */
  long nowMillis() {
    return clock.millis();
  }

  /** How long objects' histories are kept; zero: none is kept. */
  Duration historyRetention() {
    return historyRetention;
  }

  long nextSequence() {
    return sequences.incrementAndGet();
  }

  /** The lease of {@code object} ended. */
  void release(ObjectDatabase object, SqliteObjectStore lease) {
    object.endLease();
    lock.lock();
    try {
      if (object.lease != lease) {
        return; // revoked by close()
      }
      object.lease = null;
      if (object.failed()) {
        objects.remove(object.address(), object);
      } else if (connected.contains(object)) {
        idle.remove(object);
        idle.add(object);
      } else {
        forgetIfIdle(object);
      }
    } finally {
      lock.unlock();
    }
  }

  /**
   * Takes a connection slot for {@code object} (whose lock the caller holds), closing the least
   * recently used connection on the committer first if all slots are taken.
   *
   * @throws IllegalStateException if the engine is closed
   */
  void acquireSlot(ObjectDatabase object) {
    Set<ObjectDatabase> tried = new HashSet<>();
    while (true) {
      ObjectDatabase victim;
      lock.lock();
      try {
        requireOpen("open the database of " + object.address());
        if (openConnections < maxOpenConnections) {
          take(object);
          return;
        }
        victim = victim(object, tried);
        if (victim == null) {
          LOG.debug(
              "{} connections open, all busy in transactions: opening one more for {}",
              openConnections,
              object.address());
          take(object);
          return;
        }
        victim.evicting = true;
        tried.add(victim);
      } finally {
        lock.unlock();
      }
      try {
        CompletableFuture.supplyAsync(victim::evict, committer).join();
      } catch (RejectedExecutionException e) {
        throw new IllegalStateException("The storage engine is closed", e);
      } finally {
        lock.lock();
        try {
          victim.evicting = false;
        } finally {
          lock.unlock();
        }
      }
    }
  }

  /** The connection of {@code object} closed (or failed to open after {@link #acquireSlot}). */
  void connectionClosed(ObjectDatabase object) {
    lock.lock();
    try {
      if (connected.remove(object)) {
        openConnections--;
      }
      idle.remove(object);
      forgetIfIdle(object);
    } finally {
      lock.unlock();
    }
  }

  // ---- internals -------------------------------------------------------------------------------

  // @GuardedBy("lock")
  private void take(ObjectDatabase object) {
    if (connected.add(object)) {
      openConnections++;
    }
  }

  /** The connection to close next: the oldest idle one, else the least recently used leased one. */
  // @GuardedBy("lock")
  private ObjectDatabase victim(ObjectDatabase exclude, Set<ObjectDatabase> tried) {
    for (ObjectDatabase o : idle) {
      if (o != exclude && !o.evicting && !tried.contains(o)) {
        return o;
      }
    }
    ObjectDatabase best = null;
    for (ObjectDatabase o : connected) {
      if (o != exclude && !o.evicting && !tried.contains(o) && !o.busy()) {
        if (best == null || o.lastUsed() < best.lastUsed()) {
          best = o;
        }
      }
    }
    return best;
  }

  /** Drops an object that is not leased, has no connection and nothing pending. */
  // @GuardedBy("lock")
  private void forgetIfIdle(ObjectDatabase object) {
    if (object.lease == null && !connected.contains(object) && object.settled()) {
      objects.remove(object.address(), object);
    }
  }

  // @GuardedBy("lock")
  private NamespaceDirectory namespace(String namespace) {
    NamespaceDirectory d = namespaces.get(namespace);
    if (d == null) {
      d = new NamespaceDirectory(namespace, dataDirectory, this);
      namespaces.put(namespace, d);
    }
    return d;
  }

  private AlarmIndex alarms(String namespace) {
    lock.lock();
    try {
      requireOpen("read the alarms of " + namespace);
      return namespace(namespace).alarms();
    } finally {
      lock.unlock();
    }
  }

  // @GuardedBy("lock")
  private void requireOpen(String action) {
    if (closed) {
      throw new IllegalStateException("The storage engine is closed; cannot " + action);
    }
  }

  private static void requireLimit(int limit) {
    if (limit < 0) {
      throw new IllegalArgumentException("The limit must not be negative; got " + limit);
    }
  }

  private static RuntimeException collect(RuntimeException first, RuntimeException next) {
    if (first == null) {
      return next;
    }
    first.addSuppressed(next);
    return first;
  }
}
