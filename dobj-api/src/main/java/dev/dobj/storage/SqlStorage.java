package dev.dobj.storage;

/**
 * The object's SQL database (SQLite dialect). Statements run at once and their writes join the
 * turn's atomic batch with the KV writes.
 *
 * <p>Refused, with a clear error: {@code BEGIN}, {@code COMMIT}, {@code SAVEPOINT} and the like
 * (use {@link Storage#transaction}); {@code ATTACH}; names starting with {@code _dobj_} (reserved).
 * Limits: 100 columns per table, 100 bound parameters, 100 KB per statement, 2 MB per row or value.
 */
public interface SqlStorage {
  /**
   * Runs {@code query} with positional {@code bindings} ({@code ?}).
   *
   * @throws IllegalArgumentException for bad SQL (SQLite's message), a refused statement, or a
   *     limit exceeded, naming the limit and the actual size
   */
  SqlCursor exec(String query, Object... bindings);

  /** The size of the object's database in bytes. */
  long databaseSize();
}
