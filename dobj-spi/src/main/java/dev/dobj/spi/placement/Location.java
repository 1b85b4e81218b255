package dev.dobj.spi.placement;

import java.net.URI;
import java.util.Objects;

/** The answer of {@link Placement#locate}: this process, or a remote node. */
public sealed interface Location {
  /** Hosted by this process. */
  Location LOCAL = new Local();

  /** This process hosts the object. */
  record Local() implements Location {}

  /**
   * Another node hosts the object.
   *
   * @param node the node's id
   * @param endpoint how the transport reaches it
   */
  record Remote(String node, URI endpoint) implements Location {
    public Remote {
      Objects.requireNonNull(node, "node");
      Objects.requireNonNull(endpoint, "endpoint");
    }
  }
}
