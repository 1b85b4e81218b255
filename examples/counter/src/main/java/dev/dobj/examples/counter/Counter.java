package dev.dobj.examples.counter;

/**
 * The RPC interface of the counter objects: what a stub of the {@code COUNTER} binding ({@link
 * CounterObject}, key-value storage) or of the {@code SQL_COUNTER} binding ({@link
 * SqlCounterObject}, SQL storage) calls. Each object is one counter, named by its id's name.
 */
public interface Counter {
  /**
   * Answers 42 with the object's name and touches no storage: the cost of one RPC round trip to an
   * object, nothing else.
   */
  CounterValue noop();

  /**
   * Adds one to the counter and answers the new value (1 the first time). The value is durable
   * before the caller sees it: the result waits for the turn's commit.
   */
  CounterValue increment();

  /** The counter's value; 0 if it was never incremented. Writes nothing. */
  CounterValue get();
}
