package dev.dobj.runtime;

import dev.dobj.spi.ObjectAddress;
import dev.dobj.spi.placement.Location;
import dev.dobj.spi.transport.CallStream;
import dev.dobj.spi.transport.Envelope;
import dev.dobj.spi.transport.InboundHandler;
import dev.dobj.spi.transport.Reply;
import dev.dobj.spi.transport.Transport;
import java.net.ConnectException;
import java.net.URI;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A network of nodes inside one JVM: the in-process {@link Transport}. Each node is a runtime that
 * serves calls at an endpoint; a call travels as the codec's bytes (copied on the way, as on a
 * wire) and is handed to the target node in the order it was sent. Closing a node fails the calls
 * waiting on it, as a lost connection would.
 *
 * <p>It lets several runtimes in one process act as a cluster (for tests of placement and of the
 * wire path), and is the local implementation behind the transport SPI. Thread-safe.
 */
public final class InProcessNetwork {
  private final ConcurrentHashMap<URI, Node> nodes = new ConcurrentHashMap<>();
  private final AtomicLong streamIds = new AtomicLong();

  /** The transport of the node at {@code endpoint} (for example {@code inproc://node-a}). */
  public Transport node(URI endpoint) {
    return new Node(Objects.requireNonNull(endpoint, "endpoint"));
  }

  private final class Node implements Transport {
    private final URI endpoint;
    private final Set<CompletableFuture<Reply>> pending = ConcurrentHashMap.newKeySet();
    private volatile InboundHandler handler;
    private volatile boolean closed;

    Node(URI endpoint) {
      this.endpoint = endpoint;
    }

    @Override
    public void serve(InboundHandler h) {
      this.handler = Objects.requireNonNull(h, "handler");
      if (nodes.putIfAbsent(endpoint, this) != null) {
        throw new IllegalStateException("A node already serves " + endpoint);
      }
    }

    @Override
    public CallStream open(ObjectAddress target, Location.Remote where) {
      long id = streamIds.incrementAndGet();
      return new CallStream() {
        @Override
        public CompletableFuture<Reply> send(Envelope call) {
          Node to = nodes.get(where.endpoint());
          if (closed || to == null || to.closed) {
            return CompletableFuture.failedFuture(
                new ConnectException("No node serves " + where.endpoint()));
          }
          Envelope copy = new Envelope(call.methodKey(), call.payload().clone());
          CompletableFuture<Reply> out = new CompletableFuture<>();
          pending.add(out);
          to.pending.add(out);
          to.handler
              .deliver(target, id, copy)
              .whenComplete(
                  (reply, err) -> {
                    pending.remove(out);
                    to.pending.remove(out);
                    if (err != null) {
                      out.completeExceptionally(err);
                    } else if (reply instanceof Reply.Value v) {
                      out.complete(new Reply.Value(v.payload().clone()));
                    } else {
                      out.complete(reply);
                    }
                  });
          return out;
        }

        @Override
        public void close() {}
      };
    }

    @Override
    public void close() {
      closed = true;
      nodes.remove(endpoint, this);
      ConnectException lost = new ConnectException("Node " + endpoint + " closed");
      for (CompletableFuture<Reply> f : pending) {
        f.completeExceptionally(lost);
      }
      pending.clear();
    }
  }
}
