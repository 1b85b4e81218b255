package dev.dobj.runtime.internal.storage;

import dev.dobj.rpc.codec.RpcCodec;
import dev.dobj.rpc.codec.ValuePlan;
import dev.dobj.runtime.internal.gate.OutputGate;
import dev.dobj.runtime.internal.metrics.NamespaceMeters;
import dev.dobj.spi.storage.ObjectStore;
import dev.dobj.storage.ListOptions;
import dev.dobj.storage.PutOptions;
import dev.dobj.storage.SqlStorage;
import dev.dobj.storage.Storage;
import dev.dobj.storage.TransactionFunction;
import java.lang.invoke.MethodType;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.function.Consumer;

/**
 * {@code ctx.storage()} of one activation, over the object's {@link ObjectStore}.
 *
 * <p><b>Writes</b> go into the store's open write transaction, so KV and SQL writes of a turn share
 * one batch and reads (KV or SQL) see them at once. KV puts wait in {@code unflushed} (encoded, the
 * last value per key) until something must see the store: a read the cache cannot answer, a list, a
 * delete, SQL, a savepoint or the commit. So a hot key written by every turn of a batch costs one
 * store write per batch, not one per turn. {@link #commitBatch()} ends the batch; the activation
 * calls it when a turn ends or waits on something outside storage, and the output gate calls it
 * before a message leaves. Consecutive turns therefore commit in the order they ran, and the
 * engine's durability covers them in groups.
 *
 * <p><b>Cache.</b> Decoded KV values are cached (bounded, least recently used first out), so
 * repeated reads cost no decoding; values are copied out and in like RPC values unless immutable.
 * Absent keys are cached too. The cache is cleared whenever a rollback or {@code deleteAll} could
 * make it disagree with the store.
 *
 * <p>Turn-confined: every method checks that the calling thread runs a turn of the object. A failed
 * commit is reported to the activation (which resets the object) and fails the messages held behind
 * it.
 */
public final class ObjectStorage implements Storage {
  private static final Object ABSENT = new Object();
  private static final int CACHE_ENTRIES = 10_000;
  private static final int MAX_TRANSACTION_DEPTH = 64;

  private final WatchedStore store;
  private final RpcCodec codec;
  private final StorageHooks hooks;
  private final NamespaceMeters meters;
  private final OutputGate outputGate = new StorageOutputGate(this);
  private final SqlView sql;
  private final LinkedHashMap<String, Object> cache =
      new LinkedHashMap<>(64, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Object> eldest) {
          return size() > CACHE_ENTRIES;
        }
      };

  // turn-confined: encoded KV puts not yet sent to the store, last value per key, in order
  private final LinkedHashMap<String, byte[]> unflushed = new LinkedHashMap<>();
  // turn-confined (volatile: the gate asks whether a batch is open before it goes idle)
  private volatile boolean dirty;
  // turn-confined: turns whose writes are in the open batch
  private int turnsInBatch;
  // turn-confined: messages released while the batch was open; they wait for it
  private List<Held> held = new ArrayList<>();
  // turn-confined: the open batch has a write that holds the output gate (not allowUnconfirmed)
  private boolean dirtyGated;
  private boolean namePersisted;
  private int transactionDepth;
  private Optional<Instant> committedAlarm;
  private Optional<Instant> pendingAlarm; // null: unchanged in the open batch
  private long lastSequence = -1;
  private CompletableFuture<Void> lastDurable = CompletableFuture.completedFuture(null);
  // Whether the last batch was not yet durable when it committed (an engine that syncs later).
  private boolean durabilityDeferred;
  // The durability of the last batch with a gated write: what outgoing messages wait for.
  private CompletableFuture<Void> lastGated = lastDurable;
  private volatile boolean closed;

  /**
   * The storage of one activation.
   *
   * @param meters the namespace's meters: commits (turns per batch, latency to durability) and the
   *     output gate's hold time are recorded there
   * @param clock the runtime's clock: each call into the engine notes its start by it, for the
   *     watchdog ({@link #storageCallStartedMillis()})
   */
  public ObjectStorage(
      ObjectStore store,
      RpcCodec codec,
      StorageHooks hooks,
      NamespaceMeters meters,
      InstantSource clock) {
    this.store = new WatchedStore(store, clock);
    this.meters = meters;
    this.codec = codec;
    this.hooks = hooks;
    this.sql = new SqlView(this);
    this.namePersisted = store.name().isPresent();
  }

  /** The output gate of the object. */
  public OutputGate outputGate() {
    return outputGate;
  }

  /** The name persisted with the object, if any. */
  public Optional<String> persistedName() {
    return store.name();
  }

  /** The alarm the store holds (committed or pending in the open batch). */
  public Optional<Instant> currentAlarm() {
    if (pendingAlarm != null) {
      return pendingAlarm;
    }
    if (committedAlarm == null) {
      committedAlarm = store.alarm();
    }
    return committedAlarm;
  }

  /** The store, with every pending put sent to it (for SQL, which must see them). */
  ObjectStore store() {
    flushPuts();
    return store;
  }

  /** Sends the pending puts to the store's open transaction. */
  private void flushPuts() {
    if (unflushed.isEmpty()) {
      return;
    }
    try {
      for (Map.Entry<String, byte[]> e : unflushed.entrySet()) {
        store.put(e.getKey(), e.getValue());
      }
    } finally {
      unflushed.clear();
    }
  }

  String describe() {
    return hooks.describe();
  }

  void check(String method) {
    if (closed) {
      throw new IllegalStateException(
          "The storage of " + hooks.describe() + " is closed: the object was reset or evicted");
    }
    hooks.checkTurn("storage()." + method);
  }

  void wrote() {
    dirty = true;
    dirtyGated = true;
  }

  private void wrote(PutOptions options) {
    dirty = true;
    dirtyGated |= !options.allowUnconfirmed();
  }

  // ---- batches --------------------------------------------------------------------------------

  private record Held(Runnable send, Consumer<RuntimeException> fail) {}

  /**
   * When the call that a turn is running in the engine began (the clock's millis), or {@link
   * Long#MIN_VALUE} when none runs. Any thread.
   */
  public long storageCallStartedMillis() {
    return store.callStartedMillis();
  }

  /** Whether writes wait in an open batch (not yet committed). */
  public boolean hasOpenBatch() {
    return dirty;
  }

  /** How many turns have writes in the open batch. */
  public int turnsInBatch() {
    return turnsInBatch;
  }

  /** A turn ended and left its writes in the open batch, to share the next commit. */
  public void turnEnded() {
    turnsInBatch++;
  }

  /**
   * Whether the engine is still making an earlier batch durable (an fsync in flight). While it is,
   * turns gain nothing by committing: their batch would wait for that sync anyway.
   */
  public boolean syncInFlight() {
    return !lastDurable.isDone();
  }

  /**
   * Runs {@code then} once the last committed batch's sync is done (succeeded or failed), on the
   * thread that ends it, or at once if it is done. Must not block.
   */
  public void afterLastSync(Runnable then) {
    lastDurable.whenComplete((v, err) -> then.run());
  }

  /** Whether the last batch became durable after its commit rather than with it. */
  public boolean durabilityDeferred() {
    return durabilityDeferred;
  }

  /**
   * Sends {@code send} once every gated write so far is durable: at once if none is pending, after
   * the open batch is committed and durable if one is open. {@code fail} runs instead if the commit
   * fails or the object is reset first.
   */
  void hold(Runnable send, Consumer<RuntimeException> fail) {
    if (meters.enabled()) {
      long start = meters.now();
      holdUnmetered(
          () -> {
            meters.released(start);
            send.run();
          },
          fail);
    } else {
      holdUnmetered(send, fail);
    }
  }

  private void holdUnmetered(Runnable send, Consumer<RuntimeException> fail) {
    if (dirty) {
      held.add(new Held(send, fail));
      return;
    }
    CompletableFuture<Void> gate = lastGated;
    if (gate.isDone() && !gate.isCompletedExceptionally()) {
      send.run();
      return;
    }
    gate.whenComplete(
        (v, err) -> {
          if (err == null) {
            send.run();
          } else {
            fail.accept(commitFailed(err));
          }
        });
  }

  /**
   * Ends the open batch (if anything was written) and returns what an outgoing message must wait
   * for: the durability of the last batch that had a write not marked {@code allowUnconfirmed}.
   */
  public CompletableFuture<Void> commitBatch() {
    commit();
    return lastGated;
  }

  /** Ends the open batch and returns the durability of every batch so far ({@code sync()}). */
  CompletableFuture<Void> commitAll() {
    commit();
    return lastDurable;
  }

  private void commit() {
    if (!dirty) {
      return;
    }
    if (transactionDepth > 0) {
      throw new IllegalStateException(
          "A storage transaction of " + hooks.describe() + " is still open at the end of its turn");
    }
    if (!namePersisted) {
      Optional<String> name = hooks.name();
      if (name.isPresent()) {
        store.setName(name.get());
      }
      namePersisted = true;
    }
    long sequence;
    long start = meters.now();
    try {
      flushPuts();
      sequence = store.commit();
    } catch (RuntimeException e) {
      dirty = false;
      dirtyGated = false;
      RuntimeException failure = commitFailed(e);
      failHeld(failure);
      throw failure;
    }
    dirty = false;
    boolean gated = dirtyGated;
    dirtyGated = false;
    if (pendingAlarm != null) {
      committedAlarm = pendingAlarm;
      pendingAlarm = null;
      hooks.alarmCommitted(committedAlarm);
    }
    meters.committed(turnsInBatch);
    if (sequence != lastSequence) {
      lastSequence = sequence;
      CompletableFuture<Void> durable = store.durable(sequence);
      durable.whenComplete(
          (v, err) -> {
            if (err != null) {
              commitFailed(err);
            } else {
              meters.durable(start);
            }
          });
      lastDurable = durable;
      durabilityDeferred = !durable.isDone();
    }
    if (gated) {
      lastGated = lastDurable;
    }
    turnsInBatch = 0;
    if (!held.isEmpty()) {
      List<Held> waiting = held;
      held = new ArrayList<>();
      lastGated.whenComplete(
          (v, err) -> {
            RuntimeException failure = err == null ? null : commitFailed(err);
            for (Held h : waiting) {
              if (failure == null) {
                h.send.run();
              } else {
                h.fail.accept(failure);
              }
            }
          });
    }
  }

  RuntimeException commitFailed(Throwable cause) {
    Throwable c =
        cause instanceof CompletionException && cause.getCause() != null ? cause.getCause() : cause;
    return hooks.commitFailed(c);
  }

  /**
   * Closes the storage: the store goes back to the engine; later calls fail. An open batch is
   * discarded and the messages waiting for it fail with {@code cause}.
   */
  public void close(RuntimeException cause) {
    if (!closed) {
      closed = true;
      // A turn stuck in the engine (reset from another thread) holds the store: stop it first.
      store.stopRunningCall();
      unflushed.clear();
      if (dirty) {
        store.rollback();
        dirty = false;
      }
      failHeld(cause);
      store.close();
    }
  }

  private void failHeld(RuntimeException cause) {
    List<Held> waiting = held;
    held = new ArrayList<>();
    for (Held h : waiting) {
      h.fail.accept(cause);
    }
  }

  // ---- encoded KV (tools: the CLI's storage command) ------------------------------------------

  /**
   * The stored encoding (the RPC codec's JSON, UTF-8) of the value under {@code key}, if any, as a
   * {@code get} in this turn would see it.
   */
  public Optional<byte[]> getEncoded(String key) {
    check("get");
    StorageLimits.checkKey(key);
    flushPuts();
    return store.get(key);
  }

  /**
   * Stores {@code encoded} (JSON as the RPC codec writes it) under {@code key} as a {@code put}
   * does; a later typed {@code get} decodes it with the codec plan of the type it asks for.
   *
   * @throws IllegalArgumentException for a key or value over the limits
   */
  public void putEncoded(String key, byte[] encoded) {
    check("put");
    StorageLimits.checkKey(key);
    Objects.requireNonNull(encoded, "encoded");
    StorageLimits.checkValueSize(key, encoded.length);
    unflushed.put(key, encoded);
    cache.remove(key);
    wrote();
  }

  /** The stored encodings of the entries {@code options} selects, in its order. */
  public List<Map.Entry<String, byte[]>> listEncoded(ListOptions options) {
    check("list");
    Objects.requireNonNull(options, "options");
    flushPuts();
    return store.list(
        options.start(),
        options.startAfter(),
        options.end(),
        options.prefix(),
        options.reverse(),
        options.limit().orElse(Integer.MAX_VALUE));
  }

  // ---- KV --------------------------------------------------------------------------------------

  @Override
  public <V> Optional<V> get(String key, Class<V> type) {
    check("get");
    StorageLimits.checkKey(key);
    Objects.requireNonNull(type, "type");
    return Optional.ofNullable(read(key, boxed(type)));
  }

  private <V> V read(String key, Class<V> type) {
    Object cached = cache.get(key);
    if (cached == ABSENT) {
      return null;
    }
    ValuePlan plan = plan(type, key);
    if (cached != null && type.isInstance(cached)) {
      return type.cast(plan.immutable() ? cached : plan.copy(cached));
    }
    flushPuts(); // the key may wait there, evicted from the cache
    Optional<byte[]> bytes = store.get(key);
    if (bytes.isEmpty()) {
      cache.put(key, ABSENT);
      return null;
    }
    Object value;
    try {
      value = plan.decode(bytes.get());
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(
          "The value stored under key \""
              + StorageLimits.abbreviate(key)
              + "\" is not a "
              + type.getName()
              + ": "
              + e.getMessage(),
          e);
    }
    cache.put(key, value);
    return type.cast(plan.immutable() ? value : plan.copy(value));
  }

  @Override
  public <V> SortedMap<String, V> get(List<String> keys, Class<V> type) {
    check("get");
    StorageLimits.checkBatch(keys, "get()");
    Class<V> boxed = boxed(type);
    SortedMap<String, V> out = new TreeMap<>(CodePointOrder.ASCENDING);
    for (String key : keys) {
      V v = read(key, boxed);
      if (v != null) {
        out.put(key, v);
      }
    }
    return out;
  }

  @Override
  public void put(String key, Object value) {
    put(key, value, PutOptions.DEFAULT);
  }

  @Override
  public void put(String key, Object value, PutOptions options) {
    check("put");
    Objects.requireNonNull(options, "options");
    StorageLimits.checkKey(key);
    Encoded e = encode(key, value);
    unflushed.put(key, e.bytes);
    cache.put(key, e.copy);
    wrote(options);
  }

  @Override
  public void put(Map<String, ?> entries) {
    check("put");
    Objects.requireNonNull(entries, "entries");
    StorageLimits.checkBatch(entries);
    Map<String, Encoded> encoded = new LinkedHashMap<>();
    for (Map.Entry<String, ?> en : entries.entrySet()) {
      StorageLimits.checkKey(en.getKey());
      encoded.put(en.getKey(), encode(en.getKey(), en.getValue()));
    }
    for (Map.Entry<String, Encoded> en : encoded.entrySet()) {
      unflushed.put(en.getKey(), en.getValue().bytes);
      cache.put(en.getKey(), en.getValue().copy);
    }
    if (!encoded.isEmpty()) {
      wrote();
    }
  }

  private record Encoded(byte[] bytes, Object copy) {}

  private Encoded encode(String key, Object value) {
    if (value == null) {
      throw new IllegalArgumentException(
          "Cannot store null under key \""
              + StorageLimits.abbreviate(key)
              + "\": delete the key instead");
    }
    ValuePlan plan = plan(value.getClass(), key);
    byte[] bytes = plan.encode(value);
    StorageLimits.checkValueSize(key, bytes.length);
    return new Encoded(bytes, plan.immutable() ? value : plan.copy(value));
  }

  private ValuePlan plan(Class<?> type, String key) {
    try {
      return codec.plan(type);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(
          "Cannot store or read a "
              + type.getName()
              + " under key \""
              + StorageLimits.abbreviate(key)
              + "\": storage values are copied like RPC values (strings, numbers, booleans,"
              + " byte arrays, enums, records and the like; wrap a collection in a record). "
              + e.getMessage(),
          e);
    }
  }

  @Override
  public boolean delete(String key) {
    check("delete");
    StorageLimits.checkKey(key);
    flushPuts();
    boolean existed = store.delete(key);
    cache.put(key, ABSENT);
    if (existed) {
      wrote();
    }
    return existed;
  }

  @Override
  public int delete(List<String> keys) {
    check("delete");
    StorageLimits.checkBatch(keys, "delete()");
    flushPuts();
    int count = 0;
    for (String key : keys) {
      if (store.delete(key)) {
        count++;
      }
      cache.put(key, ABSENT);
    }
    if (count > 0) {
      wrote();
    }
    return count;
  }

  @Override
  public <V> SortedMap<String, V> list(ListOptions options, Class<V> type) {
    check("list");
    Objects.requireNonNull(options, "options");
    Class<V> boxed = boxed(type);
    ValuePlan plan = plan(boxed, "<list>");
    flushPuts();
    List<Map.Entry<String, byte[]>> rows =
        store.list(
            options.start(),
            options.startAfter(),
            options.end(),
            options.prefix(),
            options.reverse(),
            options.limit().orElse(Integer.MAX_VALUE));
    SortedMap<String, V> out =
        new TreeMap<>(
            options.reverse() ? CodePointOrder.ASCENDING.reversed() : CodePointOrder.ASCENDING);
    for (Map.Entry<String, byte[]> row : rows) {
      Object value;
      try {
        value = plan.decode(row.getValue());
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException(
            "The value stored under key \""
                + StorageLimits.abbreviate(row.getKey())
                + "\" is not a "
                + boxed.getName()
                + ": "
                + e.getMessage(),
            e);
      }
      out.put(row.getKey(), boxed.cast(value));
    }
    return out;
  }

  // ---- alarm -----------------------------------------------------------------------------------

  @Override
  public Optional<Instant> getAlarm() {
    check("getAlarm");
    return currentAlarm();
  }

  @Override
  public void setAlarm(Instant scheduledTime) {
    check("setAlarm");
    Objects.requireNonNull(scheduledTime, "scheduledTime");
    if (scheduledTime.toEpochMilli() <= 0) {
      throw new IllegalArgumentException(
          "setAlarm() needs a time after the epoch; got "
              + scheduledTime
              + " ("
              + scheduledTime.toEpochMilli()
              + " ms)");
    }
    if (!hooks.hasAlarmHandler() && !hooks.inConstructor()) {
      throw new IllegalStateException(
          "Your Durable Object class must have an alarm() handler in order to call setAlarm() ("
              + hooks.describe()
              + ")");
    }
    Optional<Instant> time = Optional.of(Instant.ofEpochMilli(scheduledTime.toEpochMilli()));
    store.setAlarm(time);
    pendingAlarm = time;
    wrote();
  }

  @Override
  public void deleteAlarm() {
    check("deleteAlarm");
    if (currentAlarm().isEmpty()) {
      return;
    }
    store.setAlarm(Optional.empty());
    pendingAlarm = Optional.empty();
    wrote();
  }

  /** Clears the alarm after a successful alarm run, unless the handler set a new one. */
  public void clearFiredAlarm(Instant fired) {
    if (currentAlarm().filter(fired::equals).isPresent()) {
      store.setAlarm(Optional.empty());
      pendingAlarm = Optional.empty();
      wrote();
    }
  }

  // ---- whole-store operations ------------------------------------------------------------------

  @Override
  public <T, E extends Exception> T transaction(TransactionFunction<T, E> fn) throws E {
    check("transaction");
    Objects.requireNonNull(fn, "fn");
    if (transactionDepth >= MAX_TRANSACTION_DEPTH) {
      throw new IllegalStateException(
          "storage().transaction() nested more than " + MAX_TRANSACTION_DEPTH + " deep");
    }
    TransactionView txn = new TransactionView(this);
    flushPuts(); // what waits now belongs before the savepoint
    store.savepoint();
    transactionDepth++;
    boolean done = false;
    try {
      T result = fn.apply(txn);
      txn.close();
      if (txn.rolledBack()) {
        unflushed.clear(); // written after the savepoint: rolled back with it
        store.rollbackSavepoint();
        forgetUncommittedState();
      } else {
        store.releaseSavepoint();
      }
      done = true;
      return result;
    } finally {
      transactionDepth--;
      if (!done) {
        txn.close();
        unflushed.clear();
        store.rollbackSavepoint();
        forgetUncommittedState();
      }
    }
  }

  boolean inTransaction() {
    return transactionDepth > 0;
  }

  private void forgetUncommittedState() {
    cache.clear();
    pendingAlarm = null;
    committedAlarm = null;
  }

  @Override
  public void deleteAll() {
    check("deleteAll");
    if (transactionDepth > 0) {
      throw new IllegalStateException(
          "deleteAll() cannot be called inside storage().transaction(); call it outside");
    }
    unflushed.clear(); // deleted with everything else
    store.deleteAll();
    cache.clear();
    pendingAlarm = Optional.empty();
    wrote();
  }

  @Override
  public void sync() {
    check("sync");
    try {
      commitAll().join();
    } catch (CompletionException e) {
      throw commitFailed(e);
    }
  }

  @Override
  public SqlStorage sql() {
    check("sql");
    return sql;
  }

  /**
   * A bookmark for the state after every write so far: the open batch is committed first (as {@code
   * sync()} does, without waiting for its durability).
   */
  @Override
  public String getCurrentBookmark() {
    check("getCurrentBookmark");
    commitAll();
    return store.currentBookmark();
  }

  @Override
  public String getBookmarkForTime(Instant time) {
    check("getBookmarkForTime");
    Objects.requireNonNull(time, "time");
    return store.bookmarkForTime(time);
  }

  /**
   * The restore happens when the object next starts (after {@code ctx.abort()}); the returned
   * bookmark names the state before it, every write so far included (the open batch is committed).
   */
  @Override
  public String onNextSessionRestoreBookmark(String bookmark) {
    check("onNextSessionRestoreBookmark");
    Objects.requireNonNull(bookmark, "bookmark");
    commitAll();
    return store.restoreOnNextOpen(bookmark);
  }

  @SuppressWarnings("unchecked")
  private static <V> Class<V> boxed(Class<V> type) {
    Objects.requireNonNull(type, "type");
    return type.isPrimitive() ? (Class<V>) MethodType.methodType(type).wrap().returnType() : type;
  }
}
