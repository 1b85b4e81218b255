package dev.dobj.examples.counter;

/** The RPC interface of {@link CounterObject}: what a stub of the {@code COUNTER} binding calls. */
public interface Counter {
  /**
   * Answers 42 with the object's name and touches no storage: the cost of one RPC round trip to an
   * object, nothing else.
   */
  CounterValue noop();
}
