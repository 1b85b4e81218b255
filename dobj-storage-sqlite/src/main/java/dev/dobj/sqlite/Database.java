package dev.dobj.sqlite;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import org.sqlite.SQLiteConfig;
import org.sqlite.SQLiteConnection;
import org.sqlite.SQLiteErrorCode;
import org.sqlite.SQLiteException;
import org.sqlite.SQLiteOpenMode;

/**
 * One sqlite-jdbc connection with dobj's settings, its cached statements and (for a file) a channel
 * on its {@code -wal} file to fsync it.
 *
 * <p>Settings of a file database: {@code locking_mode=EXCLUSIVE} (one connection per file, so no
 * shared-memory file and no other process can open it meanwhile), {@code journal_mode=WAL}, {@code
 * synchronous=OFF} (a commit only writes the WAL into the page cache; the engine fsyncs), {@code
 * wal_autocheckpoint=0} (the engine checkpoints), {@code foreign_keys=ON}, and SQLite's limits set
 * to the numbers of SPEC.md (100 columns, 100 bound parameters, 100,000-byte statements,
 * 2,000,000-byte values and rows).
 *
 * <p>Not thread-safe: the owner's lock guards every call.
 */
final class Database implements AutoCloseable {
  static final int MAX_COLUMNS = 100;
  static final int MAX_VARIABLES = 100;
  static final int MAX_SQL_LENGTH = 100_000;
  static final int MAX_LENGTH = 2_000_000;

  /**
   * How many of the object's own statements stay prepared per connection: a statement run again
   * skips SQLite's parse and plan (which cost more than running a one-row upsert).
   */
  static final int USER_STATEMENT_CACHE = 32;

  private static final String KV_SCHEMA =
      "CREATE TABLE _dobj_kv (key BLOB PRIMARY KEY, value BLOB NOT NULL) WITHOUT ROWID";
  private static final String META_SCHEMA =
      "CREATE TABLE _dobj_meta (key TEXT PRIMARY KEY, value) WITHOUT ROWID";

  private final SQLiteConnection connection;
  private final Path file; // null in memory
  private final Map<String, PreparedStatement> statements = new HashMap<>();
  // The object's own SQL, most recently used last; the eldest is closed past the capacity.
  private final LinkedHashMap<String, PreparedStatement> userStatements =
      new LinkedHashMap<>(16, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, PreparedStatement> eldest) {
          if (size() <= USER_STATEMENT_CACHE) {
            return false;
          }
          closeQuietly(eldest.getValue());
          return true;
        }
      };
  private FileChannel wal;

  private Database(SQLiteConnection connection, Path file) {
    this.connection = connection;
    this.file = file;
  }

  /** Opens the existing database of an object. */
  static Database openObject(Path file) throws SQLException {
    Database d = new Database(connect("jdbc:sqlite:" + file, false, true), file);
    d.configureFile();
    return d;
  }

  /** A new, empty object database in memory (an object without a file yet), with dobj's tables. */
  static Database openMemoryObject() throws SQLException {
    Database d = new Database(connect("jdbc:sqlite::memory:", true, true), null);
    try {
      d.run(KV_SCHEMA);
      d.run(META_SCHEMA);
    } catch (SQLException e) {
      d.close();
      throw e;
    }
    return d;
  }

  /** Opens (creating it if {@code create}) a namespace's alarm index. */
  static Database openIndex(Path file, boolean create) throws SQLException {
    Database d = new Database(connect("jdbc:sqlite:" + file, create, false), file);
    try {
      d.configureFile();
      d.run(
          "CREATE TABLE IF NOT EXISTS alarms (id TEXT PRIMARY KEY, time INTEGER NOT NULL)"
              + " WITHOUT ROWID");
      d.run("CREATE INDEX IF NOT EXISTS alarms_by_time ON alarms (time, id)");
      d.run(
          "CREATE TABLE IF NOT EXISTS alarm_retries (id TEXT PRIMARY KEY, scheduled INTEGER NOT"
              + " NULL, retries INTEGER NOT NULL, next INTEGER NOT NULL) WITHOUT ROWID");
    } catch (SQLException e) {
      d.close();
      throw e;
    }
    return d;
  }

  private static SQLiteConnection connect(String url, boolean create, boolean limits)
      throws SQLException {
    SQLiteConfig config = new SQLiteConfig();
    if (!create) {
      config.resetOpenMode(SQLiteOpenMode.CREATE);
    }
    config.setBusyTimeout(0);
    // Otherwise the driver runs a regex over the SQL and a query after every statement.
    config.setGetGeneratedKeys(false);
    config.enforceForeignKeys(true);
    if (limits) {
      config.setPragma(SQLiteConfig.Pragma.LIMIT_COLUMN, String.valueOf(MAX_COLUMNS));
      config.setPragma(SQLiteConfig.Pragma.LIMIT_VARIABLE_NUMBER, String.valueOf(MAX_VARIABLES));
      config.setPragma(SQLiteConfig.Pragma.LIMIT_SQL_LENGTH, String.valueOf(MAX_SQL_LENGTH));
      config.setPragma(SQLiteConfig.Pragma.LIMIT_LENGTH, String.valueOf(MAX_LENGTH));
    }
    return (SQLiteConnection) config.createConnection(url);
  }

  private void configureFile() throws SQLException {
    try (Statement s = connection.createStatement()) {
      // Before the first read: then SQLite keeps the WAL index in heap memory, with no -shm file.
      s.execute("PRAGMA locking_mode=EXCLUSIVE");
      try (ResultSet r = s.executeQuery("PRAGMA journal_mode=WAL")) {
        if (!r.next() || !"wal".equalsIgnoreCase(r.getString(1))) {
          throw new SQLException("could not switch " + file + " to WAL mode");
        }
      }
      s.execute("PRAGMA synchronous=OFF");
      s.execute("PRAGMA wal_autocheckpoint=0");
    } catch (SQLException e) {
      close();
      throw e;
    }
  }

  Connection connection() {
    return connection;
  }

  /** Rows changed by INSERT, UPDATE and DELETE (triggers included) since the connection opened. */
  long totalChanges() throws SQLException {
    return connection.getDatabase().total_changes();
  }

  /** A cached prepared statement for engine-owned SQL. */
  PreparedStatement statement(String sql) throws SQLException {
    return cached(statements, sql);
  }

  /**
   * A prepared statement for the object's own SQL, cached (least recently used out, {@value
   * #USER_STATEMENT_CACHE} per connection). The caller binds every parameter, and must {@link
   * #forgetUserStatement} it if a call on it fails.
   */
  PreparedStatement userStatement(String sql) throws SQLException {
    return cached(userStatements, sql);
  }

  private PreparedStatement cached(Map<String, PreparedStatement> cache, String sql)
      throws SQLException {
    PreparedStatement p = cache.get(sql);
    if (p == null) {
      p = connection.prepareStatement(sql);
      cache.put(sql, p);
    }
    return p;
  }

  /** Drops (and closes) the cached statement of the object's own {@code sql} after it failed. */
  void forgetUserStatement(String sql) {
    closeQuietly(userStatements.remove(sql));
  }

  private static void closeQuietly(PreparedStatement p) {
    if (p == null) {
      return;
    }
    try {
      p.close();
    } catch (SQLException ignored) {
      // the statement is unusable either way; closing the connection finalizes what is left
    }
  }

  /**
   * Runs engine-owned SQL that returns no rows. A cached statement that failed is dropped: the
   * driver may have finalized it.
   */
  void run(String sql) throws SQLException {
    PreparedStatement p = statement(sql);
    try {
      p.execute();
    } catch (SQLException e) {
      forget(sql);
      throw e;
    }
  }

  /** Runs SQL that returns no rows once, without caching its statement. */
  void runOnce(String sql) throws SQLException {
    try (Statement s = connection.createStatement()) {
      s.execute(sql);
    }
  }

  /** Drops the cached statement of {@code sql} after it failed. */
  void forget(String sql) {
    closeQuietly(statements.remove(sql));
  }

  /** The first column of the first row of engine-owned SQL as a long (0 without a row). */
  long queryLong(String sql) throws SQLException {
    PreparedStatement p = statement(sql);
    try (ResultSet r = p.executeQuery()) {
      return r.next() ? r.getLong(1) : 0;
    } catch (SQLException e) {
      forget(sql);
      throw e;
    }
  }

  /** The database image (for an in-memory database about to become a file). */
  byte[] serialize() throws SQLException {
    return connection.serialize("main");
  }

  /** The size of the database in bytes (pages times page size; committed or not). */
  long size() throws SQLException {
    return queryLong("PRAGMA page_count") * queryLong("PRAGMA page_size");
  }

  /**
   * Copies the WAL into the database and truncates it. With {@code synchronous=FULL} for the
   * duration SQLite fsyncs the WAL before and the database after copying, so what was committed is
   * durable afterwards whatever the durability setting.
   */
  void checkpoint() throws SQLException {
    run("PRAGMA synchronous=FULL");
    try {
      PreparedStatement p = statement("PRAGMA wal_checkpoint(TRUNCATE)");
      try (ResultSet r = p.executeQuery()) {
        if (r.next() && r.getInt(1) != 0) {
          throw new SQLiteException(
              "the WAL checkpoint of " + file + " could not complete", SQLiteErrorCode.SQLITE_BUSY);
        }
      } catch (SQLException e) {
        forget("PRAGMA wal_checkpoint(TRUNCATE)");
        throw e;
      }
    } finally {
      run("PRAGMA synchronous=OFF");
    }
  }

  /** The {@code -wal} file. */
  Path walFile() {
    return file.resolveSibling(file.getFileName() + "-wal");
  }

  /** A channel on the {@code -wal} file, opened once; null while the file does not exist. */
  FileChannel wal() throws IOException {
    if (wal == null && file != null) {
      try {
        wal = FileChannel.open(walFile(), StandardOpenOption.READ);
      } catch (NoSuchFileException e) {
        return null;
      }
    }
    return wal;
  }

  /** The size of the {@code -wal} file in bytes (0 if none). */
  long walSize() throws IOException {
    FileChannel c = wal();
    return c == null ? 0 : c.size();
  }

  boolean inMemory() {
    return file == null;
  }

  /** Closes the statements, the WAL channel and the connection. */
  @Override
  public void close() throws SQLException {
    statements.values().forEach(Database::closeQuietly);
    statements.clear();
    userStatements.values().forEach(Database::closeQuietly);
    userStatements.clear();
    if (wal != null) {
      try {
        wal.close();
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      } finally {
        wal = null;
        connection.close();
      }
    } else {
      connection.close();
    }
  }

  /**
   * Makes the statement running on this connection stop with {@code SQLITE_INTERRUPT}. Any thread;
   * the caller must make sure the connection stays open meanwhile.
   */
  void interrupt() throws SQLException {
    connection.getDatabase().interrupt();
  }

  // ---- errors ----------------------------------------------------------------------------------

  /**
   * The exception the SPI promises for {@code e}: {@link UncheckedIOException} for I/O and other
   * infrastructure failures (the store must then refuse further use), {@link
   * IllegalArgumentException} with SQLite's message for bad SQL, constraints and limits.
   */
  static RuntimeException translate(SQLException e) {
    if (isInfrastructure(e)) {
      return new UncheckedIOException(new IOException(message(e), e));
    }
    return new IllegalArgumentException(message(e), e);
  }

  /** Whether {@code e} means the database (not the statement) is in trouble. */
  static boolean isInfrastructure(SQLException e) {
    if (!(e instanceof SQLiteException se)) {
      return false;
    }
    int primary = se.getResultCode().code & 0xff;
    return switch (primary) {
      case 3, 5, 7, 8, 9, 10, 11, 13, 14, 15, 26 -> true; // PERM BUSY NOMEM READONLY INTERRUPT
      // IOERR CORRUPT FULL CANTOPEN PROTOCOL NOTADB
      default -> false;
    };
  }

  /**
   * SQLite's own message followed by the primary result code, as Cloudflare shows it ({@code UNIQUE
   * constraint failed: t.x: SQLITE_CONSTRAINT}).
   */
  static String message(SQLException e) {
    String m = e.getMessage() == null ? e.toString() : e.getMessage();
    if (!(e instanceof SQLiteException se)) {
      return m;
    }
    SQLiteErrorCode code = se.getResultCode();
    String prefix = "[" + code.name() + "] " + code.message + " (";
    if (m.startsWith(prefix) && m.endsWith(")")) {
      m = m.substring(prefix.length(), m.length() - 1);
    }
    return m + ": " + primaryName(code);
  }

  private static String primaryName(SQLiteErrorCode code) {
    int primary = code.code & 0xff;
    for (SQLiteErrorCode c : SQLiteErrorCode.values()) {
      if (c.code == primary) {
        return c.name();
      }
    }
    return code.name();
  }
}
