package dev.dobj.rpc.codec;

/**
 * The size and nesting accounting of one in-process copy. Sizes estimate the encoded (JSON) size
 * cheaply, so that the copy path and the wire path refuse about the same values: strings count
 * their UTF-16 length, byte arrays their Base64 length, numbers 8 bytes, and each structure a few
 * bytes. Confined to the thread doing one copy.
 */
final class Budget {
  /** Deepest nesting of records and collections, on both paths (Jackson's limit is set alike). */
  static final int MAX_DEPTH = 1000;

  private final long limit;
  private long used;
  private int depth;

  Budget(long limit) {
    this.limit = limit;
  }

  void add(long bytes) {
    used += bytes;
  }

  /**
   * Whether the message is already over the limit; large copies (arrays) are then skipped, since
   * {@link #check()} will refuse the message anyway.
   */
  boolean exceeded() {
    return used > limit;
  }

  void enter() {
    if (++depth > MAX_DEPTH) {
      throw new ValueException(
          "values are nested more than "
              + MAX_DEPTH
              + " levels deep (does the value hold a cycle?)");
    }
  }

  void exit() {
    depth--;
  }

  /** Refuses the message if it is over the limit; called once, after the whole message. */
  void check() {
    if (used > limit) {
      throw tooLarge(limit, used);
    }
  }

  /** Cloudflare's words for an oversized message, with this codec's limit. */
  static IllegalArgumentException tooLarge(long limit, long size) {
    return new IllegalArgumentException(
        "Serialized RPC arguments or return values are limited to "
            + describeLimit(limit)
            + ", but the size of this value was "
            + size
            + " bytes.");
  }

  /** "32MiB" for the default limit; a limit that is not a whole number of MiB or KiB in bytes. */
  static String describeLimit(long limit) {
    if (limit > 0 && limit % (1 << 20) == 0) {
      return (limit >> 20) + "MiB";
    }
    if (limit > 0 && limit % (1 << 10) == 0) {
      return (limit >> 10) + "KiB";
    }
    return limit + " bytes";
  }

  /** The Base64 length of {@code n} bytes, plus quotes. */
  static long base64Size(long n) {
    return (n + 2) / 3 * 4 + 2;
  }
}
