package dev.dobj.runtime.crash;

import dev.dobj.AlarmInfo;
import dev.dobj.DurableObject;
import dev.dobj.DurableObjectState;
import dev.dobj.Env;
import dev.dobj.storage.ListOptions;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * The object the crash server hosts. Each method is one turn whose KV and SQL writes must commit
 * together (SPEC.md section 4); the alarm handler writes too, and tells {@link CrashServer} when it
 * ran so that a waiting client wakes up without polling.
 */
public final class CrashObject extends DurableObject implements Crash {
  private static final int BATCH_KEYS = 5;

  public CrashObject(DurableObjectState ctx, Env env) {
    super(ctx, env);
    var sql = ctx.storage().sql();
    sql.exec("CREATE TABLE IF NOT EXISTS applied (id TEXT PRIMARY KEY)");
    sql.exec("CREATE TABLE IF NOT EXISTS batches (k TEXT PRIMARY KEY, v TEXT NOT NULL)");
    sql.exec("CREATE TABLE IF NOT EXISTS fires (token TEXT NOT NULL, boot TEXT NOT NULL)");
  }

  @Override
  public long inc(String requestId) {
    long n = ctx.storage().get("n", Long.class).orElse(0L) + 1;
    ctx.storage().put("n", n);
    ctx.storage().sql().exec("INSERT INTO applied (id) VALUES (?)", requestId);
    return n;
  }

  @Override
  public void batch(String k, String v) {
    Map<String, String> entries = new LinkedHashMap<>();
    for (int i = 0; i < BATCH_KEYS; i++) {
      entries.put("b." + k + "-" + i, v);
    }
    ctx.storage().put(entries);
    ctx.storage().sql().exec("INSERT OR REPLACE INTO batches (k, v) VALUES (?, ?)", k, v);
  }

  @Override
  public void setAlarm(long delayMs, String token) {
    ctx.storage().put("alarmToken", token);
    ctx.storage().setAlarm(Instant.now().plusMillis(delayMs));
  }

  @Override
  public void alarm(AlarmInfo info) {
    long fired = ctx.storage().get("fired", Long.class).orElse(0L) + 1;
    ctx.storage().put("fired", fired);
    String token = ctx.storage().get("alarmToken", String.class).orElse("<none>");
    String boot = env.var("boot").orElse("<unknown>");
    ctx.storage().sql().exec("INSERT INTO fires (token, boot) VALUES (?, ?)", token, boot);
    CrashServer.alarmRan(token);
  }

  @Override
  public Snapshot snapshot() {
    var storage = ctx.storage();
    var sql = storage.sql();
    SortedMap<String, String> kv = storage.list(ListOptions.ALL.withPrefix("b."), String.class);
    Map<String, List<String>> byBatch = new TreeMap<>();
    kv.forEach(
        (key, v) -> {
          String k = key.substring(2, key.lastIndexOf('-'));
          byBatch.computeIfAbsent(k, x -> new ArrayList<>()).add(key + "=" + v);
        });
    Map<String, String> rows = new TreeMap<>();
    for (Map<String, Object> row : sql.exec("SELECT k, v FROM batches")) {
      rows.put((String) row.get("k"), (String) row.get("v"));
      byBatch.computeIfAbsent((String) row.get("k"), x -> new ArrayList<>());
    }
    Map<String, String> batches = new TreeMap<>();
    byBatch.forEach(
        (k, keys) -> {
          String row = rows.get(k);
          boolean whole =
              row != null
                  && keys.size() == BATCH_KEYS
                  && keys.stream().allMatch(e -> e.endsWith("=" + row));
          batches.put(k, whole ? row : "TORN[" + String.join(",", keys) + ",sql=" + row + "]");
        });
    return new Snapshot(
        storage.get("n", Long.class).orElse(0L),
        count("applied"),
        storage.get("fired", Long.class).orElse(0L),
        count("fires"),
        batches);
  }

  private long count(String table) {
    return (Long) ctx.storage().sql().exec("SELECT count(*) AS c FROM " + table).one().get("c");
  }

  @Override
  public List<String> appliedIds() {
    List<String> ids = new ArrayList<>();
    for (Map<String, Object> row : ctx.storage().sql().exec("SELECT id FROM applied")) {
      ids.add((String) row.get("id"));
    }
    return ids;
  }

  @Override
  public List<String> fires() {
    List<String> out = new ArrayList<>();
    for (Map<String, Object> row :
        ctx.storage().sql().exec("SELECT token, boot FROM fires ORDER BY rowid")) {
      out.add(row.get("token") + "@" + row.get("boot"));
    }
    return out;
  }
}
