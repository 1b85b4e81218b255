package dev.dobj.spi.transport;

import dev.dobj.spi.ObjectAddress;
import dev.dobj.spi.placement.Location;

/**
 * Carries calls between nodes. The runtime opens one {@link CallStream} per stub; a stream delivers
 * its calls in the order they were sent and fails them all (retryable) when its connection is lost.
 * Incoming calls are handed to the {@link InboundHandler} registered with {@link #serve}.
 * Thread-safe.
 */
public interface Transport extends AutoCloseable {
  /** Starts accepting calls for objects hosted here. */
  void serve(InboundHandler handler);

  /** Opens an ordered stream of calls to {@code target} on {@code where}. */
  CallStream open(ObjectAddress target, Location.Remote where);

  /** Stops serving and fails every open stream. */
  @Override
  void close();
}
