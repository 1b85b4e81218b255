package dev.dobj.runtime.internal.storage;

import java.nio.charset.StandardCharsets;
import java.util.Collection;
import java.util.Map;

/** The limits of SPEC section 4, with Cloudflare's wording. */
final class StorageLimits {
  static final int MAX_KEY_BYTES = 2048;
  static final int MAX_VALUE_BYTES = 128 * 1024;
  static final int MAX_BATCH = 128;

  private StorageLimits() {}

  static void checkKey(String key) {
    if (key == null) {
      throw new IllegalArgumentException("Storage keys must be strings, got null");
    }
    // A char is at most 3 UTF-8 bytes: short keys need no encoding to be checked.
    if (key.length() * 3 <= MAX_KEY_BYTES) {
      return;
    }
    int size = key.getBytes(StandardCharsets.UTF_8).length;
    if (size > MAX_KEY_BYTES) {
      throw new IllegalArgumentException(
          "Keys cannot be larger than "
              + MAX_KEY_BYTES
              + " bytes. A key of size "
              + size
              + " was provided.");
    }
  }

  static void checkValueSize(String key, int size) {
    if (size > MAX_VALUE_BYTES) {
      throw new IllegalArgumentException(
          "Values cannot be larger than "
              + MAX_VALUE_BYTES
              + " bytes. A value of size "
              + size
              + " was provided (key \""
              + abbreviate(key)
              + "\").");
    }
  }

  static void checkBatch(Collection<String> keys, String what) {
    if (keys.size() > MAX_BATCH) {
      throw new IllegalArgumentException(
          "Maximum number of keys is "
              + MAX_BATCH
              + " for "
              + what
              + "; "
              + keys.size()
              + " were provided.");
    }
    for (String k : keys) {
      checkKey(k);
    }
  }

  static void checkBatch(Map<String, ?> entries) {
    if (entries.size() > MAX_BATCH) {
      throw new IllegalArgumentException(
          "Maximum number of pairs is "
              + MAX_BATCH
              + " for put(); "
              + entries.size()
              + " were provided.");
    }
  }

  static String abbreviate(String key) {
    return key.length() <= 40 ? key : key.substring(0, 40) + "...";
  }
}
