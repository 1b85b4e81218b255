package dev.dobj.rpc.codec;

import java.util.Objects;
import java.util.Optional;

/**
 * How a {@link dev.dobj.DurableObjectStub} travels on the wire: the binding (namespace) that owns
 * the object, the 64 hex digits of its id, and the name the id was derived from, if any.
 *
 * @param binding the name of the namespace binding, not empty
 * @param id the id as 64 hex digits
 * @param name the name the id was derived from, if it was obtained by name
 */
public record StubReference(String binding, String id, Optional<String> name) {
  /**
   * Checks the components.
   *
   * @throws NullPointerException if a component is null
   * @throws IllegalArgumentException if {@code binding} is empty
   */
  public StubReference {
    Objects.requireNonNull(binding, "binding");
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(name, "name");
    if (binding.isEmpty()) {
      throw new IllegalArgumentException("A stub reference needs a binding name, got \"\"");
    }
  }
}
