package dev.dobj.storage;

/**
 * The body of {@link Storage#transaction}.
 *
 * @param <T> its result
 */
@FunctionalInterface
public interface TransactionFunction<T> {
  /**
   * Runs the transaction's body.
   *
   * @throws Exception rolls the transaction back and is rethrown
   */
  T apply(Transaction txn) throws Exception;
}
