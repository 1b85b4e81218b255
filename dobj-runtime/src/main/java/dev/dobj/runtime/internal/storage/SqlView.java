package dev.dobj.runtime.internal.storage;

import dev.dobj.spi.storage.SqlResult;
import dev.dobj.storage.SqlCursor;
import dev.dobj.storage.SqlStorage;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code ctx.storage().sql()}: runs statements on the object's database inside the open batch,
 * after refusing what would break the object's storage: transaction control (use {@code
 * storage().transaction()}), {@code ATTACH}/{@code DETACH}, names reserved for dobj ({@code
 * _dobj_...}), and pragmas other than read-only introspection.
 */
final class SqlView implements SqlStorage {
  private static final Pattern LEADING_NOISE =
      Pattern.compile("\\A(?:\\s+|--[^\\n]*(?:\\n|\\z)|/\\*.*?\\*/)*", Pattern.DOTALL);
  private static final Pattern FIRST_WORD = Pattern.compile("\\A([A-Za-z]+)");
  private static final Pattern RESERVED = Pattern.compile("(?i)_dobj_[A-Za-z0-9_]*");
  private static final Set<String> TRANSACTION_CONTROL =
      Set.of("BEGIN", "COMMIT", "END", "ROLLBACK", "SAVEPOINT", "RELEASE");
  private static final Set<String> READ_ONLY_PRAGMAS =
      Set.of(
          "table_info",
          "table_xinfo",
          "table_list",
          "index_list",
          "index_info",
          "index_xinfo",
          "foreign_key_list",
          "foreign_key_check",
          "integrity_check",
          "quick_check",
          "optimize");
  private static final Pattern PRAGMA_NAME =
      Pattern.compile("(?i)\\APRAGMA\\s+(?:\"?main\"?\\.)?\"?([A-Za-z_]+)\"?\\s*(=)?");

  /** How many distinct statements' checks are remembered (most objects run a handful). */
  private static final int CHECKED_CAPACITY = 256;

  private final ObjectStorage storage;
  // turn-confined: statements that passed the refusals, mapped to whether they write. An object
  // runs the same few statement texts over and over; checking each once saves their parsing.
  private final Map<String, Boolean> checked = new HashMap<>();

  SqlView(ObjectStorage storage) {
    this.storage = storage;
  }

  @Override
  public SqlCursor exec(String query, Object... bindings) {
    storage.check("sql().exec");
    Objects.requireNonNull(query, "query");
    Object[] args = bindings == null ? new Object[] {null} : bindings;
    Boolean writes = checked.get(query);
    if (writes == null) {
      refuseForbidden(query);
      writes = writes(query);
      if (checked.size() >= CHECKED_CAPACITY) {
        checked.clear(); // an object generating statement texts: start over, stay bounded
      }
      checked.put(query, writes);
    }
    SqlResult result = storage.store().execute(query, args);
    if (result.rowsWritten() > 0 || writes) {
      storage.wrote();
    }
    return new Cursor(result);
  }

  @Override
  public long databaseSize() {
    storage.check("sql().databaseSize");
    return storage.store().databaseSize();
  }

  private static boolean writes(String query) {
    int separator = query.indexOf(';');
    if (separator >= 0 && !onlySemicolons(query, separator)) {
      return true; // several statements (or a ';' in a literal): count as a write, to be safe
    }
    String word = firstWord(query);
    return !(word.equals("SELECT")
        || word.equals("WITH")
        || word.equals("PRAGMA")
        || word.equals("EXPLAIN")
        || word.equals("VALUES"));
  }

  private static boolean onlySemicolons(String query, int from) {
    for (int i = from; i < query.length(); i++) {
      char c = query.charAt(i);
      if (c != ';' && !Character.isWhitespace(c)) {
        return false;
      }
    }
    return true;
  }

  private static String firstWord(String query) {
    Matcher noise = LEADING_NOISE.matcher(query);
    int start = noise.lookingAt() ? noise.end() : 0;
    Matcher w = FIRST_WORD.matcher(query.substring(start));
    return w.lookingAt() ? w.group(1).toUpperCase(Locale.ROOT) : "";
  }

  private static void refuseForbidden(String query) {
    String word = firstWord(query);
    if (TRANSACTION_CONTROL.contains(word)) {
      throw new IllegalArgumentException(
          "To execute a transaction, please use the ctx.storage().transaction() API instead of the"
              + " SQL "
              + word
              + " statement. The Java API is safer because it rolls back automatically on"
              + " exceptions, and it works with Durable Objects' automatic atomic write"
              + " coalescing.");
    }
    if (word.equals("ATTACH") || word.equals("DETACH")) {
      throw new IllegalArgumentException(
          word + " is not allowed: a Durable Object's SQL reaches its own database only");
    }
    Matcher reserved = RESERVED.matcher(query);
    if (reserved.find()) {
      throw new IllegalArgumentException(
          "Access to "
              + reserved.group()
              + " is not allowed: names starting with _dobj_ are reserved for dobj's own tables");
    }
    if (word.equals("PRAGMA")) {
      Matcher noise = LEADING_NOISE.matcher(query);
      int start = noise.lookingAt() ? noise.end() : 0;
      Matcher p = PRAGMA_NAME.matcher(query.substring(start));
      String name = p.lookingAt() ? p.group(1).toLowerCase(Locale.ROOT) : "";
      boolean assigns = p.lookingAt() && p.group(2) != null;
      if (!READ_ONLY_PRAGMAS.contains(name) || assigns) {
        throw new IllegalArgumentException(
            "PRAGMA "
                + (name.isEmpty() ? "statement" : name)
                + " is not allowed; allowed: "
                + String.join(", ", READ_ONLY_PRAGMAS.stream().sorted().toList()));
      }
    }
  }
}
