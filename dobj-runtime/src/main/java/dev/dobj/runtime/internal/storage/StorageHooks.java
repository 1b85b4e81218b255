package dev.dobj.runtime.internal.storage;

import java.time.Instant;
import java.util.Optional;

/** What an object's storage needs from the activation that owns it. */
public interface StorageHooks {
  /**
   * Throws {@link IllegalStateException} unless the calling thread runs a turn of the object.
   *
   * @param method the storage method being called, for the message
   */
  void checkTurn(String method);

  /** Whether the object's class overrides {@code alarm(AlarmInfo)}. */
  boolean hasAlarmHandler();

  /** Whether the object's constructor is running (it may set an alarm without a handler). */
  boolean inConstructor();

  /**
   * A commit failed: reset the object. Returns the exception its held messages fail with.
   *
   * @param cause the engine's failure
   */
  RuntimeException commitFailed(Throwable cause);

  /** A committed batch changed the alarm (empty: deleted). */
  void alarmCommitted(Optional<Instant> alarm);

  /** The object's name, to persist with its first batch, if it has one. */
  Optional<String> name();

  /** Names the object in messages. */
  String describe();
}
