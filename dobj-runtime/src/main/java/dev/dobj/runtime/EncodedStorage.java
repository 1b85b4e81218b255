package dev.dobj.runtime;

import dev.dobj.runtime.internal.storage.ObjectStorage;
import dev.dobj.storage.ListOptions;
import dev.dobj.storage.SqlCursor;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * An object's storage seen by tools (the CLI's {@code dobj storage}), valid only inside the turn
 * {@link DurableObjectRuntime#inspectStorage} runs: key-value values as the JSON the RPC codec
 * stores them in, and SQL as the object's own {@code ctx.storage().sql()}.
 *
 * <p>Values round-trip as JSON: a value stored as a {@code String}, a number, a {@code Boolean}, an
 * enum (its name) or a record (an object of its components) is printed as that JSON, and JSON
 * written here is read back by a typed {@code get} when it fits the type asked for (a JSON string
 * for a {@code String}, a number for a {@code Long} or {@code Double}, an object with the
 * components' names for a record). Not thread-safe: turn-confined.
 */
public final class EncodedStorage {
  private final ObjectStorage storage;

  EncodedStorage(ObjectStorage storage) {
    this.storage = storage;
  }

  /** The JSON stored under {@code key}, if any. */
  public Optional<String> get(String key) {
    return storage.getEncoded(key).map(b -> new String(b, StandardCharsets.UTF_8));
  }

  /**
   * Stores the JSON text {@code json} under {@code key}; the caller checked that it is JSON.
   *
   * @throws IllegalArgumentException for a key over 2048 bytes or a value over 128 KiB
   */
  public void put(String key, String json) {
    Objects.requireNonNull(json, "json");
    storage.putEncoded(key, json.getBytes(StandardCharsets.UTF_8));
  }

  /**
   * Deletes {@code key}.
   *
   * @return whether it existed
   */
  public boolean delete(String key) {
    return storage.delete(key);
  }

  /** The entries {@code options} selects, keys to their JSON, in its order. */
  public Map<String, String> list(ListOptions options) {
    Map<String, String> out = new LinkedHashMap<>();
    for (Map.Entry<String, byte[]> e : storage.listEncoded(options)) {
      out.put(e.getKey(), new String(e.getValue(), StandardCharsets.UTF_8));
    }
    return out;
  }

  /**
   * Runs one SQL statement as {@code ctx.storage().sql().exec(query)} does (same limits and
   * refusals).
   */
  public SqlCursor sql(String query) {
    return storage.sql().exec(query);
  }
}
