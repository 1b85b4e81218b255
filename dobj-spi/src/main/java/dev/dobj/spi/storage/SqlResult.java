package dev.dobj.spi.storage;

import java.util.List;
import java.util.Objects;

/**
 * The result of one SQL statement.
 *
 * @param columns the column names, in order
 * @param rows the rows; each value is a {@code Long}, {@code Double}, {@code String}, {@code
 *     byte[]} or {@code null} for SQL NULL
 * @param rowsRead rows the statement read
 * @param rowsWritten rows the statement inserted, updated or deleted
 */
public record SqlResult(
    List<String> columns, List<Object[]> rows, long rowsRead, long rowsWritten) {
  public SqlResult {
    Objects.requireNonNull(columns, "columns");
    Objects.requireNonNull(rows, "rows");
  }
}
