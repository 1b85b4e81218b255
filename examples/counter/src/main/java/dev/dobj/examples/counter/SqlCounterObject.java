package dev.dobj.examples.counter;

import dev.dobj.DurableObject;
import dev.dobj.DurableObjectState;
import dev.dobj.Env;
import dev.dobj.storage.SqlStorage;
import java.util.Map;

/**
 * One counter per name, kept with the SQL API: a one-row table that the constructor creates. The
 * constructor runs before any event reaches the object (nothing else runs meanwhile), so the
 * methods can rely on the table.
 */
public final class SqlCounterObject extends DurableObject implements Counter {
  private final SqlStorage sql;

  /** Called by the runtime when the object is first reached; creates the table if missing. */
  public SqlCounterObject(DurableObjectState ctx, Env env) {
    super(ctx, env);
    this.sql = ctx.storage().sql();
    sql.exec(
        "CREATE TABLE IF NOT EXISTS counter"
            + " (id INTEGER PRIMARY KEY CHECK (id = 1), value INTEGER NOT NULL)");
  }

  @Override
  public CounterValue noop() {
    return new CounterValue(name(), 42);
  }

  @Override
  public CounterValue increment() {
    // One statement: the upsert answers the new value (RETURNING).
    return new CounterValue(
        name(),
        value(
            sql.exec(
                    "INSERT INTO counter (id, value) VALUES (1, 1)"
                        + " ON CONFLICT (id) DO UPDATE SET value = value + 1"
                        + " RETURNING value")
                .one()));
  }

  @Override
  public CounterValue get() {
    // An aggregate always answers one row: 0 before the first increment.
    return new CounterValue(
        name(), value(sql.exec("SELECT coalesce(max(value), 0) AS value FROM counter").one()));
  }

  private static long value(Map<String, Object> row) {
    return (Long) row.get("value");
  }

  private String name() {
    return ctx.id().name().orElse(ctx.id().toString());
  }
}
