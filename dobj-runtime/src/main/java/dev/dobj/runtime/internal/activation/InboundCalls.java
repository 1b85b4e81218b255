package dev.dobj.runtime.internal.activation;

import dev.dobj.DurableObjectException;
import dev.dobj.fetch.Request;
import dev.dobj.fetch.Response;
import dev.dobj.spi.ObjectAddress;
import dev.dobj.spi.transport.Envelope;
import dev.dobj.spi.transport.InboundHandler;
import dev.dobj.spi.transport.Reply;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The receiving side of a transport: decodes each incoming call and delivers it to the local
 * activation through a stub kept per stream, so a stream's calls keep E-order and break together
 * (as the caller's stub would locally). Builds only the types the object's method declares.
 *
 * <p>Thread-safety: called concurrently for different streams, in order for one stream.
 */
public final class InboundCalls implements InboundHandler {
  /** The view inbound stubs are typed by; they never make proxies. */
  interface Untyped {}

  private final Map<String, ObjectHost> hostsByUniqueKey;
  private final ConcurrentHashMap<Long, Stub<Untyped>> streams = new ConcurrentHashMap<>();
  private final ConcurrentHashMap<ObjectHost, Namespace<Untyped>> views = new ConcurrentHashMap<>();

  public InboundCalls(Map<String, ObjectHost> hostsByUniqueKey) {
    this.hostsByUniqueKey = Map.copyOf(hostsByUniqueKey);
  }

  @Override
  public CompletableFuture<Reply> deliver(ObjectAddress target, long streamId, Envelope call) {
    ObjectHost host = hostsByUniqueKey.get(target.namespace());
    if (host == null) {
      return invalid("No Durable Object namespace with unique key " + target.namespace() + " here");
    }
    if (!host.key.owns(target.id())) {
      return invalid("Durable Object ID is not valid for this namespace. (" + target + ")");
    }
    Stub<Untyped> stub =
        streams.computeIfAbsent(
            streamId,
            k ->
                new Stub<>(
                    views.computeIfAbsent(host, h -> new Namespace<>(h, Untyped.class)),
                    target.id()));
    if (call.methodKey().equals(Envelope.FETCH)) {
      Request request;
      try {
        request = (Request) host.codec.plan(Request.class).decode(call.payload());
      } catch (IllegalArgumentException e) {
        return invalid(e.getMessage());
      }
      return reply(stub.fetchAsync(request), r -> host.codec.plan(Response.class).encode(r));
    }
    Dispatch d = host.dispatchByKey(call.methodKey());
    if (d == null || d.target() == null) {
      String name = call.methodKey().substring(0, Math.max(0, call.methodKey().indexOf('(')));
      return invalid(
          "The RPC receiver does not implement the method \"" + name + "\".", "TypeError");
    }
    Object[] args;
    try {
      args = d.plan().decodeArguments(call.payload());
    } catch (IllegalArgumentException e) {
      return invalid(e.getMessage());
    }
    CallEvent e = new CallEvent(d, args);
    stub.deliverEvent(e);
    return reply(e.result, v -> d.plan().encodeResult(v));
  }

  private static <T> CompletableFuture<Reply> reply(
      CompletableFuture<T> result, java.util.function.Function<T, byte[]> encode) {
    return result.handle(
        (v, err) -> {
          if (err == null) {
            try {
              return new Reply.Value(encode.apply(v));
            } catch (IllegalArgumentException e) {
              return failure(e);
            }
          }
          return failure(Outcomes.forCaller(err));
        });
  }

  private static Reply failure(Throwable t) {
    if (t instanceof DurableObjectException d) {
      Reply.Kind kind =
          d.reset()
              ? Reply.Kind.RESET
              : d.overloaded() ? Reply.Kind.OVERLOADED : Reply.Kind.APPLICATION;
      return new Reply.Failure(
          kind, d.remoteType().orElse(DurableObjectException.class.getName()), d.getMessage());
    }
    return new Reply.Failure(
        Reply.Kind.APPLICATION, t.getClass().getName(), String.valueOf(t.getMessage()));
  }

  private static CompletableFuture<Reply> invalid(String message) {
    return invalid(message, IllegalArgumentException.class.getName());
  }

  private static CompletableFuture<Reply> invalid(String message, String type) {
    return CompletableFuture.completedFuture(new Reply.Failure(Reply.Kind.INVALID, type, message));
  }
}
