package dev.dobj.runtime.internal.storage;

import dev.dobj.storage.ListOptions;
import dev.dobj.storage.PutOptions;
import dev.dobj.storage.Transaction;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SortedMap;

/**
 * The storage seen inside {@code storage().transaction(fn)}: the object's storage, inside a
 * savepoint of the store, so reads see the transaction's writes and a rollback discards them. The
 * view is usable only while {@code fn} runs.
 */
final class TransactionView implements Transaction {
  private final ObjectStorage storage;
  private boolean rolledBack;
  private boolean closed;

  TransactionView(ObjectStorage storage) {
    this.storage = storage;
  }

  boolean rolledBack() {
    return rolledBack;
  }

  void close() {
    closed = true;
  }

  private ObjectStorage open() {
    if (closed) {
      throw new IllegalStateException(
          "This transaction of " + storage.describe() + " has ended; use ctx.storage()");
    }
    return storage;
  }

  @Override
  public void rollback() {
    open();
    rolledBack = true;
  }

  @Override
  public <V> Optional<V> get(String key, Class<V> type) {
    return open().get(key, type);
  }

  @Override
  public <V> SortedMap<String, V> get(List<String> keys, Class<V> type) {
    return open().get(keys, type);
  }

  @Override
  public void put(String key, Object value) {
    open().put(key, value);
  }

  @Override
  public void put(String key, Object value, PutOptions options) {
    open().put(key, value, options);
  }

  @Override
  public void put(Map<String, ?> entries) {
    open().put(entries);
  }

  @Override
  public boolean delete(String key) {
    return open().delete(key);
  }

  @Override
  public int delete(List<String> keys) {
    return open().delete(keys);
  }

  @Override
  public <V> SortedMap<String, V> list(ListOptions options, Class<V> type) {
    return open().list(options, type);
  }

  @Override
  public Optional<Instant> getAlarm() {
    return open().getAlarm();
  }

  @Override
  public void setAlarm(Instant scheduledTime) {
    open().setAlarm(scheduledTime);
  }

  @Override
  public void deleteAlarm() {
    open().deleteAlarm();
  }
}
