package dev.dobj.spi.storage;

import dev.dobj.spi.ObjectAddress;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * Keeps the durable state of objects: one {@link ObjectStore} per object, plus a per-namespace
 * index of alarms and of the objects that have state. Thread-safe. Every engine passes the contract
 * tests in {@code dobj-tck}.
 */
public interface StorageEngine extends AutoCloseable {
  /** What a batch survives once {@link ObjectStore#durable} completed. */
  Durability durability();

  /**
   * Opens the store of {@code address} for the exclusive use of one activation until {@link
   * ObjectStore#close()}. Nothing is created on disk before the first commit that writes.
   *
   * @throws IllegalStateException if the store is already open, or the engine is closed
   */
  ObjectStore open(ObjectAddress address, FencingToken token);

  /**
   * The ids (64 hex digits) of the objects of {@code namespace} that have durable state, in
   * ascending order, after {@code after} (exclusive), at most {@code limit}.
   */
  List<String> listObjects(String namespace, Optional<String> after, int limit);

  /**
   * The alarms of {@code namespace} due at or before {@code until}, earliest first, at most {@code
   * limit}. The index may name an object whose alarm was since deleted (the store is the truth); it
   * never misses an alarm that a completed commit set.
   */
  List<ScheduledAlarm> alarmsDue(String namespace, Instant until, int limit);

  /** The earliest alarm of {@code namespace}, if any (to schedule the next wake-up). */
  Optional<ScheduledAlarm> nextAlarm(String namespace);

  /**
   * Notes that the alarm of {@code retry.id()} failed and is to run again (SPEC: retried 6 times,
   * then dropped), so that a restart goes on counting rather than start over. The note should be as
   * durable as a committed batch when this returns (the SQLite engine fsyncs it in {@code FSYNC}
   * durability), or a crash may start the count over; the alarm itself stays in the store either
   * way. Failures are rare, so this is off the hot path. The default keeps nothing.
   */
  default void alarmRetried(String namespace, AlarmRetry retry) {}

  /** The retries of the alarm of {@code id} are over (it ran, was dropped, moved or deleted). */
  default void alarmRetriesEnded(String namespace, String id) {}

  /** The retries noted with {@link #alarmRetried} and not ended, in no particular order. */
  default List<AlarmRetry> alarmRetries(String namespace) {
    return List.of();
  }

  /** Makes every committed batch durable, then closes every store and releases every file. */
  @Override
  void close();

  /**
   * An entry of the per-namespace alarm index.
   *
   * @param id the object's id (64 hex digits)
   * @param time when its alarm is due
   */
  record ScheduledAlarm(String id, Instant time) {}

  /**
   * A failed alarm waiting for its next run.
   *
   * @param id the object's id (64 hex digits)
   * @param scheduled the time the alarm was set for (what the store holds)
   * @param retries how many runs failed
   * @param next when it runs again
   */
  record AlarmRetry(String id, Instant scheduled, int retries, Instant next) {}
}
