package dev.dobj.storage;

/**
 * The body of {@link Storage#transaction}.
 *
 * @param <T> its result
 * @param <E> what it may throw (inferred; {@code RuntimeException} when it throws nothing checked)
 */
@FunctionalInterface
public interface TransactionFunction<T, E extends Exception> {
  /**
   * Runs the transaction's body.
   *
   * @throws E rolls the transaction back and is rethrown
   */
  T apply(Transaction txn) throws E;
}
