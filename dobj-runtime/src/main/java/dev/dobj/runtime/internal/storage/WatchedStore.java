package dev.dobj.runtime.internal.storage;

import dev.dobj.spi.storage.ObjectStore;
import dev.dobj.spi.storage.SqlResult;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.locks.LockSupport;

/**
 * An object's store as the runtime's watchdog sees it: every call that runs in the engine notes
 * when it began, so a sweep can find a turn stuck in its storage (SPEC: a storage operation over 30
 * s resets the object), and {@link #stopRunningCall()} can stop it.
 *
 * <p>Threads: calls come from the object's turns, one at a time; {@link #callStartedMillis()} and
 * {@link #stopRunningCall()} may come from any thread.
 */
final class WatchedStore implements ObjectStore {
  /** {@link #callStartedMillis()} when no call runs. */
  static final long NONE = Long.MIN_VALUE;

  private static final Duration STOP_PATIENCE = Duration.ofSeconds(10);

  private final ObjectStore store;
  private final InstantSource clock;
  private volatile long callStarted = NONE;

  WatchedStore(ObjectStore store, InstantSource clock) {
    this.store = store;
    this.clock = clock;
  }

  /** When the call running in the engine began (the clock's millis), or {@link #NONE}. */
  long callStartedMillis() {
    return callStarted;
  }

  /**
   * Interrupts the call running in the engine, if any, and again until it ends: an interrupt that
   * lands just before the engine starts its statement is lost. Gives up after {@link
   * #STOP_PATIENCE} (a call the engine cannot interrupt, such as a KV read on a hung disk).
   */
  void stopRunningCall() {
    long deadline = System.nanoTime() + STOP_PATIENCE.toNanos();
    long pause = 1_000_000;
    while (callStarted != NONE && System.nanoTime() < deadline) {
      store.interrupt();
      LockSupport.parkNanos(pause);
      pause = Math.min(pause * 2, 50_000_000);
    }
  }

  private void begin() {
    callStarted = clock.millis();
  }

  private void end() {
    callStarted = NONE;
  }

  @Override
  public Optional<byte[]> get(String key) {
    begin();
    try {
      return store.get(key);
    } finally {
      end();
    }
  }

  @Override
  public List<Map.Entry<String, byte[]>> list(
      Optional<String> start,
      Optional<String> startAfter,
      Optional<String> end,
      Optional<String> prefix,
      boolean reverse,
      int limit) {
    begin();
    try {
      return store.list(start, startAfter, end, prefix, reverse, limit);
    } finally {
      end();
    }
  }

  @Override
  public void put(String key, byte[] value) {
    begin();
    try {
      store.put(key, value);
    } finally {
      end();
    }
  }

  @Override
  public boolean delete(String key) {
    begin();
    try {
      return store.delete(key);
    } finally {
      end();
    }
  }

  @Override
  public SqlResult execute(String sql, Object... bindings) {
    begin();
    try {
      return store.execute(sql, bindings);
    } finally {
      end();
    }
  }

  @Override
  public long databaseSize() {
    begin();
    try {
      return store.databaseSize();
    } finally {
      end();
    }
  }

  @Override
  public String currentBookmark() {
    begin();
    try {
      return store.currentBookmark();
    } finally {
      end();
    }
  }

  @Override
  public String bookmarkForTime(Instant time) {
    begin();
    try {
      return store.bookmarkForTime(time);
    } finally {
      end();
    }
  }

  @Override
  public String restoreOnNextOpen(String bookmark) {
    begin();
    try {
      return store.restoreOnNextOpen(bookmark);
    } finally {
      end();
    }
  }

  @Override
  public Optional<Instant> alarm() {
    begin();
    try {
      return store.alarm();
    } finally {
      end();
    }
  }

  @Override
  public void setAlarm(Optional<Instant> time) {
    begin();
    try {
      store.setAlarm(time);
    } finally {
      end();
    }
  }

  @Override
  public Optional<String> name() {
    begin();
    try {
      return store.name();
    } finally {
      end();
    }
  }

  @Override
  public void setName(String name) {
    begin();
    try {
      store.setName(name);
    } finally {
      end();
    }
  }

  @Override
  public void deleteAll() {
    begin();
    try {
      store.deleteAll();
    } finally {
      end();
    }
  }

  @Override
  public void savepoint() {
    begin();
    try {
      store.savepoint();
    } finally {
      end();
    }
  }

  @Override
  public void releaseSavepoint() {
    begin();
    try {
      store.releaseSavepoint();
    } finally {
      end();
    }
  }

  @Override
  public void rollbackSavepoint() {
    begin();
    try {
      store.rollbackSavepoint();
    } finally {
      end();
    }
  }

  @Override
  public long commit() {
    begin();
    try {
      return store.commit();
    } finally {
      end();
    }
  }

  @Override
  public void rollback() {
    store.rollback();
  }

  @Override
  public CompletableFuture<Void> durable(long sequence) {
    return store.durable(sequence);
  }

  @Override
  public void interrupt() {
    store.interrupt();
  }

  @Override
  public void close() {
    store.close();
  }
}
