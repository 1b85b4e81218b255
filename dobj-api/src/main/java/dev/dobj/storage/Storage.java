package dev.dobj.storage;

import java.time.Instant;

/**
 * The private storage of one Durable Object ({@code ctx.storage()}): KV, SQL and the alarm, in one
 * atomic store.
 *
 * <p>Every write is visible to the object at once. All writes of one turn (until it ends or waits
 * on something other than storage) commit as one atomic batch; nothing leaves the object before the
 * writes made before it are durable. While a storage operation runs, no other event of the object
 * is delivered. Call only from the object's turns.
 */
public interface Storage extends StorageOperations {
  /**
   * Runs {@code fn} all-or-nothing: an exception rolls back its writes and is rethrown (without
   * resetting the object); {@link Transaction#rollback()} discards them.
   *
   * @throws E what {@code fn} threw, after the rollback
   * @throws IllegalStateException if nested more than 64 deep
   */
  <T, E extends Exception> T transaction(TransactionFunction<T, E> fn) throws E;

  /**
   * Removes all KV and SQL data and the alarm, atomically.
   *
   * @throws IllegalStateException inside {@link #transaction}
   */
  void deleteAll();

  /** Waits until every write made so far is durable. */
  void sync();

  /** The object's SQL database (the same store as the KV data). */
  SqlStorage sql();

  /** A bookmark for the current state, for point-in-time recovery. */
  String getCurrentBookmark();

  /**
   * A bookmark for the state at {@code time}, within the retention window (at least 7 days).
   *
   * @throws IllegalArgumentException outside the retention window
   */
  String getBookmarkForTime(Instant time);

  /**
   * Restores the object to {@code bookmark} the next time it starts; follow with {@code
   * ctx.abort()}.
   *
   * @return a bookmark that undoes the restore
   * @throws IllegalArgumentException for an unknown bookmark
   */
  String onNextSessionRestoreBookmark(String bookmark);
}
