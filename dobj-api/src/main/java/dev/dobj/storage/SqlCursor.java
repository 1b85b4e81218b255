package dev.dobj.storage;

import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * The rows of one SQL statement, each an ordered map from column name to value: {@code Long},
 * {@code Double}, {@code String} or {@code byte[]}; a SQL NULL is left out of the row's map (and is
 * {@link java.util.Optional#empty()} in {@link #raw()}). A cursor can be consumed once.
 */
public interface SqlCursor extends Iterable<Map<String, Object>> {
  /** The remaining rows, one at a time. */
  @Override
  Iterator<Map<String, Object>> iterator();

  /** The remaining rows as a list. */
  List<Map<String, Object>> toArray();

  /**
   * The single row of the result.
   *
   * @throws IllegalStateException "Expected exactly one result from SQL query, but got no results."
   *     or "Expected exactly one result from SQL query, but got multiple results."
   */
  Map<String, Object> one();

  /** The remaining rows as value lists, in column order. */
  Iterator<List<java.util.Optional<Object>>> raw();

  /** The result's column names, in order. */
  List<String> columnNames();

  /** Rows read so far by this statement. */
  long rowsRead();

  /** Rows written by this statement. */
  long rowsWritten();
}
