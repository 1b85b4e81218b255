package dev.dobj.storage;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SortedMap;

/**
 * The key-value operations shared by {@link Storage} and {@link Transaction}.
 *
 * <p>Keys are non-empty strings of at most 2048 UTF-8 bytes ("Keys cannot be larger than 2048
 * bytes. A key of size N was provided."). Values are copied like RPC values (records, strings,
 * numbers, booleans, byte arrays, lists, maps, enums) and are at most 128 KiB serialized; {@code
 * null} is refused. Batches take at most 128 keys.
 */
public interface StorageOperations {
  /**
   * The value under {@code key}, decoded as {@code type}.
   *
   * @throws IllegalArgumentException for an invalid key, or a stored value that is not a {@code
   *     type}
   */
  <V> Optional<V> get(String key, Class<V> type);

  /**
   * The values under {@code keys} that exist, sorted by key.
   *
   * @throws IllegalArgumentException for more than 128 keys or an invalid key
   */
  <V> SortedMap<String, V> get(List<String> keys, Class<V> type);

  /**
   * Stores {@code value} under {@code key}.
   *
   * @throws IllegalArgumentException for an invalid key, a null or oversized value, or a type that
   *     cannot be stored
   */
  void put(String key, Object value);

  /**
   * As {@link #put(String, Object)} with options.
   *
   * @throws IllegalArgumentException as {@link #put(String, Object)}
   */
  void put(String key, Object value, PutOptions options);

  /**
   * Stores every entry, atomically.
   *
   * @throws IllegalArgumentException for more than 128 entries, or as {@link #put(String, Object)}
   */
  void put(Map<String, ?> entries);

  /**
   * Deletes {@code key}.
   *
   * @return whether it existed
   */
  boolean delete(String key);

  /**
   * Deletes every key in {@code keys}, atomically.
   *
   * @return how many existed
   * @throws IllegalArgumentException for more than 128 keys
   */
  int delete(List<String> keys);

  /**
   * The entries selected by {@code options}, in key order (or reverse), decoded as {@code type}.
   */
  <V> SortedMap<String, V> list(ListOptions options, Class<V> type);

  /** The object's alarm time, if one is set. */
  Optional<java.time.Instant> getAlarm();

  /**
   * Sets the object's one alarm, replacing any earlier one. A past time fires as soon as possible.
   *
   * @throws IllegalArgumentException for a time at or before the epoch
   * @throws IllegalStateException if the class does not implement {@code alarm} (outside its
   *     constructor)
   */
  void setAlarm(java.time.Instant scheduledTime);

  /** Deletes the object's alarm, if any. */
  void deleteAlarm();
}
