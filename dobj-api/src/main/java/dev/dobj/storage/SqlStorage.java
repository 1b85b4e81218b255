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
   * Runs {@code query} with positional {@code bindings} ({@code ?}). As on Cloudflare, {@code
   * query} may hold several statements separated by semicolons: they run in order, as one (all or
   * none), the bindings go to the last statement, and the cursor is the last statement's (its
   * {@code rowsRead} and {@code rowsWritten} count every statement). A statement before the last
   * one with a {@code ?} is refused.
   *
   * @throws IllegalArgumentException for bad SQL (SQLite's message), a refused statement, or a
   *     limit exceeded, naming the limit and the actual size
   */
  SqlCursor exec(String query, Object... bindings);

  /** The size of the object's database in bytes. */
  long databaseSize();
}
