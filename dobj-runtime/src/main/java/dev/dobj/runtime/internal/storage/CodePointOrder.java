package dev.dobj.runtime.internal.storage;

import java.util.Comparator;

/**
 * Orders strings by their UTF-8 bytes, which is code point order (Java's own {@code compareTo}
 * orders by UTF-16 units and puts U+E000..U+FFFF after supplementary characters).
 */
final class CodePointOrder implements Comparator<String> {
  static final CodePointOrder ASCENDING = new CodePointOrder();

  private CodePointOrder() {}

  @Override
  public int compare(String a, String b) {
    int i = 0;
    int j = 0;
    while (i < a.length() && j < b.length()) {
      int ca = a.codePointAt(i);
      int cb = b.codePointAt(j);
      if (ca != cb) {
        return Integer.compare(ca, cb);
      }
      i += Character.charCount(ca);
      j += Character.charCount(cb);
    }
    return Integer.compare(a.length() - i, b.length() - j);
  }
}
