package dev.dobj.spi.storage;

import java.util.List;
import java.util.Objects;

/**
 * The result of one SQL query (of its last statement, for a query of several).
 *
 * @param columns the column names, in order
 * @param rows the rows; each value is a {@code Long}, {@code Double}, {@code String}, {@code
 *     byte[]} or {@code null} for SQL NULL
 * @param rowsRead rows the query read
 * @param rowsWritten rows the query inserted, updated or deleted
 * @param changed whether the query changed the database: rows written, or a schema or setting
 *     changed (DDL, a writing pragma) even with no row written. The runtime holds outgoing messages
 *     behind such a query's commit (output gate); the engine knows best, as it parsed it.
 */
public record SqlResult(
    List<String> columns, List<Object[]> rows, long rowsRead, long rowsWritten, boolean changed) {
  public SqlResult {
    Objects.requireNonNull(columns, "columns");
    Objects.requireNonNull(rows, "rows");
  }

  /** A result that changed the database exactly when it wrote rows. */
  public SqlResult(List<String> columns, List<Object[]> rows, long rowsRead, long rowsWritten) {
    this(columns, rows, rowsRead, rowsWritten, rowsWritten > 0);
  }
}
