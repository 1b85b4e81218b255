package dev.dobj.runtime.internal.gate;

/**
 * Holds messages that leave an object until the storage writes made before them are durable.
 *
 * <p>Storage calls {@link #hold} when a turn makes a write and the committer releases the hold when
 * the batch lands. A message that would leave the object waits in {@link #awaitDurable} for every
 * hold taken before it. Without a storage engine there is never a hold, and the gate is free.
 */
public interface OutputGate {
  /** A gate that never holds anything (no storage configured). */
  OutputGate OPEN = () -> {};

  /**
   * Waits until every write made so far by the object is durable.
   *
   * @throws RuntimeException the commit's failure, if it failed (the object is then reset)
   */
  void awaitDurable();
}
