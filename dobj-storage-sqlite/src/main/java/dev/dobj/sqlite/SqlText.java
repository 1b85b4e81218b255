package dev.dobj.sqlite;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * What the engine must know about a user's SQL statement before SQLite runs it: whether it may
 * write (so a write transaction is opened first), and whether it would break the engine's
 * invariants (transaction control, other databases, temporary tables, dobj's reserved names, more
 * than one statement, pragmas that change durability). A small tokenizer, not a parser: it skips
 * comments, string literals and quoted identifiers the way SQLite's tokenizer does.
 *
 * <p>The engine is the one place that refuses SQL (the runtime passes every query through): it owns
 * the write transaction and the WAL settings, it alone splits a query into its statements, and a
 * statement that slipped past would commit, roll back or reconfigure behind its back. The refusals
 * a user meets are worded as SPEC section 4 (and Cloudflare) word them.
 *
 * @param kind how the statement writes
 */
record SqlText(Kind kind) {
  /** How a statement writes. */
  enum Kind {
    /** Reads only (SELECT, VALUES, EXPLAIN, introspection pragmas): runs outside a transaction. */
    READ,
    /** INSERT, UPDATE, DELETE, REPLACE or WITH: writes only when it changes rows. */
    DML,
    /** Anything else (DDL, writing pragmas): counts as a write. */
    OTHER
  }

  private static final Set<String> TRANSACTION_CONTROL =
      Set.of("begin", "commit", "end", "rollback", "savepoint", "release");

  /** Pragmas that only read; allowed without an assignment. */
  private static final Set<String> READ_PRAGMAS =
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
          "foreign_keys",
          "page_count",
          "page_size",
          "freelist_count",
          "data_version",
          "schema_version",
          "user_version");

  /** Pragmas that write inside the transaction; allowed in every form. */
  private static final Set<String> WRITE_PRAGMAS =
      Set.of("defer_foreign_keys", "optimize", "user_version");

  private enum Type {
    WORD,
    QUOTED,
    STRING,
    PUNCT
  }

  private record Token(Type type, String text) {
    boolean is(String word) {
      return type == Type.WORD && text.equals(word);
    }

    boolean isPunct(char c) {
      return type == Type.PUNCT && text.length() == 1 && text.charAt(0) == c;
    }
  }

  /**
   * Classifies {@code sql}.
   *
   * @throws IllegalArgumentException if the statement is empty, is followed by another one, or is
   *     one the engine refuses
   */
  static SqlText of(String sql) {
    List<Token> tokens = new ArrayList<>();
    int end = firstStatement(sql, 0, tokens);
    if (tokens.isEmpty()) {
      throw new IllegalArgumentException("The SQL statement is empty: " + abbreviate(sql));
    }
    if (hasMore(sql, end)) {
      throw new IllegalArgumentException(
          "execute() runs one SQL statement at a time, but more SQL follows the first statement: "
              + abbreviate(sql.substring(end)));
    }
    String first = tokens.get(0).type == Type.WORD ? tokens.get(0).text : "";
    if (TRANSACTION_CONTROL.contains(first)) {
      throw new IllegalArgumentException(
          "To execute a transaction, please use the ctx.storage().transaction() API instead of the"
              + " SQL "
              + first.toUpperCase(Locale.ROOT)
              + " statement. The Java API is safer because it rolls back automatically on"
              + " exceptions, and it works with Durable Objects' automatic atomic write"
              + " coalescing.");
    }
    if (first.equals("attach") || first.equals("detach") || first.equals("vacuum")) {
      throw new IllegalArgumentException(
          first.toUpperCase(Locale.ROOT)
              + " is not allowed: a Durable Object's SQL reaches its own database only, inside"
              + " the engine's transaction");
    }
    for (int i = 0; i < tokens.size(); i++) {
      Token t = tokens.get(i);
      if (t.is("rollback")) {
        throw new IllegalArgumentException(
            "ROLLBACK conflict resolution (OR ROLLBACK, ON CONFLICT ROLLBACK, RAISE(ROLLBACK)) is"
                + " not allowed: it would discard the whole batch behind the engine's back; use"
                + " ABORT or FAIL");
      }
      if ((t.type == Type.WORD || t.type == Type.QUOTED)
          && t.text.toLowerCase(Locale.ROOT).startsWith("_dobj_")) {
        throw new IllegalArgumentException(
            "Access to "
                + t.text
                + " is not allowed: names starting with _dobj_ are reserved for dobj's own tables");
      }
      boolean tempSchema =
          (t.is("temp") || t.is("temporary"))
              && (i == 1 && first.equals("create")
                  || i + 1 < tokens.size() && tokens.get(i + 1).isPunct('.'));
      if (tempSchema) {
        throw new IllegalArgumentException(
            "Temporary tables, views and triggers are not allowed: they would vanish whenever the"
                + " engine closes the object's connection; create a regular one");
      }
    }
    return switch (first) {
      case "select", "values", "explain" -> new SqlText(Kind.READ);
      case "insert", "update", "delete", "replace", "with" -> new SqlText(Kind.DML);
      case "pragma" -> pragma(tokens);
      default -> new SqlText(Kind.OTHER);
    };
  }

  private static SqlText pragma(List<Token> tokens) {
    int i = 1;
    if (tokens.size() > i + 1 && tokens.get(i + 1).isPunct('.')) {
      i += 2; // schema name
    }
    String name = i < tokens.size() ? tokens.get(i).text.toLowerCase(Locale.ROOT) : "";
    boolean assigns = tokens.stream().anyMatch(t -> t.isPunct('='));
    if (WRITE_PRAGMAS.contains(name) && (assigns || !READ_PRAGMAS.contains(name))) {
      return new SqlText(Kind.OTHER);
    }
    if (READ_PRAGMAS.contains(name) && !assigns) {
      return new SqlText(Kind.READ);
    }
    throw new IllegalArgumentException(
        "PRAGMA "
            + (name.isEmpty() ? "statement" : name)
            + " is not allowed"
            + (assigns && !name.isEmpty() ? " with a value" : "")
            + ": the engine owns the database's settings; allowed: "
            + String.join(", ", READ_PRAGMAS.stream().sorted().toList())
            + " (to read) and "
            + String.join(", ", WRITE_PRAGMAS.stream().sorted().toList()));
  }

  /**
   * The statements of {@code sql} in order, each without its semicolon; empty statements (only
   * whitespace, comments or semicolons) are left out. A {@code CREATE TRIGGER} keeps the semicolons
   * of its body.
   */
  static List<String> split(String sql) {
    List<String> statements = new ArrayList<>();
    int start = 0;
    while (start < sql.length()) {
      List<Token> tokens = new ArrayList<>();
      int end = firstStatement(sql, start, tokens);
      if (!tokens.isEmpty()) {
        String text = sql.substring(start, end);
        statements.add(text.endsWith(";") ? text.substring(0, text.length() - 1) : text);
      }
      start = end;
    }
    return statements;
  }

  /**
   * Tokenizes the statement starting at {@code from} into {@code out}; returns the index just past
   * it.
   */
  private static int firstStatement(String sql, int from, List<Token> out) {
    int i = from;
    int n = sql.length();
    boolean trigger = false;
    while (i < n) {
      char c = sql.charAt(i);
      if (Character.isWhitespace(c)) {
        i++;
      } else if (c == '-' && i + 1 < n && sql.charAt(i + 1) == '-') {
        int eol = sql.indexOf('\n', i);
        i = eol < 0 ? n : eol + 1;
      } else if (c == '/' && i + 1 < n && sql.charAt(i + 1) == '*') {
        int close = sql.indexOf("*/", i + 2);
        i = close < 0 ? n : close + 2;
      } else if (c == '\'') {
        int close = closing(sql, i, '\'');
        out.add(new Token(Type.STRING, sql.substring(i + 1, Math.max(i + 1, close - 1))));
        i = close;
      } else if (c == '"' || c == '`') {
        int close = closing(sql, i, c);
        out.add(
            new Token(
                Type.QUOTED,
                sql.substring(i + 1, Math.max(i + 1, close - 1))
                    .replace(String.valueOf(c) + c, String.valueOf(c))));
        i = close;
      } else if (c == '[') {
        int close = sql.indexOf(']', i);
        close = close < 0 ? n : close + 1;
        out.add(new Token(Type.QUOTED, sql.substring(i + 1, Math.max(i + 1, close - 1))));
        i = close;
      } else if (isWordChar(c)) {
        int start = i;
        while (i < n && isWordChar(sql.charAt(i))) {
          i++;
        }
        out.add(new Token(Type.WORD, sql.substring(start, i).toLowerCase(Locale.ROOT)));
        if (out.size() <= 3 && out.get(0).is("create") && out.get(out.size() - 1).is("trigger")) {
          trigger = true;
        }
      } else if (c == ';') {
        // Inside CREATE TRIGGER, only "END ;" ends the statement (as sqlite3_complete() decides).
        if (!trigger || (!out.isEmpty() && out.get(out.size() - 1).is("end"))) {
          return i + 1;
        }
        out.add(new Token(Type.PUNCT, ";"));
        i++;
      } else {
        out.add(new Token(Type.PUNCT, String.valueOf(c)));
        i++;
      }
    }
    return n;
  }

  /** Whether anything but whitespace, comments and semicolons follows {@code from}. */
  private static boolean hasMore(String sql, int from) {
    int i = from;
    int n = sql.length();
    while (i < n) {
      char c = sql.charAt(i);
      if (Character.isWhitespace(c) || c == ';') {
        i++;
      } else if (c == '-' && i + 1 < n && sql.charAt(i + 1) == '-') {
        int eol = sql.indexOf('\n', i);
        i = eol < 0 ? n : eol + 1;
      } else if (c == '/' && i + 1 < n && sql.charAt(i + 1) == '*') {
        int close = sql.indexOf("*/", i + 2);
        i = close < 0 ? n : close + 2;
      } else {
        return true;
      }
    }
    return false;
  }

  /** The index just past the quote closing the one at {@code open} (doubled quotes escape). */
  private static int closing(String sql, int open, char quote) {
    int i = open + 1;
    int n = sql.length();
    while (i < n) {
      if (sql.charAt(i) == quote) {
        if (i + 1 < n && sql.charAt(i + 1) == quote) {
          i += 2;
          continue;
        }
        return i + 1;
      }
      i++;
    }
    return n;
  }

  private static boolean isWordChar(char c) {
    return Character.isLetterOrDigit(c) || c == '_' || c == '$' || c >= 0x80;
  }

  static String abbreviate(String s) {
    String t = s.strip();
    return t.length() <= 80 ? "\"" + t + "\"" : "\"" + t.substring(0, 77) + "...\"";
  }
}
