package dev.dobj.spi.storage;

/**
 * Proof of ownership presented with every commit. One process always holds epoch 0; in a cluster it
 * is the epoch of the shard lease, and a commit under a stale epoch is refused.
 *
 * @param epoch the lease epoch
 */
public record FencingToken(long epoch) {
  /** The token of a single-process deployment. */
  public static final FencingToken SINGLE_NODE = new FencingToken(0);
}
