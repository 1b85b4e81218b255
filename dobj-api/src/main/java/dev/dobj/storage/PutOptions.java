package dev.dobj.storage;

/**
 * Options of a write.
 *
 * @param allowUnconfirmed let messages leave the object before this write is durable (opts the
 *     write out of the output gate; a failed commit still resets the object)
 */
public record PutOptions(boolean allowUnconfirmed) {
  /** Writes held by the output gate (the default). */
  public static final PutOptions DEFAULT = new PutOptions(false);

  /** Writes that do not hold the output gate. */
  public static final PutOptions ALLOW_UNCONFIRMED = new PutOptions(true);
}
