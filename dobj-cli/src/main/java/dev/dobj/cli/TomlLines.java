package dev.dobj.cli;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;

/**
 * The line on which each key, table header and array element of a TOML document is written, so that
 * configuration errors can name their line.
 *
 * <p>Why it exists: jackson's TOML parser builds a tree first and hands it out through a tree
 * parser, so the nodes carry no location. This scanner reads the same text a second time and only
 * records lines. It runs on documents jackson already accepted, so it assumes valid TOML; on
 * anything it does not understand it stops recording and answers with what it has (a lookup falls
 * back to the nearest enclosing key), never failing.
 *
 * <p>A path is a list of keys ({@code String}) and array indexes ({@code Integer}), e.g. {@code
 * [durable_objects, bindings, 1, class_name]}. Immutable after construction; thread-safe.
 */
final class TomlLines {
  private final Map<List<Object>, Integer> lines;

  private TomlLines(Map<List<Object>, Integer> lines) {
    this.lines = lines;
  }

  /** The lines of {@code text}, a document jackson parsed without error. */
  static TomlLines of(String text) {
    Scanner scanner = new Scanner(text);
    try {
      scanner.document();
    } catch (RuntimeException unexpected) {
      // Best effort: keep the lines recorded so far (see the class comment).
    }
    return new TomlLines(Map.copyOf(scanner.lines));
  }

  /**
   * The line (1-based) where {@code path} is written, or where its nearest enclosing key or table
   * is when the path itself was not seen; empty if none was.
   */
  OptionalInt line(List<Object> path) {
    for (int n = path.size(); n > 0; n--) {
      Integer line = lines.get(path.subList(0, n));
      if (line != null) {
        return OptionalInt.of(line);
      }
    }
    return OptionalInt.empty();
  }

  /** A recursive-descent reader of TOML's structure; values are skipped, not decoded. */
  private static final class Scanner {
    final Map<List<Object>, Integer> lines = new HashMap<>();

    /** How many elements each array of tables ({@code [[a.b]]}) has so far, by resolved path. */
    private final Map<List<Object>, Integer> tableArrays = new HashMap<>();

    private final String text;
    private int pos;
    private int line = 1;

    Scanner(String text) {
      this.text = text;
    }

    void document() {
      List<Object> table = List.of();
      while (true) {
        skipSpacesNewlinesAndComments();
        if (atEnd()) {
          return;
        }
        if (peek() == '[') {
          table = header();
        } else {
          keyValue(table);
        }
      }
    }

    /** {@code [a.b]} or {@code [[a.b]]}; returns the resolved path of the table. */
    private List<Object> header() {
      int at = line;
      next();
      boolean array = peek() == '[';
      if (array) {
        next();
      }
      List<String> keys = dottedKey();
      List<Object> path = new ArrayList<>();
      for (int k = 0; k < keys.size(); k++) {
        path.add(keys.get(k));
        boolean last = k == keys.size() - 1;
        if (last && array) {
          List<Object> arrayPath = List.copyOf(path);
          int index = tableArrays.merge(arrayPath, 1, Integer::sum) - 1;
          record(arrayPath, at);
          path.add(index);
        } else {
          Integer size = tableArrays.get(path);
          if (size != null) {
            path.add(size - 1);
          }
        }
      }
      List<Object> table = List.copyOf(path);
      record(table, at);
      skipSpaces();
      next();
      if (array) {
        next();
      }
      return table;
    }

    /** {@code key = value}, with the key relative to {@code base}. */
    private void keyValue(List<Object> base) {
      int at = line;
      List<Object> path = new ArrayList<>(base);
      for (String key : dottedKey()) {
        path.add(key);
        record(List.copyOf(path), at);
      }
      skipSpaces();
      expect('=');
      skipSpaces();
      value(List.copyOf(path));
    }

    private void value(List<Object> path) {
      char c = peek();
      if (c == '{') {
        next();
        while (true) {
          skipSpacesNewlinesAndComments();
          if (peek() == '}') {
            next();
            return;
          }
          keyValue(path);
          skipSpacesNewlinesAndComments();
          if (peek() == ',') {
            next();
          }
        }
      } else if (c == '[') {
        next();
        for (int index = 0; ; index++) {
          skipSpacesNewlinesAndComments();
          if (peek() == ']') {
            next();
            return;
          }
          List<Object> element = new ArrayList<>(path);
          element.add(index);
          record(List.copyOf(element), line);
          value(List.copyOf(element));
          skipSpacesNewlinesAndComments();
          if (peek() == ',') {
            next();
          }
        }
      } else if (c == '"' || c == '\'') {
        string();
      } else {
        while (!atEnd() && " \t\r\n,]}#".indexOf(peek()) < 0) {
          next();
        }
      }
    }

    private List<String> dottedKey() {
      List<String> keys = new ArrayList<>();
      while (true) {
        skipSpaces();
        char c = peek();
        keys.add(c == '"' || c == '\'' ? string() : bareKey());
        skipSpaces();
        if (peek() != '.') {
          return keys;
        }
        next();
      }
    }

    private String bareKey() {
      int start = pos;
      while (!atEnd() && isBareKeyChar(peek())) {
        next();
      }
      if (pos == start) {
        throw new IllegalStateException("not a key at line " + line);
      }
      return text.substring(start, pos);
    }

    private static boolean isBareKeyChar(char c) {
      return (c >= 'a' && c <= 'z')
          || (c >= 'A' && c <= 'Z')
          || (c >= '0' && c <= '9')
          || c == '_'
          || c == '-';
    }

    /** A basic, literal or multi-line string; returns its content (decoded for keys). */
    private String string() {
      char quote = next();
      boolean multiLine = text.startsWith(String.valueOf(quote).repeat(2), pos);
      if (multiLine) {
        next();
        next();
      }
      StringBuilder out = new StringBuilder();
      while (true) {
        char c = next();
        if (c == quote) {
          if (!multiLine) {
            return out.toString();
          }
          if (text.startsWith(String.valueOf(quote).repeat(2), pos)) {
            next();
            next();
            // Up to two more quotes may end a multi-line string's content.
            while (!atEnd() && peek() == quote) {
              next();
            }
            return out.toString();
          }
        }
        if (c == '\\' && quote == '"') {
          out.append(escape());
        } else {
          out.append(c);
        }
      }
    }

    private String escape() {
      char c = next();
      return switch (c) {
        case 'b' -> "\b";
        case 't' -> "\t";
        case 'n' -> "\n";
        case 'f' -> "\f";
        case 'r' -> "\r";
        case 'e' -> "\u001b";
        case 'x' -> hex(2);
        case 'u' -> hex(4);
        case 'U' -> hex(8);
        case '\n', ' ', '\t', '\r' -> {
          // A line-ending backslash in a multi-line string: the whitespace that follows is trimmed.
          while (!atEnd() && " \t\r\n".indexOf(peek()) >= 0) {
            next();
          }
          yield "";
        }
        default -> String.valueOf(c);
      };
    }

    private String hex(int digits) {
      int start = pos;
      for (int i = 0; i < digits; i++) {
        next();
      }
      return Character.toString(Integer.parseInt(text.substring(start, pos), 16));
    }

    private void record(List<Object> path, int at) {
      lines.putIfAbsent(path, at);
    }

    private void skipSpaces() {
      while (!atEnd() && (peek() == ' ' || peek() == '\t')) {
        next();
      }
    }

    private void skipComment() {
      if (!atEnd() && peek() == '#') {
        while (!atEnd() && peek() != '\n') {
          next();
        }
      }
    }

    private void skipSpacesNewlinesAndComments() {
      while (true) {
        skipSpaces();
        skipComment();
        if (atEnd() || (peek() != '\n' && peek() != '\r')) {
          return;
        }
        next();
      }
    }

    private void expect(char c) {
      if (next() != c) {
        throw new IllegalStateException("expected '" + c + "' at line " + line);
      }
    }

    private boolean atEnd() {
      return pos >= text.length();
    }

    private char peek() {
      return atEnd() ? '\0' : text.charAt(pos);
    }

    private char next() {
      if (atEnd()) {
        throw new IllegalStateException("unexpected end of document");
      }
      char c = text.charAt(pos++);
      if (c == '\n') {
        line++;
      }
      return c;
    }
  }
}
