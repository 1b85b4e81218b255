package dev.dobj.runtime;

import dev.dobj.DurableObjectId;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * One object with durable state, as {@link DurableObjectRuntime#objects} lists it.
 *
 * @param id the id, carrying the object's name when it persisted one ({@code id.name()})
 * @param storageBytes the size of the object's database in bytes
 * @param alarm the object's pending alarm, if one is set
 */
public record ObjectInfo(DurableObjectId id, long storageBytes, Optional<Instant> alarm) {
  /** Checks the components. */
  public ObjectInfo {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(alarm, "alarm");
  }
}
