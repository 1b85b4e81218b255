package dev.dobj.spi.storage;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/**
 * The durable state of one object. Reads see every batch whose commit completed. Called from one
 * activation at a time: reads from its turns, commits from its committer, never concurrently with
 * each other for the same store.
 */
public interface ObjectStore extends AutoCloseable {
  /** The value under {@code key}, if any. */
  Optional<byte[]> get(String key);

  /**
   * Entries with {@code start <= key < end} (by UTF-8 bytes; empty bounds are open), in key order
   * or reversed, at most {@code limit}.
   */
  List<Map.Entry<String, byte[]>> list(
      Optional<String> start, Optional<String> end, boolean reverse, int limit);

  /** The alarm time, if one is set. */
  Optional<Instant> alarm();

  /**
   * Makes {@code batch} durable, atomically. The future completes when it is durable to the
   * engine's {@link Durability}, or exceptionally when it failed (nothing of it was applied).
   */
  CompletableFuture<Void> commit(WriteBatch batch);

  /** Releases the store's resources; pending commits complete first. */
  @Override
  void close();
}
