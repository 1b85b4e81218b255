package dev.dobj;

import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * Which ids {@link DurableObjectNamespace#listIds(ListIdsOptions)} returns, shaped like the
 * key-value list options: ids are ordered by their string form (64 lowercase hex digits), a page
 * starts after a cursor and holds at most {@code limit} ids. Beyond Cloudflare.
 *
 * <pre>{@code
 * ListIdsOptions page = ListIdsOptions.ALL.withLimit(100);
 * List<DurableObjectId> ids;
 * do {
 *   ids = namespace.listIds(page);
 *   ids.forEach(System.out::println);
 *   if (!ids.isEmpty()) page = page.withStartAfter(ids.getLast().toString());
 * } while (ids.size() == 100);
 * }</pre>
 *
 * @param startAfter the id (64 hex digits, any case) after which to start (exclusive)
 * @param limit at most this many ids (positive); every id when empty
 */
public record ListIdsOptions(Optional<String> startAfter, OptionalInt limit) {
  /** Every id, ascending. */
  public static final ListIdsOptions ALL =
      new ListIdsOptions(Optional.empty(), OptionalInt.empty());

  /**
   * @throws IllegalArgumentException "List limit must be positive" for a limit below 1
   */
  public ListIdsOptions {
    Objects.requireNonNull(startAfter, "startAfter");
    Objects.requireNonNull(limit, "limit");
    if (limit.isPresent() && limit.getAsInt() <= 0) {
      throw new IllegalArgumentException(
          "List limit must be positive (got " + limit.getAsInt() + ")");
    }
  }

  /** Options starting after {@code id} (its string form). */
  public ListIdsOptions withStartAfter(String id) {
    return new ListIdsOptions(Optional.of(Objects.requireNonNull(id, "id")), limit);
  }

  /**
   * Options returning at most {@code n} ids.
   *
   * @throws IllegalArgumentException if {@code n} is below 1
   */
  public ListIdsOptions withLimit(int n) {
    return new ListIdsOptions(startAfter, OptionalInt.of(n));
  }
}
