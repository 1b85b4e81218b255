package dev.dobj.spi;

import dev.dobj.DurableObjectId;
import java.util.Objects;

/**
 * Where an object lives logically: its namespace (by unique key) and its id.
 *
 * @param namespace the namespace's configured unique key
 * @param id the object's id
 */
public record ObjectAddress(String namespace, DurableObjectId id) {
  public ObjectAddress {
    Objects.requireNonNull(namespace, "namespace");
    Objects.requireNonNull(id, "id");
  }

  @Override
  public String toString() {
    return namespace + "/" + id;
  }
}
