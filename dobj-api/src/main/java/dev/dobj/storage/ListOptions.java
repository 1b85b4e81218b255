package dev.dobj.storage;

import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * Which keys {@link Storage#list(ListOptions, Class)} returns. Keys are ordered by their UTF-8
 * bytes.
 *
 * @param start first key to include (inclusive)
 * @param startAfter key after which to start (exclusive); not together with {@code start}
 * @param end key at which to stop (exclusive)
 * @param prefix only keys starting with this
 * @param reverse descending order; does not swap {@code start} and {@code end}
 * @param limit at most this many entries (positive)
 */
public record ListOptions(
    Optional<String> start,
    Optional<String> startAfter,
    Optional<String> end,
    Optional<String> prefix,
    boolean reverse,
    OptionalInt limit) {
  /** Every key, ascending. */
  public static final ListOptions ALL =
      new ListOptions(
          Optional.empty(),
          Optional.empty(),
          Optional.empty(),
          Optional.empty(),
          false,
          OptionalInt.empty());

  /**
   * @throws IllegalArgumentException "List limit must be positive" for a limit below 1; when both
   *     {@code start} and {@code startAfter} are given
   */
  public ListOptions {
    Objects.requireNonNull(start, "start");
    Objects.requireNonNull(startAfter, "startAfter");
    Objects.requireNonNull(end, "end");
    Objects.requireNonNull(prefix, "prefix");
    Objects.requireNonNull(limit, "limit");
    if (limit.isPresent() && limit.getAsInt() <= 0) {
      throw new IllegalArgumentException(
          "List limit must be positive (got " + limit.getAsInt() + ")");
    }
    if (start.isPresent() && startAfter.isPresent()) {
      throw new IllegalArgumentException("List options start and startAfter cannot both be set");
    }
  }

  /** Options starting from {@code key} inclusive. */
  public ListOptions withStart(String key) {
    return new ListOptions(Optional.of(key), startAfter, end, prefix, reverse, limit);
  }

  /** Options starting after {@code key}. */
  public ListOptions withStartAfter(String key) {
    return new ListOptions(start, Optional.of(key), end, prefix, reverse, limit);
  }

  /** Options ending before {@code key}. */
  public ListOptions withEnd(String key) {
    return new ListOptions(start, startAfter, Optional.of(key), prefix, reverse, limit);
  }

  /** Options restricted to keys starting with {@code p}. */
  public ListOptions withPrefix(String p) {
    return new ListOptions(start, startAfter, end, Optional.of(p), reverse, limit);
  }

  /** Options in descending order. */
  public ListOptions reversed() {
    return new ListOptions(start, startAfter, end, prefix, true, limit);
  }

  /** Options returning at most {@code n} entries. */
  public ListOptions withLimit(int n) {
    return new ListOptions(start, startAfter, end, prefix, reverse, OptionalInt.of(n));
  }
}
