package dev.dobj.runtime.internal.storage;

import dev.dobj.spi.storage.SqlResult;
import dev.dobj.storage.SqlCursor;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Optional;

/**
 * The rows of one statement, consumed once: by iteration, {@link #toArray}, {@link #one} or {@link
 * #raw}. Rows are ordered maps without SQL NULL columns; {@link #raw} keeps every column as an
 * {@code Optional}.
 */
final class Cursor implements SqlCursor {
  private final SqlResult result;
  private int next;

  Cursor(SqlResult result) {
    this.result = result;
  }

  @Override
  public Iterator<Map<String, Object>> iterator() {
    return new Iterator<>() {
      @Override
      public boolean hasNext() {
        return next < result.rows().size();
      }

      @Override
      public Map<String, Object> next() {
        if (!hasNext()) {
          throw new NoSuchElementException("No more rows");
        }
        return row(result.rows().get(next++));
      }
    };
  }

  private Map<String, Object> row(Object[] values) {
    Map<String, Object> row = new LinkedHashMap<>();
    for (int i = 0; i < values.length; i++) {
      if (values[i] != null) {
        row.put(result.columns().get(i), copy(values[i]));
      }
    }
    return Collections.unmodifiableMap(row);
  }

  private static Object copy(Object v) {
    return v instanceof byte[] b ? b.clone() : v;
  }

  @Override
  public List<Map<String, Object>> toArray() {
    List<Map<String, Object>> rows = new ArrayList<>();
    iterator().forEachRemaining(rows::add);
    return List.copyOf(rows);
  }

  @Override
  public Map<String, Object> one() {
    int remaining = result.rows().size() - next;
    if (remaining == 0) {
      throw new IllegalStateException(
          "Expected exactly one result from SQL query, but got no results.");
    }
    if (remaining > 1) {
      throw new IllegalStateException(
          "Expected exactly one result from SQL query, but got multiple results.");
    }
    return row(result.rows().get(next++));
  }

  @Override
  public Iterator<List<Optional<Object>>> raw() {
    return new Iterator<>() {
      @Override
      public boolean hasNext() {
        return next < result.rows().size();
      }

      @Override
      public List<Optional<Object>> next() {
        if (!hasNext()) {
          throw new NoSuchElementException("No more rows");
        }
        Object[] values = result.rows().get(next++);
        List<Optional<Object>> out = new ArrayList<>(values.length);
        for (Object v : values) {
          out.add(Optional.ofNullable(copy(v)));
        }
        return Collections.unmodifiableList(out);
      }
    };
  }

  @Override
  public List<String> columnNames() {
    return result.columns();
  }

  @Override
  public long rowsRead() {
    return result.rowsRead();
  }

  @Override
  public long rowsWritten() {
    return result.rowsWritten();
  }
}
