package dev.dobj.sqlite;

import dev.dobj.spi.storage.ObjectStore;
import dev.dobj.spi.storage.SqlResult;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/**
 * One lease of an object's store: what {@link SqliteStorageEngine#open} hands to an activation.
 * Every call goes to the object's {@link ObjectDatabase} while the lease lasts; afterwards calls
 * throw {@link IllegalStateException}. Thread-safe as the SPI asks (one caller at a time; {@code
 * closed} is volatile because the engine revokes the lease from its own thread when it closes).
 */
final class SqliteObjectStore implements ObjectStore {
  private final ObjectDatabase object;
  private final SqliteStorageEngine engine;
  private volatile boolean closed;
  private volatile boolean revoked;

  SqliteObjectStore(ObjectDatabase object, SqliteStorageEngine engine) {
    this.object = object;
    this.engine = engine;
  }

  private ObjectDatabase object() {
    if (closed || revoked) {
      throw new IllegalStateException(
          "The store of "
              + object.address()
              + (revoked ? " was closed with its storage engine" : " is closed")
              + "; open it again with StorageEngine.open()");
    }
    return object;
  }

  /** Whether a write transaction is open (a batch not yet committed); for the engine's tests. */
  boolean transactionOpen() {
    return object().busy();
  }

  /** The engine is closing: the lease ends without the caller. */
  void revoke() {
    revoked = true;
  }

  @Override
  public Optional<byte[]> get(String key) {
    return object().get(key);
  }

  @Override
  public List<Map.Entry<String, byte[]>> list(
      Optional<String> start,
      Optional<String> startAfter,
      Optional<String> end,
      Optional<String> prefix,
      boolean reverse,
      int limit) {
    return object().list(start, startAfter, end, prefix, reverse, limit);
  }

  @Override
  public void put(String key, byte[] value) {
    object().put(key, value);
  }

  @Override
  public boolean delete(String key) {
    return object().delete(key);
  }

  @Override
  public SqlResult execute(String sql, Object... bindings) {
    return object().execute(sql, bindings);
  }

  @Override
  public void interrupt() {
    object.interrupt(); // also once closed: a call still running must not be left behind
  }

  @Override
  public long databaseSize() {
    return object().databaseSize();
  }

  @Override
  public String currentBookmark() {
    return object().currentBookmark();
  }

  @Override
  public String bookmarkForTime(Instant time) {
    return object().bookmarkForTime(time);
  }

  @Override
  public String restoreOnNextOpen(String bookmark) {
    return object().restoreOnNextOpen(bookmark);
  }

  @Override
  public Optional<Instant> alarm() {
    return object().alarm();
  }

  @Override
  public void setAlarm(Optional<Instant> time) {
    object().setAlarm(time);
  }

  @Override
  public Optional<String> name() {
    return object().name();
  }

  @Override
  public void setName(String name) {
    object().setName(name);
  }

  @Override
  public void deleteAll() {
    object().deleteAll();
  }

  @Override
  public void savepoint() {
    object().savepoint();
  }

  @Override
  public void releaseSavepoint() {
    object().releaseSavepoint();
  }

  @Override
  public void rollbackSavepoint() {
    object().rollbackSavepoint();
  }

  @Override
  public long commit() {
    return object().commit();
  }

  @Override
  public void rollback() {
    object().rollback();
  }

  @Override
  public CompletableFuture<Void> durable(long sequence) {
    return object().durable(sequence);
  }

  /** Discards the open transaction and returns the store to the engine; idempotent. */
  @Override
  public void close() {
    if (closed) {
      return;
    }
    closed = true;
    if (!revoked) {
      engine.release(object, this);
    }
  }

  @Override
  public String toString() {
    return "store of " + object.address();
  }
}
