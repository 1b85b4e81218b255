package dev.dobj.runtime.storage;

import dev.dobj.spi.ObjectAddress;
import dev.dobj.spi.storage.Durability;
import dev.dobj.spi.storage.FencingToken;
import dev.dobj.spi.storage.ObjectStore;
import dev.dobj.spi.storage.SqlResult;
import dev.dobj.spi.storage.StorageEngine;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;

/**
 * A hook around the real engine: every durability future is held until the test releases it (or
 * fails it), so tests can watch the output gate hold messages. Everything else is the real engine.
 */
final class HeldDurability implements StorageEngine {
  private final StorageEngine real;
  final ConcurrentLinkedQueue<CompletableFuture<Void>> held = new ConcurrentLinkedQueue<>();
  volatile boolean holding = true;
  final java.util.concurrent.atomic.AtomicInteger puts =
      new java.util.concurrent.atomic.AtomicInteger();
  // the real engine's durability of every batch held (to wait for before a release)
  final ConcurrentLinkedQueue<CompletableFuture<Void>> engineDurable =
      new ConcurrentLinkedQueue<>();
  // the thread of the last commit
  volatile Thread committer;

  HeldDurability(StorageEngine real) {
    this.real = real;
  }

  /**
   * Lets every batch held now become durable (once the real engine says so); batches that commit
   * meanwhile (a callback of a released one may commit the next) stay held.
   */
  void releaseAll() {
    for (int n = held.size(); n > 0; n--) {
      held.remove().complete(null);
    }
  }

  /** Fails every batch held now, as a failed fsync would. */
  void failAll(RuntimeException cause) {
    for (int n = held.size(); n > 0; n--) {
      held.remove().completeExceptionally(cause);
    }
  }

  @Override
  public Durability durability() {
    return real.durability();
  }

  @Override
  public ObjectStore open(ObjectAddress address, FencingToken token) {
    ObjectStore store = real.open(address, token);
    return new ObjectStore() {
      @Override
      public Optional<byte[]> get(String key) {
        return store.get(key);
      }

      @Override
      public List<Map.Entry<String, byte[]>> list(
          Optional<String> start,
          Optional<String> startAfter,
          Optional<String> end,
          Optional<String> prefix,
          boolean reverse,
          int limit) {
        return store.list(start, startAfter, end, prefix, reverse, limit);
      }

      @Override
      public void put(String key, byte[] value) {
        puts.incrementAndGet();
        store.put(key, value);
      }

      @Override
      public boolean delete(String key) {
        return store.delete(key);
      }

      @Override
      public SqlResult execute(String sql, Object... bindings) {
        return store.execute(sql, bindings);
      }

      @Override
      public long databaseSize() {
        return store.databaseSize();
      }

      @Override
      public Optional<Instant> alarm() {
        return store.alarm();
      }

      @Override
      public void setAlarm(Optional<Instant> time) {
        store.setAlarm(time);
      }

      @Override
      public Optional<String> name() {
        return store.name();
      }

      @Override
      public void setName(String name) {
        store.setName(name);
      }

      @Override
      public void deleteAll() {
        store.deleteAll();
      }

      @Override
      public void savepoint() {
        store.savepoint();
      }

      @Override
      public void releaseSavepoint() {
        store.releaseSavepoint();
      }

      @Override
      public void rollbackSavepoint() {
        store.rollbackSavepoint();
      }

      @Override
      public long commit() {
        committer = Thread.currentThread();
        return store.commit();
      }

      @Override
      public void rollback() {
        store.rollback();
      }

      @Override
      public CompletableFuture<Void> durable(long sequence) {
        CompletableFuture<Void> realDurable = store.durable(sequence);
        if (!holding) {
          return realDurable;
        }
        CompletableFuture<Void> gate = new CompletableFuture<>();
        engineDurable.add(realDurable);
        held.add(gate);
        return realDurable.thenCompose(v -> gate);
      }

      @Override
      public void close() {
        store.close();
      }
    };
  }

  @Override
  public List<String> listObjects(String namespace, Optional<String> after, int limit) {
    return real.listObjects(namespace, after, limit);
  }

  @Override
  public List<ScheduledAlarm> alarmsDue(String namespace, Instant until, int limit) {
    return real.alarmsDue(namespace, until, limit);
  }

  @Override
  public Optional<ScheduledAlarm> nextAlarm(String namespace) {
    return real.nextAlarm(namespace);
  }

  @Override
  public void close() {
    holding = false;
    releaseAll();
    real.close();
  }
}
