package dev.dobj.fetch;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * The header list of a {@link Request} or {@link Response}, shaped like the Fetch standard's {@code
 * Headers}, but immutable.
 *
 * <p>Names are case-insensitive: they are validated as HTTP tokens (RFC 9110 {@code tchar}: ASCII
 * letters, digits and {@code !#$%&'*+-.^_`|~}), stored lower-case and returned lower-case. A name
 * may carry several values. Names keep the order in which they first appeared; the values of a name
 * keep the order in which they were added. Values are normalised as in Fetch: leading and trailing
 * spaces and tabs are removed; a value containing CR, LF or NUL is refused.
 *
 * <p>{@link #equals} compares the values of each name in order, but not the order of the names (it
 * is the equality of {@link #toMap()}). {@link #toString()} hides the values of credential headers
 * ({@code authorization}, {@code proxy-authorization}, {@code cookie}, {@code set-cookie}) so that
 * logging headers does not leak secrets.
 *
 * <p>Instances are immutable and thread-safe. Methods that "change" headers return a new instance.
 */
public final class Headers implements Iterable<Map.Entry<String, String>> {
  private static final Headers EMPTY = new Headers(Map.of());

  private static final Set<String> REDACTED =
      Set.of("authorization", "proxy-authorization", "cookie", "set-cookie");

  /** Lower-case name to its values; unmodifiable, insertion-ordered, every list non-empty. */
  private final Map<String, List<String>> values;

  private Headers(Map<String, List<String>> values) {
    this.values = values;
  }

  /** Headers with no names. */
  public static Headers empty() {
    return EMPTY;
  }

  /**
   * Headers from alternating names and values, e.g. {@code Headers.of("content-type", "text/plain",
   * "x-id", "7")}. A name given twice gets both values, in order.
   *
   * @throws IllegalArgumentException if the number of arguments is odd, or a name or value is
   *     invalid (see the class comment)
   * @throws NullPointerException if the array or any element is null
   */
  public static Headers of(String... nameValuePairs) {
    Objects.requireNonNull(nameValuePairs, "nameValuePairs");
    if (nameValuePairs.length % 2 != 0) {
      throw new IllegalArgumentException(
          "Headers.of(String...) takes name/value pairs, so an even number of arguments, got "
              + nameValuePairs.length);
    }
    Builder builder = builder();
    for (int i = 0; i < nameValuePairs.length; i += 2) {
      builder.add(nameValuePairs[i], nameValuePairs[i + 1]);
    }
    return builder.build();
  }

  /**
   * Headers from a map of names to values. Names that differ only in case are merged, their values
   * appended in the map's iteration order; a name mapped to an empty collection adds nothing.
   *
   * @throws IllegalArgumentException if a name or value is invalid (see the class comment)
   * @throws NullPointerException if the map, a name, a collection or a value is null
   */
  public static Headers of(Map<String, ? extends Collection<String>> map) {
    Objects.requireNonNull(map, "map");
    Builder builder = builder();
    map.forEach(
        (name, list) -> {
          String key = normalizeName(name);
          Objects.requireNonNull(list, () -> "values of header \"" + key + "\"");
          for (String value : list) {
            builder.add(key, value);
          }
        });
    return builder.build();
  }

  /** A builder with no headers. */
  public static Builder builder() {
    return new Builder(Map.of());
  }

  /** A builder that starts with these headers. */
  public Builder toBuilder() {
    return new Builder(values);
  }

  /**
   * The values of {@code name} joined with {@code ", "}, as Fetch's {@code Headers.get} does, or
   * empty if the name is absent. Use {@link #getAll} for headers such as {@code set-cookie} whose
   * values may themselves contain commas.
   *
   * @throws IllegalArgumentException if {@code name} is not a valid header name
   * @throws NullPointerException if {@code name} is null
   */
  public Optional<String> get(String name) {
    List<String> list = values.get(normalizeName(name));
    return list == null ? Optional.empty() : Optional.of(String.join(", ", list));
  }

  /**
   * The values of {@code name} in the order they were added; an empty list if the name is absent.
   * The list is unmodifiable.
   *
   * @throws IllegalArgumentException if {@code name} is not a valid header name
   * @throws NullPointerException if {@code name} is null
   */
  public List<String> getAll(String name) {
    return values.getOrDefault(normalizeName(name), List.of());
  }

  /**
   * Whether {@code name} has at least one value.
   *
   * @throws IllegalArgumentException if {@code name} is not a valid header name
   * @throws NullPointerException if {@code name} is null
   */
  public boolean has(String name) {
    return values.containsKey(normalizeName(name));
  }

  /** The lower-case names, in the order they first appeared; unmodifiable. */
  public Set<String> names() {
    return values.keySet();
  }

  /**
   * These headers with {@code name} set to the single value {@code value}, replacing any values it
   * had; a name that was present keeps its position.
   *
   * @throws IllegalArgumentException if the name or value is invalid (see the class comment)
   * @throws NullPointerException if either argument is null
   */
  public Headers with(String name, String value) {
    return toBuilder().set(name, value).build();
  }

  /**
   * These headers with {@code value} added after any values {@code name} already has.
   *
   * @throws IllegalArgumentException if the name or value is invalid (see the class comment)
   * @throws NullPointerException if either argument is null
   */
  public Headers withAdded(String name, String value) {
    return toBuilder().add(name, value).build();
  }

  /**
   * These headers without {@code name}; this instance if the name is absent.
   *
   * @throws IllegalArgumentException if {@code name} is not a valid header name
   * @throws NullPointerException if {@code name} is null
   */
  public Headers without(String name) {
    return has(name) ? toBuilder().remove(name).build() : this;
  }

  /**
   * The headers as an unmodifiable map from lower-case name to its non-empty, unmodifiable list of
   * values, in the order of {@link #names()}.
   */
  public Map<String, List<String>> toMap() {
    return values;
  }

  /** The number of distinct names (not of values). */
  public int size() {
    return values.size();
  }

  /** Whether there are no headers. */
  public boolean isEmpty() {
    return values.isEmpty();
  }

  /**
   * Every (lower-case name, value) pair: names in the order of {@link #names()}, each name's values
   * in order. A name with two values yields two entries. The iterator does not support {@code
   * remove}.
   */
  @Override
  public Iterator<Map.Entry<String, String>> iterator() {
    List<Map.Entry<String, String>> entries = new ArrayList<>();
    values.forEach((name, list) -> list.forEach(value -> entries.add(Map.entry(name, value))));
    return Collections.unmodifiableList(entries).iterator();
  }

  /** Equal when both have the same names, each with the same values in the same order. */
  @Override
  public boolean equals(Object o) {
    return o instanceof Headers other && values.equals(other.values);
  }

  @Override
  public int hashCode() {
    return values.hashCode();
  }

  /**
   * The headers for logs, e.g. {@code Headers{content-type=[text/plain], cookie=<redacted>}};
   * credential headers show no values.
   */
  @Override
  public String toString() {
    StringBuilder out = new StringBuilder("Headers{");
    String separator = "";
    for (Map.Entry<String, List<String>> e : values.entrySet()) {
      out.append(separator).append(e.getKey()).append('=');
      out.append(REDACTED.contains(e.getKey()) ? "<redacted>" : e.getValue().toString());
      separator = ", ";
    }
    return out.append('}').toString();
  }

  /** Checks that {@code name} is an HTTP token and returns it lower-case. */
  static String normalizeName(String name) {
    Objects.requireNonNull(name, "header name");
    if (!isToken(name)) {
      throw new IllegalArgumentException(
          "Invalid header name \""
              + name
              + "\": a header name must be a non-empty HTTP token (RFC 9110: ASCII letters, digits"
              + " and !#$%&'*+-.^_`|~)");
    }
    return name.toLowerCase(Locale.ROOT);
  }

  /** Checks {@code value} of header {@code name} and returns it without surrounding blanks. */
  private static String normalizeValue(String name, String value) {
    Objects.requireNonNull(value, () -> "value of header \"" + name + "\"");
    for (int i = 0; i < value.length(); i++) {
      char c = value.charAt(i);
      if (c == '\r' || c == '\n' || c == '\0') {
        // The value itself is left out: it may be a credential.
        throw new IllegalArgumentException(
            "Invalid value for header \""
                + name
                + "\": it contains "
                + (c == '\r' ? "CR (\\r)" : c == '\n' ? "LF (\\n)" : "NUL (\\0)")
                + " at index "
                + i
                + "; header values must not contain CR, LF or NUL");
      }
    }
    return stripBlanks(value);
  }

  /** Removes leading and trailing spaces and tabs (Fetch's HTTP whitespace, minus CR and LF). */
  private static String stripBlanks(String value) {
    int start = 0;
    int end = value.length();
    while (start < end && isBlank(value.charAt(start))) {
      start++;
    }
    while (end > start && isBlank(value.charAt(end - 1))) {
      end--;
    }
    return value.substring(start, end);
  }

  private static boolean isBlank(char c) {
    return c == ' ' || c == '\t';
  }

  /** Whether {@code s} is a non-empty RFC 9110 token. */
  static boolean isToken(String s) {
    if (s.isEmpty()) {
      return false;
    }
    for (int i = 0; i < s.length(); i++) {
      if (!isTchar(s.charAt(i))) {
        return false;
      }
    }
    return true;
  }

  // The RFC 9110 token characters as a bit set over ASCII: bit c of TCHAR_LOW (c < 64) or of
  // TCHAR_HIGH (c - 64).
  private static final long TCHAR_LOW;
  private static final long TCHAR_HIGH;

  static {
    long low = 0;
    long high = 0;
    String tchars = "!#$%&'*+-.^_`|~0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ";
    for (int i = 0; i < tchars.length(); i++) {
      char c = tchars.charAt(i);
      if (c < 64) {
        low |= 1L << c;
      } else {
        high |= 1L << (c - 64);
      }
    }
    TCHAR_LOW = low;
    TCHAR_HIGH = high;
  }

  private static boolean isTchar(char c) {
    return c < 64 ? (TCHAR_LOW & (1L << c)) != 0 : c < 128 && (TCHAR_HIGH & (1L << (c - 64))) != 0;
  }

  /**
   * A mutable builder of {@link Headers}, with the same validation and normalisation. Not
   * thread-safe; {@link #build()} may be called more than once.
   */
  public static final class Builder {
    private final LinkedHashMap<String, List<String>> values = new LinkedHashMap<>();

    private Builder(Map<String, List<String>> initial) {
      initial.forEach((name, list) -> values.put(name, new ArrayList<>(list)));
    }

    /**
     * Adds {@code value} after any values {@code name} already has.
     *
     * @return this builder
     * @throws IllegalArgumentException if the name or value is invalid (see {@link Headers})
     * @throws NullPointerException if either argument is null
     */
    public Builder add(String name, String value) {
      String key = normalizeName(name);
      String normalized = normalizeValue(key, value);
      values.computeIfAbsent(key, k -> new ArrayList<>()).add(normalized);
      return this;
    }

    /**
     * Sets {@code name} to the single value {@code value}, replacing any values it had; a name that
     * was present keeps its position.
     *
     * @return this builder
     * @throws IllegalArgumentException if the name or value is invalid (see {@link Headers})
     * @throws NullPointerException if either argument is null
     */
    public Builder set(String name, String value) {
      String key = normalizeName(name);
      List<String> list = new ArrayList<>();
      list.add(normalizeValue(key, value));
      values.put(key, list);
      return this;
    }

    /**
     * Adds every value of {@code headers}, after any values already present for the same names.
     *
     * @return this builder
     * @throws NullPointerException if {@code headers} is null
     */
    public Builder addAll(Headers headers) {
      Objects.requireNonNull(headers, "headers");
      headers.values.forEach(
          (name, list) -> values.computeIfAbsent(name, k -> new ArrayList<>()).addAll(list));
      return this;
    }

    /**
     * Removes {@code name} and all its values; nothing happens if it is absent.
     *
     * @return this builder
     * @throws IllegalArgumentException if {@code name} is not a valid header name
     * @throws NullPointerException if {@code name} is null
     */
    public Builder remove(String name) {
      values.remove(normalizeName(name));
      return this;
    }

    /** The headers built so far. */
    public Headers build() {
      if (values.isEmpty()) {
        return EMPTY;
      }
      LinkedHashMap<String, List<String>> copy = new LinkedHashMap<>();
      values.forEach((name, list) -> copy.put(name, List.copyOf(list)));
      return new Headers(Collections.unmodifiableMap(copy));
    }
  }
}
