package dev.dobj.spi.storage;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/**
 * The durable state of one object: KV entries, a SQL database, one alarm and the object's name, in
 * one transactional store.
 *
 * <p><b>Writes</b> go into the store's open write transaction (begun by the first write after a
 * {@link #commit()}); reads see them at once. {@link #commit()} ends the transaction: all writes
 * since the previous commit become one atomic batch, numbered by a growing sequence. {@link
 * #durable(long)} completes when that batch, and every batch before it, survives what the engine's
 * {@link Durability} promises. A batch is never half-applied: after a crash the store holds a
 * prefix of the committed batches, and every batch whose {@code durable} future completed.
 *
 * <p><b>Threads.</b> One thread at a time calls the store (the activation's turns, one after the
 * other); {@link #durable} futures complete on the engine's threads. Long native work (fsync) never
 * runs on the caller's thread.
 *
 * <p><b>Errors.</b> Bad SQL and limits throw {@link IllegalArgumentException} with SQLite's
 * message; I/O failures throw {@link java.io.UncheckedIOException} or complete {@code durable}
 * exceptionally, after which the store refuses further use (the runtime resets the object).
 */
public interface ObjectStore extends AutoCloseable {
  /** The value under {@code key}, if any. */
  Optional<byte[]> get(String key);

  /**
   * Entries in UTF-8 byte order of their keys: from {@code start} (inclusive) or after {@code
   * startAfter} (exclusive), before {@code end} (exclusive), whose keys begin with {@code prefix};
   * descending when {@code reverse} (the bounds keep their meaning); at most {@code limit}.
   */
  List<Map.Entry<String, byte[]>> list(
      Optional<String> start,
      Optional<String> startAfter,
      Optional<String> end,
      Optional<String> prefix,
      boolean reverse,
      int limit);

  /** Stores {@code value} under {@code key}. */
  void put(String key, byte[] value);

  /**
   * Deletes {@code key}.
   *
   * @return whether it existed
   */
  boolean delete(String key);

  /**
   * Runs a SQL query (one statement, or several separated by semicolons, all or none) with
   * positional {@code bindings} (Long, Integer, Double, String, byte[], Boolean or null), which
   * apply to the last statement.
   *
   * <p>The engine is the one place that refuses what a Durable Object may not run, with SPEC
   * section 4's wording, for every statement of the query: transaction control (the message points
   * at {@code ctx.storage().transaction()}), {@code ATTACH}/{@code DETACH}, names starting with
   * {@code _dobj_}, and pragmas outside its allowed list.
   *
   * @throws IllegalArgumentException a refusal, or SQLite's error for bad SQL, a constraint or a
   *     limit
   */
  SqlResult execute(String sql, Object... bindings);

  /** The size of the object's database in bytes. */
  long databaseSize();

  /** The alarm time, if one is set. */
  Optional<Instant> alarm();

  /** Sets ({@code time} present) or deletes the alarm, in the open write transaction. */
  void setAlarm(Optional<Instant> time);

  /** The name the object was first reached by, if it was persisted. */
  Optional<String> name();

  /** Persists the object's name, in the open write transaction. */
  void setName(String name);

  /** Removes every KV entry, SQL table and the alarm, in the open write transaction. */
  void deleteAll();

  /** Opens a nested savepoint inside the write transaction ({@code storage.transaction}). */
  void savepoint();

  /** Keeps the writes since the innermost open savepoint and closes it. */
  void releaseSavepoint();

  /** Discards the writes since the innermost open savepoint and closes it. */
  void rollbackSavepoint();

  /**
   * Ends the write transaction as one atomic batch. Fast: it does not wait for durability.
   *
   * @return the sequence number of the last batch (unchanged if nothing was written)
   * @throws java.io.UncheckedIOException if the batch could not be written
   */
  long commit();

  /** Discards the writes of the open write transaction. */
  void rollback();

  /**
   * Completes when batch {@code sequence} and every batch before it are durable; completes
   * exceptionally if one could not be made durable.
   */
  CompletableFuture<Void> durable(long sequence);

  /**
   * Stops the SQL statement that another thread is running in this store, as soon as the engine
   * can: that call then throws {@link IllegalStateException}, the open write transaction is
   * discarded, and the store refuses further calls except {@link #rollback()} and {@link #close()}.
   * Batches committed before stay committed. Does nothing when no statement runs. Any thread may
   * call it; it does not wait. The runtime calls it when it resets an object whose turn is stuck in
   * its storage (SPEC: a storage operation over 30 s).
   */
  default void interrupt() {}

  // ---- point-in-time recovery (SPEC section 4) ---------------------------------------------

  /**
   * A bookmark for the state after the last committed batch. Bookmarks are opaque strings; those of
   * one object sort (as strings) in the order of the states they name.
   *
   * @throws UnsupportedOperationException if the engine keeps no history
   * @throws IllegalStateException if a write transaction is open
   */
  default String currentBookmark() {
    throw noHistory();
  }

  /**
   * A bookmark for the state at {@code time}: after the last batch committed at or before it.
   *
   * @throws IllegalArgumentException if the history does not reach back to {@code time}
   * @throws UnsupportedOperationException if the engine keeps no history
   */
  default String bookmarkForTime(Instant time) {
    throw noHistory();
  }

  /**
   * Makes the next opening of this object's store restore the state {@code bookmark} names (the
   * caller then closes the store, as {@code ctx.abort()} does).
   *
   * @return a bookmark for the state before the restore, which undoes it
   * @throws IllegalArgumentException for a malformed bookmark, or one the history no longer holds
   * @throws UnsupportedOperationException if the engine keeps no history
   * @throws IllegalStateException if a write transaction is open
   */
  default String restoreOnNextOpen(String bookmark) {
    throw noHistory();
  }

  private static UnsupportedOperationException noHistory() {
    return new UnsupportedOperationException(
        "Point-in-time recovery (bookmarks) is not available with this storage engine");
  }

  /** Commits nothing further; releases the store (pending durability still completes). */
  @Override
  void close();
}
