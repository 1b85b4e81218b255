package dev.dobj.storage;

/**
 * The storage seen inside {@link Storage#transaction}: reads see the transaction's own writes;
 * writes become visible to the rest of the object only if the transaction commits.
 */
public interface Transaction extends StorageOperations {
  /** Discards every write of this transaction when the function returns. */
  void rollback();
}
