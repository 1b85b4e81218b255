package dev.dobj.runtime.storage;

import dev.dobj.AlarmInfo;
import dev.dobj.DurableObject;
import dev.dobj.DurableObjectState;
import dev.dobj.Env;
import dev.dobj.storage.ListOptions;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/** Objects with storage that the storage tests bind. */
final class StoreFixtures {
  private StoreFixtures() {}

  /** What objects report, per test (keyed by the env var "probe"). */
  static final Map<String, List<String>> LOGS = new ConcurrentHashMap<>();

  static List<String> log(Env env) {
    return LOGS.computeIfAbsent(
        env.var("probe").orElse("default"), k -> new CopyOnWriteArrayList<>());
  }

  private static final Map<String, java.util.concurrent.CountDownLatch> GATES =
      new java.util.concurrent.ConcurrentHashMap<>();

  /** Lets the turns blocked in {@code block(gate)} go on. */
  static void open(String gate) {
    GATES.computeIfAbsent(gate, g -> new java.util.concurrent.CountDownLatch(1)).countDown();
  }

  record Item(String name, long count, List<String> tags) {}

  interface Store {
    void put(String key, String value);

    Optional<String> get(String key);

    boolean delete(String key);

    int deleteMany(List<String> keys);

    Map<String, String> getMany(List<String> keys);

    void putMany(Map<String, String> entries);

    Map<String, String> list(ListOptions options);

    long increment(String key);

    /** {@link #increment}, then notes {@code "inc <key> <value>"} in the probe's log. */
    long incrementAndNote(String key);

    long incrementTwiceAndFail(String key);

    long incrementTimes(String key, int times);

    long putThenRolledBackTransaction(String key, long value);

    void putItem(String key, Item item);

    Optional<Item> getItem(String key);

    void putBytes(String key, byte[] value);

    void putNull(String key);

    long txnIncrement(String key, boolean fail, boolean rollback);

    void deleteAllInTransaction();

    void deleteAll();

    List<Map<String, String>> sql(String query, List<String> bindings);

    long sqlIncrement();

    String sqlOne(String query);

    List<String> sqlColumns(String query);

    List<Long> sqlCounts(String query);

    long databaseSize();

    /** Writes KV and SQL in one turn. */
    void writeBoth(String key, String value);

    Optional<Instant> getAlarm();

    void setAlarm(long epochMillis);

    void deleteAlarm();

    String name();

    void sync();

    void putUnconfirmed(String key, String value);

    /** Adds {@code entry} to the test's log; writes nothing. */
    void note(String entry);

    /** Holds the object's turn until the test calls {@link StoreFixtures#open}; writes nothing. */
    void block(String gate);

    /** Writes, then calls {@code other}.put(k, v) asynchronously and waits for it. */
    void writeThenCallOut(dev.dobj.DurableObjectStub<Store> other, String key, String value);
  }

  /** An object whose every method is one storage operation. */
  public abstract static class StoreBase extends DurableObject implements Store {
    final List<String> log;

    StoreBase(DurableObjectState ctx, Env env) {
      super(ctx, env);
      this.log = log(env);
    }

    @Override
    public void put(String key, String value) {
      ctx.storage().put(key, value);
    }

    @Override
    public Optional<String> get(String key) {
      return ctx.storage().get(key, String.class);
    }

    @Override
    public boolean delete(String key) {
      return ctx.storage().delete(key);
    }

    @Override
    public int deleteMany(List<String> keys) {
      return ctx.storage().delete(keys);
    }

    @Override
    public Map<String, String> getMany(List<String> keys) {
      return ctx.storage().get(keys, String.class);
    }

    @Override
    public void putMany(Map<String, String> entries) {
      ctx.storage().put(entries);
    }

    @Override
    public Map<String, String> list(ListOptions options) {
      return ctx.storage().list(options, String.class);
    }

    @Override
    public long increment(String key) {
      long next = ctx.storage().get(key, Long.class).orElse(0L) + 1;
      ctx.storage().put(key, next);
      return next;
    }

    @Override
    public long incrementAndNote(String key) {
      long next = increment(key);
      log.add("inc " + key + " " + next);
      return next;
    }

    @Override
    public long incrementTimes(String key, int times) {
      long last = 0;
      for (int i = 0; i < times; i++) {
        last = increment(key);
      }
      return last;
    }

    @Override
    public long putThenRolledBackTransaction(String key, long value) {
      ctx.storage().put(key, value);
      ctx.storage()
          .transaction(
              txn -> {
                txn.put(key, value + 100);
                txn.rollback();
                return null;
              });
      return ctx.storage().get(key, Long.class).orElseThrow();
    }

    @Override
    public long incrementTwiceAndFail(String key) {
      increment(key);
      increment(key);
      throw new IllegalStateException("failed after writing");
    }

    @Override
    public void putItem(String key, Item item) {
      ctx.storage().put(key, item);
    }

    @Override
    public Optional<Item> getItem(String key) {
      return ctx.storage().get(key, Item.class);
    }

    @Override
    public void putBytes(String key, byte[] value) {
      ctx.storage().put(key, value);
    }

    @Override
    public void putNull(String key) {
      ctx.storage().put(key, null);
    }

    @Override
    public long txnIncrement(String key, boolean fail, boolean rollback) {
      return ctx.storage()
          .transaction(
              txn -> {
                long next = txn.get(key, Long.class).orElse(0L) + 1;
                txn.put(key, next);
                if (rollback) {
                  txn.rollback();
                }
                if (fail) {
                  throw new IllegalStateException("transaction failed on purpose");
                }
                return next;
              });
    }

    @Override
    public void deleteAllInTransaction() {
      ctx.storage()
          .transaction(
              txn -> {
                ctx.storage().deleteAll();
                return null;
              });
    }

    @Override
    public void deleteAll() {
      ctx.storage().deleteAll();
    }

    @Override
    public List<Map<String, String>> sql(String query, List<String> bindings) {
      List<Map<String, String>> rows = new ArrayList<>();
      for (Map<String, Object> row : ctx.storage().sql().exec(query, bindings.toArray())) {
        Map<String, String> out = new java.util.LinkedHashMap<>();
        row.forEach((k, v) -> out.put(k, String.valueOf(v)));
        rows.add(out);
      }
      return rows;
    }

    @Override
    public long sqlIncrement() {
      var sql = ctx.storage().sql();
      sql.exec("CREATE TABLE IF NOT EXISTS counter (id INTEGER PRIMARY KEY, value INTEGER)");
      sql.exec(
          "INSERT INTO counter (id, value) VALUES (1, 1)"
              + " ON CONFLICT(id) DO UPDATE SET value = value + 1");
      return (Long) sql.exec("SELECT value FROM counter WHERE id = 1").one().get("value");
    }

    @Override
    public String sqlOne(String query) {
      return String.valueOf(ctx.storage().sql().exec(query).one());
    }

    @Override
    public List<String> sqlColumns(String query) {
      return ctx.storage().sql().exec(query).columnNames();
    }

    @Override
    public List<Long> sqlCounts(String query) {
      var cursor = ctx.storage().sql().exec(query);
      cursor.toArray();
      return List.of(cursor.rowsRead(), cursor.rowsWritten());
    }

    @Override
    public long databaseSize() {
      return ctx.storage().sql().databaseSize();
    }

    @Override
    public void writeBoth(String key, String value) {
      ctx.storage().put(key, value);
      ctx.storage().sql().exec("CREATE TABLE IF NOT EXISTS t (k TEXT PRIMARY KEY, v TEXT)");
      ctx.storage().sql().exec("INSERT OR REPLACE INTO t VALUES (?, ?)", key, value);
    }

    @Override
    public Optional<Instant> getAlarm() {
      return ctx.storage().getAlarm();
    }

    @Override
    public void setAlarm(long epochMillis) {
      ctx.storage().setAlarm(Instant.ofEpochMilli(epochMillis));
    }

    @Override
    public void deleteAlarm() {
      ctx.storage().deleteAlarm();
    }

    @Override
    public String name() {
      return ctx.id().name().orElse("<none>");
    }

    @Override
    public void sync() {
      ctx.storage().sync();
    }

    @Override
    public void note(String entry) {
      log.add(entry);
    }

    @Override
    public void block(String gate) {
      try {
        GATES.computeIfAbsent(gate, g -> new java.util.concurrent.CountDownLatch(1)).await();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }

    @Override
    public void putUnconfirmed(String key, String value) {
      ctx.storage().put(key, value, dev.dobj.storage.PutOptions.ALLOW_UNCONFIRMED);
    }

    @Override
    public void writeThenCallOut(
        dev.dobj.DurableObjectStub<Store> other, String key, String value) {
      ctx.storage().put(key, value);
      other.runAsync(s -> s.put(key, value)).join();
    }
  }

  /** The storage methods, with an alarm handler steered by the key "alarm-mode". */
  public static class StoreObject extends StoreBase {
    public StoreObject(DurableObjectState ctx, Env env) {
      super(ctx, env);
    }

    @Override
    public void alarm(AlarmInfo info) {
      String mode = ctx.storage().get("alarm-mode", String.class).orElse("ok");
      log.add(
          "alarm retry="
              + info.retryCount()
              + " isRetry="
              + info.isRetry()
              + " scheduled="
              + info.scheduledTime().toEpochMilli()
              + " name="
              + ctx.id().name().orElse("<none>"));
      switch (mode) {
        case "fail" -> throw new IllegalStateException("alarm failed on purpose");
        case "again" -> {
          ctx.storage().put("alarm-mode", "ok");
          ctx.storage().setAlarm(info.scheduledTime().plusSeconds(60));
        }
        default -> {}
      }
    }
  }

  /** The same storage methods, without an alarm handler. */
  public static class NoAlarmObject extends StoreBase {
    public NoAlarmObject(DurableObjectState ctx, Env env) {
      super(ctx, env);
      Optional<String> at = env.var("alarmInConstructor");
      if (at.isPresent() && ctx.storage().getAlarm().isEmpty()) {
        ctx.storage().setAlarm(Instant.ofEpochMilli(Long.parseLong(at.get())));
      }
    }
  }
}
