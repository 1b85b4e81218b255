package dev.dobj.sqlite;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Optional;

/**
 * The byte range of a KV {@code list}: keys are stored as their UTF-8 bytes, so SQLite's {@code
 * memcmp} order of BLOBs is the UTF-8 byte order the SPI promises, and every option becomes a bound
 * on those bytes.
 *
 * @param from the lower bound, or null for none
 * @param fromInclusive whether a key equal to {@code from} is in the range
 * @param to the exclusive upper bound, or null for none
 */
record KeyRange(byte[] from, boolean fromInclusive, byte[] to) {
  /** The range of {@code start} (inclusive), {@code startAfter}, {@code end} and {@code prefix}. */
  static KeyRange of(
      Optional<String> start,
      Optional<String> startAfter,
      Optional<String> end,
      Optional<String> prefix) {
    byte[] from = null;
    boolean inclusive = true;
    byte[] to = null;
    if (start.isPresent()) {
      from = utf8(start.get());
    }
    if (startAfter.isPresent()) {
      byte[] after = utf8(startAfter.get());
      if (from == null || Arrays.compareUnsigned(after, from) >= 0) {
        from = after;
        inclusive = false;
      }
    }
    if (end.isPresent()) {
      to = utf8(end.get());
    }
    if (prefix.isPresent() && !prefix.get().isEmpty()) {
      byte[] p = utf8(prefix.get());
      if (from == null || Arrays.compareUnsigned(p, from) > 0) {
        from = p;
        inclusive = true;
      }
      byte[] pastPrefix = successor(p);
      if (to == null || Arrays.compareUnsigned(pastPrefix, to) < 0) {
        to = pastPrefix;
      }
    }
    return new KeyRange(from, inclusive, to);
  }

  /**
   * The UTF-8 bytes of {@code key}.
   *
   * @throws IllegalArgumentException if the key holds an unpaired surrogate (it has no UTF-8 form,
   *     and Java would silently store "?" instead)
   */
  static byte[] utf8(String key) {
    for (int i = 0; i < key.length(); i++) {
      char c = key.charAt(i);
      if (Character.isHighSurrogate(c)
          && i + 1 < key.length()
          && Character.isLowSurrogate(key.charAt(i + 1))) {
        i++;
      } else if (Character.isSurrogate(c)) {
        throw new IllegalArgumentException(
            "Keys must be valid Unicode: the key has an unpaired surrogate (\\u"
                + Integer.toHexString(c)
                + ") at index "
                + i);
      }
    }
    return key.getBytes(StandardCharsets.UTF_8);
  }

  /**
   * The smallest byte string greater than every string that starts with {@code prefix}: the prefix
   * with its last byte incremented. UTF-8 never contains 0xFF, so there is always one to increment.
   */
  private static byte[] successor(byte[] prefix) {
    int last = prefix.length - 1;
    while ((prefix[last] & 0xff) == 0xff) {
      last--;
    }
    byte[] s = Arrays.copyOf(prefix, last + 1);
    s[last]++;
    return s;
  }
}
