package dev.dobj.spi.placement;

import dev.dobj.spi.ObjectAddress;

/**
 * Decides which node hosts each object. The runtime asks before binding a stub; the answer must
 * name at most one live host per address at any time (the cluster fences stale owners in storage).
 * Implementations are thread-safe and fast: they are called once per stub binding.
 */
public interface Placement {
  /** Where {@code address} is hosted now. */
  Location locate(ObjectAddress address);
}
