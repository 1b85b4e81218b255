package dev.dobj.spi.storage;

import dev.dobj.spi.ObjectAddress;
import java.time.Instant;
import java.util.List;

/**
 * Keeps the durable state of objects: one {@link ObjectStore} per object. Thread-safe. Every engine
 * passes the contract tests in {@code dobj-tck}.
 */
public interface StorageEngine extends AutoCloseable {
  /** What a completed commit survives. */
  Durability durability();

  /**
   * Opens (creating on first write) the store of {@code address}. At most one activation holds a
   * store open at a time; the runtime guarantees it.
   */
  ObjectStore open(ObjectAddress address, FencingToken token);

  /** Addresses of a namespace whose alarms are due at or before {@code until}, earliest first. */
  List<ScheduledAlarm> alarmsDue(String namespace, Instant until);

  /** Flushes and closes every store. */
  @Override
  void close();

  /**
   * An entry of the per-namespace alarm index.
   *
   * @param address the object
   * @param time when its alarm is due
   */
  record ScheduledAlarm(ObjectAddress address, Instant time) {}
}
