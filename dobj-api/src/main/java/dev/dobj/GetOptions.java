package dev.dobj;

import java.util.Objects;
import java.util.Optional;

/**
 * Options for {@link DurableObjectNamespace#get(DurableObjectId, GetOptions)}.
 *
 * @param locationHint where the caller would like a new object to be created (for example {@code
 *     "weur"}); recorded, with no effect on a single node
 */
public record GetOptions(Optional<String> locationHint) {
  /** No options. */
  public static final GetOptions NONE = new GetOptions(Optional.empty());

  public GetOptions {
    Objects.requireNonNull(locationHint, "locationHint");
  }

  /** Options with a location hint. */
  public static GetOptions locationHint(String hint) {
    return new GetOptions(Optional.of(hint));
  }
}
