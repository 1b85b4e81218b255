package dev.dobj.spi.storage;

import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.SortedMap;

/**
 * The writes of one group commit, applied atomically in this order: {@code deleteAll}, then the KV
 * puts and deletes, then the SQL statements, then the alarm change.
 *
 * @param deleteAll remove every KV entry, SQL table and the alarm first
 * @param kv keys to write: a present value is a put, an empty one a delete
 * @param sql SQL statements already run against the object's database in this batch, to be made
 *     durable with it (engines that execute SQL eagerly record them here; others may ignore it)
 * @param alarm empty when the alarm is unchanged; otherwise the new alarm (empty = deleted)
 */
public record WriteBatch(
    boolean deleteAll,
    SortedMap<String, Optional<byte[]>> kv,
    List<String> sql,
    Optional<Optional<Instant>> alarm) {
  public WriteBatch {
    Objects.requireNonNull(kv, "kv");
    Objects.requireNonNull(sql, "sql");
    Objects.requireNonNull(alarm, "alarm");
  }
}
