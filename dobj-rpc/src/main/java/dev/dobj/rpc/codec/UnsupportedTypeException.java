package dev.dobj.rpc.codec;

/**
 * A declared type the codec refuses, found while planning. Internal: {@link RpcCodec} turns it into
 * an {@link IllegalArgumentException} that also says which method parameter or result declared it.
 */
final class UnsupportedTypeException extends RuntimeException {
  static final String SUPPORTED =
      "RPC values must be records, enums, strings, numbers, booleans, byte arrays, lists, sets,"
          + " maps, Optional, Request, Response, DurableObjectId or DurableObjectStub";

  private final String typeName;
  private final String context;
  private final String reason;

  /**
   * @param typeName the refused type, as {@link java.lang.reflect.Type#getTypeName()}
   * @param context where it was met inside the declared type, e.g. "element of java.util.List<..>",
   *     or empty at the top
   * @param reason what is wrong and what to do
   */
  UnsupportedTypeException(String typeName, String context, String reason) {
    super(typeName + ": " + reason, null, false, false);
    this.typeName = typeName;
    this.context = context;
    this.reason = reason;
  }

  /** The error for users; {@code where} is e.g. " for parameter 0 of Counter.add(Object)". */
  IllegalArgumentException toIllegalArgument(String where) {
    String in = context.isEmpty() ? "" : " (" + context + ")";
    return new IllegalArgumentException("Cannot copy " + typeName + in + where + ": " + reason);
  }
}
