package dev.dobj.runtime.internal.storage;

import dev.dobj.spi.storage.SqlResult;
import dev.dobj.storage.SqlCursor;
import dev.dobj.storage.SqlStorage;
import java.util.Objects;

/**
 * {@code ctx.storage().sql()}: runs queries on the object's database inside the open batch. The
 * storage engine refuses what would break the object's storage (transaction control, {@code
 * ATTACH}, dobj's reserved names, pragmas outside its list) for every statement of a query, with
 * SPEC section 4's wording; this view adds the turn's checks and the output gate: a query that
 * changed the database holds the turn's outgoing messages until its batch is durable.
 */
final class SqlView implements SqlStorage {
  private final ObjectStorage storage;

  SqlView(ObjectStorage storage) {
    this.storage = storage;
  }

  @Override
  public SqlCursor exec(String query, Object... bindings) {
    storage.check("sql().exec");
    Objects.requireNonNull(query, "query");
    Object[] args = bindings == null ? new Object[] {null} : bindings;
    SqlResult result = storage.store().execute(query, args);
    if (result.changed()) {
      storage.wrote();
    }
    return new Cursor(result);
  }

  @Override
  public long databaseSize() {
    storage.check("sql().databaseSize");
    return storage.store().databaseSize();
  }
}
