package dev.dobj.sqlite;

import dev.dobj.spi.ObjectAddress;
import dev.dobj.spi.storage.Durability;
import dev.dobj.spi.storage.SqlResult;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Instant;
import java.util.AbstractMap;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The durable state of one object: its SQLite database, the open write transaction, and the
 * durability of its batches. Lives while the object is leased, has an open connection, or has
 * batches not yet durable; the engine keeps one per object.
 *
 * <p><b>States.</b> {@code UNKNOWN} until first used; then {@code ABSENT} (no file: reads see
 * nothing, and writes go to an in-memory database with the same schema) or {@code PRESENT} (the
 * file {@code <id>.sqlite}; its connection may be closed by the engine's LRU and reopened on the
 * next use). The first commit that writes to an {@code ABSENT} object serializes the in-memory
 * database into a temporary file and renames it into place (in {@code FSYNC} durability after
 * fsyncing it, on the committer), so a database file never exists half-made or without state. A
 * commit whose batch ran {@code deleteAll} and left the object empty deletes the file again.
 *
 * <p><b>Batches.</b> A write runs on the connection inside a transaction begun by the first write
 * after a commit ({@code BEGIN}); {@link #commit()} runs {@code COMMIT} with {@code
 * synchronous=OFF}, which only writes the WAL into the page cache, and numbers the batch. In {@code
 * OS} durability that batch is then durable; in {@code FSYNC} durability the committer fsyncs the
 * {@code -wal} file (group commit, {@link GroupCommit}), after fsyncing the directory when the WAL
 * file is new (a reopened connection creates it).
 *
 * <p><b>Threads.</b> {@code lock} guards the connections, the transaction state and the state
 * machine: the caller (one activation's turns, one at a time) takes it for every operation; the
 * committer takes it only with a short timed {@code tryLock} (checkpoint, eviction), so it never
 * waits long for a caller that itself waits for the committer. The fsync reads only volatile fields
 * ({@code syncChannel}, {@code directoryChanges}) and never takes the lock. The caller publishes
 * the WAL channel before the sequence number it covers, and the committer reads the sequence number
 * first.
 *
 * <p><b>Failure.</b> An I/O failure (from SQLite or an fsync) sets {@code failure}: every later
 * operation throws it, every pending and later {@code durable} future fails with it, and the engine
 * discards this object once its lease ends, so that the next open reads the disk afresh.
 */
final class ObjectDatabase implements CommitLog.Writer {
  private static final Logger LOG = LoggerFactory.getLogger(ObjectDatabase.class);

  private static final String GET = "SELECT value FROM _dobj_kv WHERE key = ?";
  private static final String PUT = "INSERT OR REPLACE INTO _dobj_kv (key, value) VALUES (?, ?)";
  private static final String DELETE = "DELETE FROM _dobj_kv WHERE key = ?";
  private static final String META_GET = "SELECT value FROM _dobj_meta WHERE key = ?";
  private static final String META_PUT =
      "INSERT OR REPLACE INTO _dobj_meta (key, value) VALUES (?, ?)";
  private static final String META_DELETE = "DELETE FROM _dobj_meta WHERE key = ?";
  private static final String USER_OBJECTS =
      "FROM sqlite_schema WHERE name NOT LIKE '\\_dobj\\_%' ESCAPE '\\'"
          + " AND name NOT LIKE 'sqlite\\_%' ESCAPE '\\'";
  // Holds no state: no key, no alarm, no table (or view, index, trigger) of its own; its name,
  // if any, does not count.
  private static final String IS_EMPTY =
      "SELECT NOT EXISTS (SELECT 1 FROM _dobj_kv)"
          + " AND NOT EXISTS (SELECT 1 FROM _dobj_meta WHERE key <> 'name')"
          + " AND NOT EXISTS (SELECT 1 "
          + USER_OBJECTS
          + ")";
  private static final String ALARM = "alarm";
  private static final long COMMITTER_LOCK_WAIT_MS = 50;
  private static final String NAME = "name";
  // Makes the statements of one multi-statement query apply all or none.
  private static final String EXEC_SAVEPOINT = "_dobj_exec";
  private static final Object[] NO_BINDINGS = new Object[0];

  private enum State {
    UNKNOWN,
    ABSENT,
    PRESENT
  }

  /** What a savepoint restores when it is rolled back. */
  private record Savepoint(boolean dirty, boolean deleteAll, boolean alarmTouched) {}

  private final ObjectAddress address;
  private final String id;
  private final NamespaceDirectory directory;
  private final Path file;
  private final Path walFile;
  private final SqliteStorageEngine engine;
  // Fair, so that the committer's timed tryLock gets its turn between two calls of a busy caller.
  private final ReentrantLock lock = new ReentrantLock(true);
  // Guarded by lock: statement texts already classified (and not refused). An object runs the
  // same few texts over and over; classifying each once saves parsing it on every call.
  private final Map<String, SqlText> classified = new HashMap<>();
  private static final int CLASSIFIED_CAPACITY = 256;
  private final GroupCommit sync = new GroupCommit(0);
  private final AlarmIndex.Tracker alarmTracker = new AlarmIndex.Tracker();
  private final AtomicInteger directoryChanges = new AtomicInteger();
  private final AtomicBoolean checkpointScheduled = new AtomicBoolean();

  // Read by the committer without the lock.
  private volatile FileChannel syncChannel;
  private volatile int directorySynced; // written by the one running sync
  private volatile UncheckedIOException failure;
  private volatile boolean inTransaction; // written under lock; read by the engine's LRU
  private volatile boolean checkpointWanted;
  private volatile long lastUsed = System.nanoTime();
  // The connection a user statement runs on, for interrupt(); set and read under interruptLock, so
  // an interrupt never reaches a connection that is closing.
  private final Object interruptLock = new Object();
  private Database running;
  // Set by interrupt() while a statement runs; taken by the interrupted call as it fails.
  private volatile boolean interrupted;

  // @GuardedBy("lock")
  private State state = State.UNKNOWN;
  // @GuardedBy("lock"): the file's connection while open
  private Database db;
  // @GuardedBy("lock"): ABSENT only, once needed
  private Database memory;
  // @GuardedBy("lock"): the open transaction wrote something
  private boolean dirty;
  // @GuardedBy("lock")
  private boolean deleteAllInBatch;
  // @GuardedBy("lock"): the open transaction removed something (a key, the alarm, a table), so the
  // object may hold nothing any more
  private boolean shrankInBatch;
  // @GuardedBy("lock"): the name of an object whose file went when it came to hold nothing; written
  // again with the next batch that stores something
  private String nameToRestore;
  // @GuardedBy("lock")
  private boolean alarmTouched;
  // @GuardedBy("lock")
  private final ArrayDeque<Savepoint> savepoints = new ArrayDeque<>();
  // @GuardedBy("lock")
  private Optional<Long> committedAlarm = Optional.empty();
  // @GuardedBy("lock")
  private long lastSequence;
  // @GuardedBy("lock"): with the commit log, the bytes of the WAL already logged
  private long logged;
  // With the commit log: the log position after this object's last record (read by the committer)
  private volatile long loggedPosition;
  // The database file's name in the commit log, made on first use (racy but idempotent)
  private byte[] logName;

  // @GuardedBy("lock"): the object's history for point-in-time recovery while it is in use (open
  // with the connection, or for a bookmark of an object without a file); null when closed, or
  // when the engine keeps none
  private History history;
  // @GuardedBy("lock"): the WAL's size when the open write transaction began: its frames follow
  private long walAtBegin;

  // @GuardedBy("engine's lock")
  SqliteObjectStore lease;
  // @GuardedBy("engine's lock"): an eviction of this object's connection is on its way
  boolean evicting;

  ObjectDatabase(ObjectAddress address, NamespaceDirectory directory, SqliteStorageEngine engine) {
    this.address = address;
    this.id = address.id().toString();
    this.directory = directory;
    this.file = directory.objectFile(id);
    this.walFile = file.resolveSibling(file.getFileName() + "-wal");
    this.engine = engine;
  }

  ObjectAddress address() {
    return address;
  }

  boolean failed() {
    return failure != null;
  }

  boolean busy() {
    return inTransaction;
  }

  long lastUsed() {
    return lastUsed;
  }

  /** Whether every committed batch is durable. */
  boolean settled() {
    return sync.durable() >= sync.committed();
  }

  // ---- KV --------------------------------------------------------------------------------------

  Optional<byte[]> get(String key) {
    byte[] k = KeyRange.utf8(key);
    lock.lock();
    try {
      check();
      Database d = reader(false);
      if (d == null) {
        return Optional.empty();
      }
      PreparedStatement p = d.statement(GET);
      p.setBytes(1, k);
      try (ResultSet r = p.executeQuery()) {
        return r.next() ? Optional.of(blob(r.getBytes(1))) : Optional.empty();
      }
    } catch (SQLException e) {
      throw failed(e, GET);
    } finally {
      done();
    }
  }

  List<Map.Entry<String, byte[]>> list(
      Optional<String> start,
      Optional<String> startAfter,
      Optional<String> end,
      Optional<String> prefix,
      boolean reverse,
      int limit) {
    if (limit <= 0) {
      throw new IllegalArgumentException("List limit must be positive; got " + limit);
    }
    KeyRange range = KeyRange.of(start, startAfter, end, prefix);
    StringBuilder sql = new StringBuilder("SELECT key, value FROM _dobj_kv");
    List<byte[]> args = new ArrayList<>(2);
    if (range.from() != null) {
      sql.append(range.fromInclusive() ? " WHERE key >= ?" : " WHERE key > ?");
      args.add(range.from());
    }
    if (range.to() != null) {
      sql.append(args.isEmpty() ? " WHERE" : " AND").append(" key < ?");
      args.add(range.to());
    }
    sql.append(reverse ? " ORDER BY key DESC LIMIT ?" : " ORDER BY key LIMIT ?");
    String query = sql.toString();
    lock.lock();
    try {
      check();
      Database d = reader(false);
      if (d == null) {
        return List.of();
      }
      PreparedStatement p = d.statement(query);
      for (int i = 0; i < args.size(); i++) {
        p.setBytes(i + 1, args.get(i));
      }
      p.setInt(args.size() + 1, limit);
      List<Map.Entry<String, byte[]>> out = new ArrayList<>();
      try (ResultSet r = p.executeQuery()) {
        while (r.next()) {
          out.add(
              new AbstractMap.SimpleImmutableEntry<>(
                  new String(r.getBytes(1), StandardCharsets.UTF_8), blob(r.getBytes(2))));
        }
      }
      return out;
    } catch (SQLException e) {
      throw failed(e, query);
    } finally {
      done();
    }
  }

  void put(String key, byte[] value) {
    byte[] k = KeyRange.utf8(key);
    Objects.requireNonNull(value, "value");
    lock.lock();
    try {
      check();
      PreparedStatement p = writer().statement(PUT);
      p.setBytes(1, k);
      p.setBytes(2, value);
      p.executeUpdate();
      dirty = true;
    } catch (SQLException e) {
      throw failed(e, PUT);
    } finally {
      done();
    }
  }

  boolean delete(String key) {
    byte[] k = KeyRange.utf8(key);
    lock.lock();
    try {
      check();
      if (reader(false) == null) {
        return false;
      }
      PreparedStatement p = writer().statement(DELETE);
      p.setBytes(1, k);
      boolean existed = p.executeUpdate() > 0;
      dirty |= existed;
      shrankInBatch |= existed;
      return existed;
    } catch (SQLException e) {
      throw failed(e, DELETE);
    } finally {
      done();
    }
  }

  // ---- SQL -------------------------------------------------------------------------------------

  /**
   * Runs {@code sql}: one statement, or several separated by semicolons, as Cloudflare's {@code
   * sql.exec} does: the bindings go to the last statement, the result is the last statement's (rows
   * read and written add up over all of them), and they apply all or none (a savepoint).
   */
  SqlResult execute(String sql, Object... bindings) {
    Objects.requireNonNull(sql, "sql");
    Objects.requireNonNull(bindings, "bindings");
    lock.lock();
    try {
      check();
      interrupted = false; // an interrupt that came after the last statement ended is moot
      SqlText text = classified.get(sql);
      if (text == null) {
        List<String> statements = SqlText.split(sql);
        if (statements.size() > 1) {
          SqlResult result = executeAll(statements, bindings);
          endIfUnchanged();
          return result;
        }
        text = SqlText.of(sql);
        if (classified.size() >= CLASSIFIED_CAPACITY) {
          classified.clear(); // statement texts generated on the fly: start over, stay bounded
        }
        classified.put(sql, text);
      }
      Database d = text.kind() == SqlText.Kind.READ ? reader(true) : writer();
      SqlResult result = run(d, sql, text, bindings, 0);
      endIfUnchanged();
      return result;
    } catch (SQLException e) {
      throw failed(e, null);
    } finally {
      done();
    }
  }

  private SqlResult executeAll(List<String> statements, Object[] bindings) throws SQLException {
    List<SqlText> texts = new ArrayList<>();
    for (int i = 0; i < statements.size(); i++) {
      try {
        texts.add(SqlText.of(statements.get(i))); // every refusal before anything runs
      } catch (IllegalArgumentException refused) {
        throw new IllegalArgumentException(
            "Statement " + (i + 1) + " of the SQL query: " + refused.getMessage(), refused);
      }
    }
    boolean writes = texts.stream().anyMatch(t -> t.kind() != SqlText.Kind.READ);
    Database d = writes ? writer() : reader(true);
    if (writes) {
      d.run("SAVEPOINT " + EXEC_SAVEPOINT);
    }
    try {
      long read = 0;
      long written = 0;
      boolean changed = false;
      SqlResult last = null;
      int n = statements.size();
      for (int i = 0; i < n; i++) {
        Object[] args = i == n - 1 ? bindings : NO_BINDINGS;
        last = run(d, statements.get(i), texts.get(i), args, i + 1);
        read += last.rowsRead();
        written += last.rowsWritten();
        changed |= last.changed();
      }
      if (writes) {
        d.run("RELEASE " + EXEC_SAVEPOINT);
      }
      return new SqlResult(last.columns(), last.rows(), read, written, changed);
    } catch (SQLException | RuntimeException e) {
      if (writes && !interrupted) {
        try {
          d.run("ROLLBACK TO " + EXEC_SAVEPOINT);
          d.run("RELEASE " + EXEC_SAVEPOINT);
        } catch (SQLException rollback) {
          e.addSuppressed(rollback); // SQLite ended the transaction itself
        }
      }
      throw e;
    }
  }

  /**
   * Runs one statement on {@code d}; {@code position} is its place in a query of several (from 1),
   * 0 for a query of one.
   */
  private SqlResult run(Database d, String sql, SqlText text, Object[] bindings, int position)
      throws SQLException {
    long before = d.totalChanges();
    List<String> columns = List.of();
    List<Object[]> rows = new ArrayList<>();
    PreparedStatement p = d.userStatement(sql);
    try {
      int parameters = p.getParameterMetaData().getParameterCount();
      if (parameters != bindings.length) {
        if (bindings == NO_BINDINGS) {
          throw new IllegalArgumentException(
              "Statement "
                  + position
                  + " of the SQL query has "
                  + parameters
                  + " parameter(s), but bindings apply to the last statement only: "
                  + SqlText.abbreviate(sql));
        }
        throw new IllegalArgumentException(
            "Wrong number of parameter bindings for SQL query: it has "
                + parameters
                + " parameter(s), "
                + bindings.length
                + " binding(s) were given");
      }
      for (int i = 0; i < bindings.length; i++) {
        bind(p, i + 1, bindings[i]);
      }
      runningOn(d);
      try {
        if (p.execute()) {
          try (ResultSet r = p.getResultSet()) {
            ResultSetMetaData md = r.getMetaData();
            int n = md.getColumnCount();
            String[] names = new String[n];
            for (int i = 0; i < n; i++) {
              names[i] = md.getColumnLabel(i + 1);
            }
            columns = List.of(names);
            while (r.next()) {
              if (interrupted) {
                throw new SQLException("interrupted between rows");
              }
              Object[] row = new Object[n];
              for (int i = 0; i < n; i++) {
                row[i] = value(r, md, i + 1);
              }
              rows.add(row);
            }
          }
        }
      } finally {
        runningOn(null);
      }
    } catch (SQLException | RuntimeException e) {
      d.forgetUserStatement(sql);
      throw e;
    }
    long written = d.totalChanges() - before;
    boolean changed =
        text.kind() == SqlText.Kind.OTHER || (text.kind() == SqlText.Kind.DML && written > 0);
    if (changed) {
      dirty = true;
      shrankInBatch |= text.kind() == SqlText.Kind.OTHER; // DDL may drop the last table
    }
    return new SqlResult(
        columns,
        Collections.unmodifiableList(rows),
        Math.max(rows.size(), written),
        written,
        changed);
  }

  private static void bind(PreparedStatement p, int index, Object value) throws SQLException {
    switch (value) {
      case null -> p.setNull(index, Types.NULL);
      case Long v -> p.setLong(index, v);
      case Integer v -> p.setLong(index, v);
      case Short v -> p.setLong(index, v);
      case Byte v -> p.setLong(index, v);
      case Double v -> p.setDouble(index, v);
      case Float v -> p.setDouble(index, v);
      case String v -> p.setString(index, v);
      case byte[] v -> p.setBytes(index, v);
      case Boolean v -> p.setLong(index, v ? 1 : 0);
      default ->
          throw new IllegalArgumentException(
              "Cannot bind a "
                  + value.getClass().getName()
                  + " to SQL parameter "
                  + index
                  + ": bind a Long, Integer, Short, Byte, Double, Float, String, byte[], Boolean or"
                  + " null");
    }
  }

  /** A result value as the SPI promises it: Long, Double, String, byte[] or null. */
  private static Object value(ResultSet r, ResultSetMetaData md, int column) throws SQLException {
    Object v = r.getObject(column);
    return switch (v) {
      case null -> md.getColumnType(column) == Types.BLOB ? new byte[0] : null;
      case Long l -> l;
      case Integer i -> (long) i;
      case Number n when !(n instanceof Double) -> n.longValue();
      default -> v;
    };
  }

  long databaseSize() {
    lock.lock();
    try {
      check();
      Database d = reader(false);
      return d == null ? 0 : d.size();
    } catch (SQLException e) {
      throw failed(e, null);
    } finally {
      done();
    }
  }

  // ---- alarm and name --------------------------------------------------------------------------

  Optional<Instant> alarm() {
    lock.lock();
    try {
      check();
      Database d = reader(false);
      return d == null ? Optional.empty() : readAlarm(d).map(Instant::ofEpochMilli);
    } catch (SQLException e) {
      throw failed(e, META_GET);
    } finally {
      done();
    }
  }

  void setAlarm(Optional<Instant> time) {
    Objects.requireNonNull(time, "time");
    Optional<Long> millis = time.map(AlarmIndex::millis);
    lock.lock();
    try {
      check();
      Database d = writer();
      if (millis.isPresent()) {
        PreparedStatement p = d.statement(META_PUT);
        p.setString(1, ALARM);
        p.setLong(2, millis.get());
        p.executeUpdate();
      } else {
        PreparedStatement p = d.statement(META_DELETE);
        p.setString(1, ALARM);
        p.executeUpdate();
        shrankInBatch = true;
      }
      alarmTouched = true;
      dirty = true;
    } catch (SQLException e) {
      throw failed(e, millis.isPresent() ? META_PUT : META_DELETE);
    } finally {
      done();
    }
  }

  Optional<String> name() {
    lock.lock();
    try {
      check();
      Database d = reader(false);
      if (d == null) {
        return Optional.empty();
      }
      PreparedStatement p = d.statement(META_GET);
      p.setString(1, NAME);
      try (ResultSet r = p.executeQuery()) {
        return r.next() ? Optional.ofNullable(r.getString(1)) : Optional.empty();
      }
    } catch (SQLException e) {
      throw failed(e, META_GET);
    } finally {
      done();
    }
  }

  void setName(String name) {
    Objects.requireNonNull(name, "name");
    lock.lock();
    try {
      check();
      PreparedStatement p = writer().statement(META_PUT);
      p.setString(1, NAME);
      p.setString(2, name);
      p.executeUpdate();
      nameToRestore = null;
      dirty = true;
    } catch (SQLException e) {
      throw failed(e, META_PUT);
    } finally {
      done();
    }
  }

  private static String readName(Database d) throws SQLException {
    PreparedStatement p = d.statement(META_GET);
    p.setString(1, NAME);
    try (ResultSet r = p.executeQuery()) {
      return r.next() ? r.getString(1) : null;
    }
  }

  private static Optional<Long> readAlarm(Database d) throws SQLException {
    PreparedStatement p = d.statement(META_GET);
    p.setString(1, ALARM);
    try (ResultSet r = p.executeQuery()) {
      return r.next() ? Optional.of(r.getLong(1)) : Optional.empty();
    }
  }

  // ---- whole-store operations ------------------------------------------------------------------

  /**
   * Drops every user table, view, trigger and index, and clears KV and the alarm, inside the open
   * transaction. Foreign keys are deferred while dropping, so parent tables can go before their
   * children; once every table is gone no violation can remain.
   */
  void deleteAll() {
    lock.lock();
    try {
      check();
      Database d = writer();
      List<String[]> objects = new ArrayList<>();
      try (PreparedStatement p =
              d.connection().prepareStatement("SELECT type, name, sql " + USER_OBJECTS);
          ResultSet r = p.executeQuery()) {
        while (r.next()) {
          objects.add(new String[] {r.getString(1), r.getString(2), r.getString(3)});
        }
      }
      d.run("PRAGMA defer_foreign_keys=ON");
      // Virtual tables first: dropping one drops its shadow tables.
      objects.sort(Comparator.comparing((String[] o) -> !isVirtualTable(o[0], o[2])));
      for (String[] o : objects) {
        if (o[0].equals("table") || o[0].equals("view") || o[0].equals("trigger")) {
          d.runOnce("DROP " + o[0].toUpperCase(Locale.ROOT) + " IF EXISTS " + quote(o[1]));
        }
      }
      d.run("PRAGMA defer_foreign_keys=OFF");
      d.run("DELETE FROM _dobj_kv");
      PreparedStatement p = d.statement(META_DELETE);
      p.setString(1, ALARM);
      p.executeUpdate();
      dirty = true;
      deleteAllInBatch = true;
      alarmTouched = true;
    } catch (SQLException e) {
      throw failed(e, null);
    } finally {
      done();
    }
  }

  private static boolean isVirtualTable(String type, String sql) {
    return type.equals("table")
        && sql != null
        && sql.regionMatches(true, 0, "CREATE VIRTUAL TABLE", 0, "CREATE VIRTUAL TABLE".length());
  }

  private static String quote(String identifier) {
    return "\"" + identifier.replace("\"", "\"\"") + "\"";
  }

  void savepoint() {
    lock.lock();
    try {
      check();
      Database d = writer();
      d.run("SAVEPOINT _dobj_sp" + savepoints.size());
      savepoints.push(new Savepoint(dirty, deleteAllInBatch, alarmTouched));
    } catch (SQLException e) {
      throw failed(e, null);
    } finally {
      done();
    }
  }

  void releaseSavepoint() {
    lock.lock();
    try {
      check();
      requireSavepoint("releaseSavepoint");
      transactionDb().run("RELEASE _dobj_sp" + (savepoints.size() - 1));
      savepoints.pop();
    } catch (SQLException e) {
      throw failed(e, null);
    } finally {
      done();
    }
  }

  void rollbackSavepoint() {
    lock.lock();
    try {
      check();
      requireSavepoint("rollbackSavepoint");
      String name = "_dobj_sp" + (savepoints.size() - 1);
      Database d = transactionDb();
      d.run("ROLLBACK TO " + name);
      d.run("RELEASE " + name);
      Savepoint s = savepoints.pop();
      dirty = s.dirty;
      deleteAllInBatch = s.deleteAll;
      alarmTouched = s.alarmTouched;
    } catch (SQLException e) {
      throw failed(e, null);
    } finally {
      done();
    }
  }

  private void requireSavepoint(String method) {
    if (savepoints.isEmpty()) {
      throw new IllegalStateException(
          method + "() called with no open savepoint in the store of " + address);
    }
  }

  /**
   * Ends the open transaction as one batch; see the class comment. In {@code FSYNC} durability this
   * waits for the committer when the batch creates or deletes the file, or sets an alarm earlier
   * than the alarm index holds (rare; the usual commit never waits).
   */
  long commit() {
    lock.lock();
    try {
      check();
      if (!inTransaction) {
        return lastSequence;
      }
      if (!savepoints.isEmpty()) {
        throw new IllegalStateException(
            "commit() called with "
                + savepoints.size()
                + " savepoint(s) open in the store of "
                + address
                + ": release or roll them back first");
      }
      Database d = transactionDb();
      if (!dirty) {
        d.run("ROLLBACK");
        endTransaction();
        return lastSequence;
      }
      Optional<Long> alarm = alarmTouched ? readAlarm(d) : committedAlarm;
      boolean alarmChanged = !alarm.equals(committedAlarm);
      boolean empty = (deleteAllInBatch || shrankInBatch) && d.queryLong(IS_EMPTY) != 0;
      String name = empty && state == State.PRESENT ? readName(d) : null;
      if (state == State.ABSENT && empty) {
        d.run("ROLLBACK"); // nothing would survive: an object without state keeps having no file
        endTransaction();
        return lastSequence;
      }
      if (alarmChanged) {
        directory.alarms().beforeCommit(alarmTracker, id, alarm);
      }
      long sequence = engine.nextSequence();
      try {
        d.run("COMMIT");
      } catch (SQLException e) {
        if (!Database.isInfrastructure(e)) {
          d.run("ROLLBACK"); // a deferred constraint failed: the batch is refused as a whole
          endTransaction();
        }
        throw e;
      }
      endTransaction();
      boolean durableNow = engine.durability() == Durability.OS;
      boolean toHistory = false;
      if (state == State.ABSENT) {
        materialize();
        durableNow = true;
      } else if (empty) {
        removeFile();
        nameToRestore = name;
        durableNow = true;
      } else {
        toHistory = true;
      }
      committedAlarm = alarm;
      lastSequence = sequence;
      if (alarmChanged) {
        directory.alarms().committed(alarmTracker, sequence, alarm);
      }
      if (state == State.PRESENT && syncChannel == null) {
        syncChannel = db.wal(); // published before the sequence number it covers
      }
      sync.committed(sequence);
      CommitLog log = engine.log();
      ByteBuffer frames = null;
      if (durableNow) {
        finishDurable(sequence);
      } else if (log != null) {
        frames = logBatch(log, sequence);
      } else {
        sync.requestSync(engine.committer(), this::syncNow);
      }
      if (toHistory) {
        recordHistory(frames);
      }
      // With the log, the WAL's size is what was logged (no second stat of the file).
      boolean overThreshold =
          state == State.PRESENT
              && (log != null
                  ? logged > engine.checkpointBytes()
                  : engine.durability() == Durability.OS
                      && db.walSize() > engine.checkpointBytes());
      if (overThreshold || checkpointWanted) {
        scheduleCheckpoint();
      }
      return sequence;
    } catch (SQLException e) {
      throw failed(e, null);
    } catch (IOException e) {
      throw fail(e);
    } finally {
      done();
    }
  }

  void rollback() {
    lock.lock();
    try {
      if (inTransaction && failure == null) {
        transactionDb().run("ROLLBACK");
      }
      endTransaction();
    } catch (SQLException e) {
      throw failed(e, null);
    } finally {
      done();
    }
  }

  CompletableFuture<Void> durable(long sequence) {
    long committed = sync.committed();
    if (sequence > committed) {
      throw new IllegalArgumentException(
          "durable("
              + sequence
              + "): the store of "
              + address
              + " has committed batches up to "
              + committed
              + " only");
    }
    return sync.durable(sequence);
  }

  // ---- lease and engine ------------------------------------------------------------------------

  /**
   * The lease ended: the open transaction and the in-memory database are discarded; the connection
   * stays open (for a fast reopen) unless the object failed.
   */
  void endLease() {
    lock.lock();
    try {
      try {
        if (inTransaction && failure == null) {
          transactionDb().run("ROLLBACK");
        }
      } catch (SQLException e) {
        failed(e, null);
      }
      endTransaction();
      closeMemory();
      if (failure != null && db != null) {
        closeConnection(false);
      } else if (failure == null && Files.exists(restoreMarker())) {
        // The restore runs when the object is next used: its file must be closed by then.
        if (db != null) {
          closeConnection(true);
        }
        state = State.UNKNOWN;
      }
      closeHistory();
    } catch (SQLException e) {
      LOG.warn("Could not close the failed store of {}", address, e);
    } finally {
      lock.unlock();
    }
  }

  /** The engine is closing: what was committed becomes durable and the connection closes. */
  void shutdown() {
    lock.lock();
    try {
      if (inTransaction && failure == null) {
        transactionDb().run("ROLLBACK");
      }
      endTransaction();
      closeMemory();
      if (db != null) {
        closeConnection(failure == null);
      }
      closeHistory();
    } catch (SQLException e) {
      throw failed(e, null);
    } finally {
      lock.unlock();
    }
  }

  /** Closes the connection of an object that failed and was not leased. */
  void discard() {
    lock.lock();
    try {
      closeMemory();
      if (db != null) {
        closeConnection(false);
      }
    } catch (SQLException e) {
      LOG.warn("Could not close the failed store of {}", address, e);
    } finally {
      lock.unlock();
    }
  }

  /**
   * Committer: checkpoints and closes the connection to free a slot, unless the object is in the
   * middle of a transaction or busy. Returns whether the connection is closed.
   */
  boolean evict() {
    if (!tryLock()) {
      return false;
    }
    try {
      if (db == null) {
        return true;
      }
      if (inTransaction) {
        return false;
      }
      closeConnection(failure == null);
      return true;
    } catch (SQLException e) {
      LOG.error("Could not checkpoint {} while closing its connection", file, e);
      return db == null;
    } finally {
      lock.unlock();
    }
  }

  // ---- internals (lock held) -------------------------------------------------------------------

  private void check() {
    UncheckedIOException f = failure;
    if (f != null) {
      throw new UncheckedIOException(
          "The store of "
              + address
              + " failed and refuses further use; close it and open it again: "
              + f.getMessage(),
          f.getCause());
    }
  }

  private void done() {
    lastUsed = System.nanoTime();
    lock.unlock();
  }

  private void ensureKnown() throws SQLException {
    if (state != State.UNKNOWN) {
      return;
    }
    if (engine.historyRetention().isPositive() && Files.exists(restoreMarker())) {
      try {
        restore();
      } catch (IOException | RuntimeException e) {
        // An object that could never open again would be worse than one not restored.
        LOG.error("Could not restore {} to its bookmark; it keeps its data", address, e);
        try {
          Files.move(
              restoreMarker(),
              restoreMarker().resolveSibling(id + ".restore-failed"),
              StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException moved) {
          throw fail(moved);
        }
      }
    }
    if (Files.exists(file)) {
      state = State.PRESENT;
      committedAlarm = readAlarm(connection());
    } else {
      state = State.ABSENT;
      committedAlarm = Optional.empty();
    }
    try {
      directory.alarms().reconcile(alarmTracker, id, committedAlarm);
    } catch (UncheckedIOException e) {
      LOG.warn("Could not reconcile the alarm index entry of {}", address, e);
    }
  }

  /** The database to read, or null when the object has no state and {@code sql} is false. */
  private Database reader(boolean sql) throws SQLException {
    ensureKnown();
    if (state == State.PRESENT) {
      return connection();
    }
    if (memory == null && sql) {
      memory = Database.openMemoryObject();
    }
    return memory;
  }

  /** The database to write, inside the open transaction (begun here if needed). */
  private Database writer() throws SQLException {
    ensureKnown();
    Database d;
    if (state == State.PRESENT) {
      d = connection();
    } else {
      if (memory == null) {
        memory = Database.openMemoryObject();
      }
      d = memory;
    }
    if (!inTransaction) {
      d.run("BEGIN");
      inTransaction = true;
      if (history != null && state == State.PRESENT && engine.log() == null) {
        try {
          walAtBegin = d.walSize(); // with the log, the batch's frames come from its record
        } catch (IOException e) {
          throw fail(e);
        }
      }
      if (state != State.PRESENT && nameToRestore != null) {
        // not dirty by itself: a batch that stores nothing else still leaves no file
        PreparedStatement p = d.statement(META_PUT);
        p.setString(1, NAME);
        p.setString(2, nameToRestore);
        p.executeUpdate();
      }
    }
    return d;
  }

  private Database transactionDb() {
    return state == State.PRESENT ? db : memory;
  }

  private Database connection() throws SQLException {
    if (db != null) {
      return db;
    }
    engine.acquireSlot(this);
    try {
      db = Database.openObject(file);
    } catch (SQLException | RuntimeException e) {
      engine.connectionClosed(this);
      throw e;
    }
    if (engine.durability() == Durability.FSYNC) {
      directoryChanges.incrementAndGet(); // opening the database created its -wal file
    }
    logged = 0;
    CommitLog log = engine.log();
    if (log != null) {
      // A WAL left by a crash or a failed connection: logged records always start at offset 0 of
      // an empty WAL, so fold it into the database first (after whatever the log still holds of
      // it became durable: see CommitLog).
      Database d = db;
      try {
        if (d.walSize() != 0) {
          onCommitter(
              () -> {
                log.awaitDurable(log.position());
                checkpoint(d);
                log.appendReset(logName());
              });
        }
      } catch (IOException e) {
        throw fail(e);
      }
    }
    if (engine.historyRetention().isPositive() && state == State.PRESENT) {
      try {
        history();
      } catch (IOException | RuntimeException e) {
        // Only the history suffers: the next batch starts a generation from the database.
        LOG.warn("Could not open the history of {}; bookmarks skip a span", address, e);
      }
    }
    return db;
  }

  /**
   * Ends a write transaction that changed nothing (a DML statement that matched no row, a {@code
   * WITH} that only read) with the query that opened it, unless a savepoint is open: the runtime
   * commits only batches that changed something, so no commit would come for it.
   */
  private void endIfUnchanged() throws SQLException {
    if (inTransaction && !dirty && savepoints.isEmpty()) {
      transactionDb().run("ROLLBACK");
      endTransaction();
    }
  }

  private void endTransaction() {
    inTransaction = false;
    dirty = false;
    deleteAllInBatch = false;
    shrankInBatch = false;
    alarmTouched = false;
    savepoints.clear();
  }

  private void closeMemory() {
    if (memory != null) {
      Database m = memory;
      memory = null;
      try {
        m.close();
      } catch (SQLException e) {
        LOG.warn("Could not close the in-memory database of {}", address, e);
      }
    }
  }

  /**
   * Closes the connection; with {@code checkpoint} first checkpoints it (fsyncing what was
   * committed) and records every committed batch as durable.
   */
  private void closeConnection(boolean checkpoint) throws SQLException {
    Database d = db;
    long target = sync.committed();
    try {
      if (checkpoint) {
        awaitLogged();
        d.checkpoint();
        engine.hooks().checkpointed(file);
        logReset(false);
        finishDurable(target);
      }
    } catch (SQLException e) {
      failed(e, null);
      throw e;
    } catch (IOException e) {
      throw fail(e);
    } finally {
      syncChannel = null;
      db = null;
      closeHistory();
      try {
        d.close();
      } finally {
        engine.connectionClosed(this);
      }
    }
  }

  /** Writes the in-memory database as the object's file and switches to it. */
  private void materialize() throws SQLException, IOException {
    byte[] image = memory.serialize();
    // File format versions 2/2 mark a WAL database, as PRAGMA journal_mode=WAL would write them.
    image[18] = 2;
    image[19] = 2;
    if (engine.durability() == Durability.FSYNC) {
      onCommitter(() -> directory.createFile(file, image, true));
    } else {
      directory.createFile(file, image, false);
    }
    state = State.PRESENT;
    closeMemory();
    closeHistory(); // opened again with the connection: the new file is its next base
    connection();
  }

  /** Deletes the file of an object left empty by its batch. */
  private void removeFile() throws SQLException, IOException {
    if (engine.durability() == Durability.FSYNC) {
      // Checkpoint (synced) before closing, so SQLite's own checkpoint on close has nothing to
      // write: a power loss can then find the old file or none, never a torn one.
      Database d = db;
      onCommitter(
          () -> {
            awaitLogged();
            checkpoint(d);
          });
      closeConnection(false);
      onCommitter(
          () -> {
            // Durable before the file goes: a new database of this object must never receive
            // the frames of the old one.
            logReset(true);
            directory.deleteFile(file);
            directory.sync();
          });
    } else {
      closeConnection(false);
      directory.deleteFile(file);
    }
    state = State.ABSENT;
    if (engine.historyRetention().isPositive()) {
      try {
        history(); // notes the state without data as the history's next point
      } catch (IOException | RuntimeException e) {
        LOG.warn("Could not note in its history that {} holds nothing now", address, e);
      }
    }
  }

  /** File work that includes an fsync: runs on the committer, the caller waits (unpinned). */
  private void onCommitter(IoWork work) throws IOException {
    try {
      CompletableFuture.runAsync(
              () -> {
                try {
                  work.run();
                } catch (IOException e) {
                  throw new UncheckedIOException(e);
                }
              },
              engine.committer())
          .join();
    } catch (CompletionException e) {
      if (e.getCause() instanceof UncheckedIOException u) {
        throw u.getCause();
      }
      throw e;
    }
  }

  @FunctionalInterface
  private interface IoWork {
    void run() throws IOException;
  }

  private void scheduleCheckpoint() {
    if (checkpointScheduled.compareAndSet(false, true)) {
      engine.committer().execute(this::checkpointNow);
    }
  }

  private void runningOn(Database d) {
    synchronized (interruptLock) {
      running = d;
    }
  }

  /**
   * Stops the user statement running on another thread (SQLite's {@code sqlite3_interrupt}); it
   * then fails with {@link IllegalStateException} and the open transaction is rolled back. Any
   * thread; does nothing when no statement runs.
   */
  void interrupt() {
    synchronized (interruptLock) {
      Database d = running;
      if (d == null) {
        return;
      }
      interrupted = true;
      try {
        d.interrupt();
      } catch (SQLException e) {
        LOG.warn("Could not interrupt the statement running in the store of {}", address, e);
      }
    }
  }

  /**
   * The interrupted call's failure: the statement stopped, and with it the open transaction (SQLite
   * may have rolled it back already); batches committed before are untouched and the store stays
   * usable.
   */
  private IllegalStateException interruptedCall(SQLException e) {
    interrupted = false;
    if (inTransaction) {
      try {
        transactionDb().run("ROLLBACK");
      } catch (SQLException alreadyEnded) {
        // SQLite ends the transaction itself when it interrupts a write
      }
      endTransaction();
    }
    return new IllegalStateException(
        "The SQL statement running in the store of "
            + address
            + " was interrupted; its write transaction was rolled back",
        e);
  }

  private RuntimeException failed(SQLException e, String cachedSql) {
    if (cachedSql != null) {
      if (db != null) {
        db.forget(cachedSql);
      }
      if (memory != null) {
        memory.forget(cachedSql);
      }
    }
    if (interrupted) {
      return interruptedCall(e);
    }
    RuntimeException r = Database.translate(e);
    if (r instanceof UncheckedIOException u) {
      return fail(u.getCause());
    }
    return r;
  }

  private UncheckedIOException fail(IOException cause) {
    UncheckedIOException u =
        new UncheckedIOException(
            "The store of " + address + " failed: " + cause.getMessage(), cause);
    if (failure == null) {
      failure = u;
    }
    sync.fail(u);
    return u;
  }

  /**
   * Every batch up to {@code sequence} is durable: complete its futures, settle its alarm entry.
   */
  private void finishDurable(long sequence) {
    // The index first: once the batches count as durable the engine may drop this object.
    directory.alarms().durable(alarmTracker, id, sequence);
    sync.markDurable(sequence);
  }

  // ---- the committer's side --------------------------------------------------------------------

  /** One group-commit sync (FSYNC): fsync the WAL (and the directory if the WAL is new). */
  private void syncNow() {
    while (failure == null) {
      long target = sync.committed();
      if (target <= sync.durable()) {
        return;
      }
      FileChannel channel = syncChannel;
      int directories = directoryChanges.get();
      try {
        if (channel != null) {
          engine.hooks().beforeFsync(walFile);
          channel.force(false);
        }
        if (directories != directorySynced) {
          directory.sync();
          directorySynced = directories;
        } else if (channel == null) {
          return; // the connection was closed, and its checkpoint made the batches durable
        }
        finishDurable(target);
        if (channel != null && channel.size() > engine.checkpointBytes()) {
          scheduleCheckpoint();
        }
        return;
      } catch (ClosedChannelException e) {
        // closed by an eviction (which made everything durable) or a deletion: look again
      } catch (IOException e) {
        fail(e);
        return;
      }
    }
  }

  /**
   * Checkpoints the WAL (past the threshold); skipped while the object is busy, retried later. The
   * WAL is fsync'd first without the lock, so that the checkpoint's own sync of the WAL, which runs
   * under the lock and so holds up the caller, finds little left to write.
   */
  private void checkpointNow() {
    checkpointScheduled.set(false);
    FileChannel channel = syncChannel;
    if (channel != null) {
      try {
        engine.hooks().beforeFsync(walFile);
        channel.force(false);
      } catch (ClosedChannelException e) {
        return; // the connection closed, with a checkpoint
      } catch (IOException e) {
        fail(e);
        return;
      }
    }
    if (!tryLock()) {
      checkpointWanted = true;
      return;
    }
    try {
      if (db == null || failure != null) {
        checkpointWanted = false;
        return;
      }
      if (inTransaction) {
        checkpointWanted = true;
        return;
      }
      checkpointWanted = false;
      awaitLogged();
      db.checkpoint();
      engine.hooks().checkpointed(file);
      logReset(false);
      rebaseHistory();
    } catch (SQLException e) {
      LOG.error("Could not checkpoint {}", file, e);
      failed(e, null);
    } catch (IOException e) {
      LOG.error("Could not checkpoint {}", file, e);
      fail(e);
    } finally {
      lock.unlock();
    }
  }

  // ---- point-in-time recovery ------------------------------------------------------------------

  /** The bytes of a WAL file's own header, before its first frame. */
  private static final int WAL_HEADER = 32;

  /** A generation is started afresh once its records outgrow this and twice its base. */
  private static final long REBASE_BYTES = 64L << 20;

  private static final java.util.regex.Pattern BOOKMARK =
      java.util.regex.Pattern.compile("([0-9a-f]{16})-([0-9a-f]{16})");

  private Path historyDirectory() {
    return file.resolveSibling(id + ".history");
  }

  /** The bookmark to restore at the next open, beside the object's file (written atomically). */
  private Path restoreMarker() {
    return file.resolveSibling(id + ".restore");
  }

  /**
   * The history, opened if needed (lock held; the engine keeps histories). A history that may lack
   * batches the database holds (none yet, or not closed cleanly: a crash) starts a generation from
   * the database as it is now; one whose object has no file any more notes that as a point.
   */
  private History history() throws IOException {
    if (history != null) {
      return history;
    }
    History h =
        History.open(
            historyDirectory(), engine.durability() == Durability.FSYNC, engine.historyWriteback());
    try {
      long now = engine.nowMillis();
      if (state == State.PRESENT) {
        if (!h.wasClean() || h.lastPoint() < 0 || h.baseLength() < 0) {
          Database d = db;
          onCommitter(
              () -> {
                if (d.walSize() > 0) { // the file must hold every committed batch
                  awaitLogged();
                  checkpoint(d);
                  logReset(false);
                }
                h.startGeneration(file, now);
              });
        }
      } else if (h.lastPoint() >= 0 && h.baseLength() >= 0) {
        onCommitter(() -> h.startGeneration((byte[]) null, now)); // the file went
      }
      h.dropBefore(now - engine.historyRetention().toMillis());
    } catch (IOException | RuntimeException e) {
      h.abandon();
      throw e;
    }
    history = h;
    return h;
  }

  /**
   * Adds the batch just committed (its WAL frames) to the history. Never fails the commit: a
   * history that could not take the batch is dropped, and the next batch starts a generation from
   * the database (bookmarks then skip a span).
   */
  private void recordHistory(ByteBuffer logged) {
    if (!engine.historyRetention().isPositive()) {
      return;
    }
    History h = history;
    try {
      if (h == null) {
        history(); // could not open before: starts from the database, this batch included
        return;
      }
      ByteBuffer frames = logged != null ? logged : readBatchFrames();
      if (!frames.hasRemaining()) {
        return; // nothing reached the WAL (the batch changed no page)
      }
      h.append(frames, engine.nowMillis());
    } catch (IOException | RuntimeException e) {
      LOG.warn("Could not add a batch of {} to its history; bookmarks skip a span", address, e);
      if (h != null) {
        h.abandon();
      }
      history = null;
    }
  }

  /** The WAL frames the batch just committed wrote (without the commit log, which has them). */
  private ByteBuffer readBatchFrames() throws IOException {
    FileChannel wal = db.wal();
    long size = wal == null ? 0 : wal.size();
    long from = Math.max(walAtBegin, WAL_HEADER);
    ByteBuffer frames = ByteBuffer.allocate(Math.toIntExact(Math.max(0, size - from)));
    while (frames.hasRemaining()) {
      if (wal.read(frames, from + frames.position()) < 0) {
        throw new IOException("The WAL of " + file + " ended before " + size + " bytes");
      }
    }
    return frames.flip();
  }

  /** After a checkpoint (committer, lock held): a history grown past its base starts anew. */
  private void rebaseHistory() {
    History h = history;
    if (h == null || h.growth() <= Math.max(REBASE_BYTES, 2 * h.baseLength())) {
      return;
    }
    try {
      long now = engine.nowMillis();
      h.startGeneration(file, now);
      h.dropBefore(now - engine.historyRetention().toMillis());
    } catch (IOException e) {
      LOG.warn("Could not start a new history generation of {}", address, e);
      h.abandon();
      history = null;
    }
  }

  private void closeHistory() {
    History h = history;
    history = null;
    if (h != null) {
      try {
        h.close();
      } catch (IOException e) {
        LOG.warn("Could not close the history of {}; it starts afresh next time", address, e);
        h.abandon();
      }
    }
  }

  private History historyForBookmarks(String operation) throws IOException, SQLException {
    if (!engine.historyRetention().isPositive()) {
      throw new UnsupportedOperationException(
          operation
              + " needs the object's history, which this storage engine does not keep"
              + " (historyRetention is 0)");
    }
    if (inTransaction) {
      throw new IllegalStateException(
          operation + " with a write transaction open in the store of " + address);
    }
    ensureKnown();
    History h = history();
    if (h.lastPoint() < 0) {
      long now = engine.nowMillis();
      onCommitter(() -> h.startGeneration((byte[]) null, now)); // never written: no data
    }
    return h;
  }

  private UncheckedIOException historyFailed(IOException cause) {
    return new UncheckedIOException(
        "Could not use the history of " + address + ": " + cause.getMessage(), cause);
  }

  private static String bookmark(long point, long millis) {
    return String.format(java.util.Locale.ROOT, "%016x-%016x", point, millis);
  }

  /** A bookmark operation, given the object's history (lock held). */
  @FunctionalInterface
  private interface HistoryWork {
    String apply(History h) throws IOException;
  }

  /** Runs {@code work} under the lock; a failing history fails the call, not the store. */
  private String withHistory(String operation, HistoryWork work) {
    lock.lock();
    try {
      check();
      return work.apply(historyForBookmarks(operation));
    } catch (IOException e) {
      throw historyFailed(e);
    } catch (SQLException e) {
      throw failed(e, null);
    } finally {
      done();
    }
  }

  /** The point a bookmark names, or -1 if it is not one. */
  private static long pointOf(String bookmark) {
    java.util.regex.Matcher m = BOOKMARK.matcher(bookmark);
    return m.matches() ? Long.parseUnsignedLong(m.group(1), 16) : -1;
  }

  String currentBookmark() {
    return withHistory("getCurrentBookmark", h -> bookmark(h.lastPoint(), h.lastMillis()));
  }

  String bookmarkForTime(Instant time) {
    Objects.requireNonNull(time, "time");
    return withHistory(
        "getBookmarkForTime",
        h -> {
          java.util.OptionalLong point = h.pointAt(time.toEpochMilli());
          if (point.isEmpty()) {
            throw new IllegalArgumentException(
                "No bookmark for "
                    + time
                    + ": the history of "
                    + address
                    + " starts at "
                    + Instant.ofEpochMilli(h.firstMillis())
                    + " (it is kept "
                    + engine.historyRetention().toDays()
                    + " days)");
          }
          return bookmark(point.getAsLong(), h.millisOf(point.getAsLong()));
        });
  }

  String restoreOnNextOpen(String bookmark) {
    Objects.requireNonNull(bookmark, "bookmark");
    return withHistory(
        "onNextSessionRestoreBookmark",
        h -> {
          long point = pointOf(bookmark);
          if (point < 0) {
            throw new IllegalArgumentException(
                "Invalid bookmark \""
                    + bookmark
                    + "\": expected 16 hex digits, '-', 16 hex digits");
          }
          if (!h.contains(point)) {
            throw new IllegalArgumentException(
                "Bookmark "
                    + bookmark
                    + " is not in the history of "
                    + address
                    + " any more (or never was): it holds points from "
                    + bookmark(h.firstPoint(), h.firstMillis()));
          }
          String undo = bookmark(h.lastPoint(), h.lastMillis());
          byte[] marker = bookmark.getBytes(StandardCharsets.US_ASCII);
          if (engine.durability() == Durability.FSYNC) {
            onCommitter(() -> directory.createFile(restoreMarker(), marker, true));
          } else {
            directory.createFile(restoreMarker(), marker, false);
          }
          return undo;
        });
  }

  /**
   * Replaces the database with the state a restore marker names (lock held, no connection, state
   * unknown): the rebuilt file takes the old one's place, no commit log record of the old one can
   * be replayed into it, and the restored state is the history's next point.
   */
  private void restore() throws IOException {
    String bookmark = Files.readString(restoreMarker(), StandardCharsets.US_ASCII).trim();
    long point = pointOf(bookmark);
    if (point < 0) {
      throw new IOException("The restore marker of " + address + " is unreadable: " + bookmark);
    }
    closeHistory();
    History h =
        History.open(
            historyDirectory(), engine.durability() == Durability.FSYNC, engine.historyWriteback());
    try {
      Path rebuilt = file.resolveSibling(id + ".restoring");
      boolean present = h.rebuild(point, rebuilt);
      onCommitter(
          () -> {
            CommitLog log = engine.log();
            if (log != null && Files.exists(file)) {
              log.awaitDurable(log.appendReset(logName()));
            }
            Files.deleteIfExists(walFile);
            if (present) {
              Files.move(
                  rebuilt,
                  file,
                  StandardCopyOption.ATOMIC_MOVE,
                  StandardCopyOption.REPLACE_EXISTING);
            } else {
              Files.deleteIfExists(file);
            }
            directory.sync();
            if (present) {
              h.startGeneration(file, engine.nowMillis());
            } else {
              h.startGeneration((byte[]) null, engine.nowMillis());
            }
            Files.delete(restoreMarker());
            h.close();
          });
      LOG.info("Restored {} to bookmark {}", address, bookmark);
    } catch (IOException | RuntimeException e) {
      h.abandon();
      throw e;
    }
  }

  // ---- the commit log's side ------------------------------------------------------------------

  /**
   * Appends the batch's WAL bytes to the log; returns its frames (without the WAL's header), a view
   * of the record, for the history.
   */
  private ByteBuffer logBatch(CommitLog log, long sequence) throws IOException {
    FileChannel wal = db.wal();
    long size = wal == null ? 0 : wal.size();
    if (size < logged) {
      throw new IOException(
          "The WAL of " + file + " shrank from " + logged + " to " + size + " bytes unexpectedly");
    }
    ByteBuffer record = CommitLog.framesRecord(logName(), logged, Math.toIntExact(size - logged));
    int start = record.position();
    long at = logged;
    while (record.hasRemaining()) {
      int n = wal.read(record, at);
      if (n < 0) {
        throw new IOException("The WAL of " + file + " ended before " + size + " bytes");
      }
      at += n;
    }
    int end = record.position();
    int skip = (int) Math.max(0, WAL_HEADER - logged);
    loggedPosition = log.append(this, sequence, record);
    logged = size;
    return ByteBuffer.wrap(
            record.array(), Math.min(start + skip, end), Math.max(0, end - start - skip))
        .slice();
  }

  private byte[] logName() {
    byte[] n = logName;
    if (n == null) {
      n = CommitLog.name(engine.dataDirectory(), file);
      logName = n;
    }
    return n;
  }

  /** With the commit log, waits until this object's records are durable: before a checkpoint. */
  private void awaitLogged() throws IOException {
    CommitLog log = engine.log();
    if (log != null) {
      log.awaitDurable(loggedPosition);
    }
  }

  /**
   * With the commit log, records that the WAL was checkpointed and truncated (or the file is about
   * to go); with {@code await}, waits until that record is durable.
   */
  private void logReset(boolean await) throws IOException {
    CommitLog log = engine.log();
    if (log != null) {
      long at = log.appendReset(logName());
      logged = 0;
      if (await) {
        log.awaitDurable(at);
      }
    }
  }

  private static void checkpoint(Database d) throws IOException {
    try {
      d.checkpoint();
    } catch (SQLException e) {
      throw new IOException(Database.message(e), e);
    }
  }

  @Override
  public void logDurable(long sequence) {
    finishDurable(sequence);
  }

  @Override
  public void logFailed(IOException cause) {
    fail(cause);
  }

  @Override
  public boolean syncForRetirement() throws IOException {
    try (FileChannel c = FileChannel.open(walFile, StandardOpenOption.READ)) {
      engine.hooks().beforeFsync(walFile);
      c.force(false);
      return true;
    } catch (NoSuchFileException e) {
      return false; // checkpointed and closed, or deleted: nothing left in a WAL
    }
  }

  @Override
  public Path walDirectory() {
    return walFile.getParent();
  }

  /**
   * The committer's way to take the lock: it waits a little (a caller holds the lock for one call
   * at a time) but never long, because the caller may itself be waiting for the committer.
   */
  private boolean tryLock() {
    try {
      return lock.tryLock(COMMITTER_LOCK_WAIT_MS, TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  private static byte[] blob(byte[] value) {
    return value == null ? new byte[0] : value;
  }
}
