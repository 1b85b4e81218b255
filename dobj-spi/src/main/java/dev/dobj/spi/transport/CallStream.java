package dev.dobj.spi.transport;

import java.util.concurrent.CompletableFuture;

/**
 * An ordered stream of calls to one remote object: the calls reach it in the order {@link #send}
 * was called. Thread-safe; {@code send} never blocks on the network.
 */
public interface CallStream extends AutoCloseable {
  /**
   * Sends one call.
   *
   * @return its reply; completes exceptionally (retryable) if the connection is lost first
   */
  CompletableFuture<Reply> send(Envelope call);

  /** Closes the stream; calls not yet answered fail. */
  @Override
  void close();
}
