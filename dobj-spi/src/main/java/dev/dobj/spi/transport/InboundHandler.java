package dev.dobj.spi.transport;

import dev.dobj.spi.ObjectAddress;
import java.util.concurrent.CompletableFuture;

/**
 * The runtime's side of a transport: delivers an incoming call to the local activation. Calls of
 * one stream are handed over in order, and the handler enqueues each before it returns (so the
 * object sees them in that order).
 */
public interface InboundHandler {
  /**
   * Delivers {@code call} to the object at {@code target}, identified on the caller's side by
   * {@code streamId} (calls of one stream share one stub, and break together).
   */
  CompletableFuture<Reply> deliver(ObjectAddress target, long streamId, Envelope call);
}
