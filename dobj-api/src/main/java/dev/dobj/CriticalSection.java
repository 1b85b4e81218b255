package dev.dobj;

/**
 * Code run by {@link DurableObjectState#blockConcurrencyWhile} with the input gate closed.
 *
 * @param <T> the value it returns
 */
@FunctionalInterface
public interface CriticalSection<T> {
  /**
   * Runs the section.
   *
   * @throws Exception resets the object
   */
  T run() throws Exception;
}
