package dev.dobj.runtime.internal.activation;

import dev.dobj.DurableObjectException;
import dev.dobj.fetch.Request;
import dev.dobj.fetch.Response;
import dev.dobj.rpc.codec.MethodPlan;
import dev.dobj.rpc.codec.ValuePlan;
import dev.dobj.spi.transport.CallStream;
import dev.dobj.spi.transport.Envelope;
import dev.dobj.spi.transport.Reply;
import java.util.function.Function;

/**
 * A stub's ordered stream to an object hosted on another node. Arguments are encoded by the codec
 * (the encoding is the copy), sent in call order on one {@link CallStream}, and replies decoded
 * into the declared result type.
 *
 * <p>Broken stream: a reset reported by the remote side, or a lost connection, breaks the channel
 * for good (as a local reset breaks a stub); the stub's in-flight and later calls fail, with {@code
 * reset()} or {@code retryable()} set accordingly.
 */
final class RemoteChannel {
  private final CallStream stream;
  private final String describe;
  private final ValuePlan requestPlan;
  private final ValuePlan responsePlan;
  private volatile DurableObjectException broken;

  RemoteChannel(CallStream stream, String describe, ObjectHost host) {
    this.stream = stream;
    this.describe = describe;
    this.requestPlan = host.codec.plan(Request.class);
    this.responsePlan = host.codec.plan(Response.class);
  }

  /** Sends a call; the future fails as the stub's calls fail. Bad values throw at once. */
  RpcFuture<Object> call(MethodPlan plan, Object[] args) {
    byte[] payload = plan.encodeArguments(args);
    return send(new Envelope(plan.key(), payload), plan::decodeResult);
  }

  RpcFuture<Response> fetch(Request request) {
    byte[] payload = requestPlan.encode(request);
    return send(new Envelope(Envelope.FETCH, payload), b -> (Response) responsePlan.decode(b));
  }

  private <R> RpcFuture<R> send(Envelope envelope, Function<byte[], R> decode) {
    RpcFuture<R> out = new RpcFuture<>();
    DurableObjectException b = broken;
    if (b != null) {
      out.completeExceptionally(Activation.copyOf(b));
      return out;
    }
    stream
        .send(envelope)
        .whenComplete(
            (reply, lost) -> {
              if (lost != null) {
                DurableObjectException e =
                    DurableObjectException.disconnected(
                        "Network connection lost. (" + describe + ")", lost);
                broken = e;
                out.completeExceptionally(e);
              } else if (reply instanceof Reply.Value v) {
                try {
                  out.complete(decode.apply(v.payload()));
                } catch (RuntimeException e) {
                  out.completeExceptionally(e);
                }
              } else {
                out.completeExceptionally(failure((Reply.Failure) reply));
              }
            });
    return out;
  }

  private DurableObjectException failure(Reply.Failure f) {
    return switch (f.kind()) {
      case APPLICATION -> DurableObjectException.remote(f.type(), f.message());
      case OVERLOADED -> DurableObjectException.overloaded(f.message());
      case INVALID -> DurableObjectException.remote(f.type(), f.message());
      case RESET -> {
        DurableObjectException e = DurableObjectException.reset(f.message(), null);
        broken = e;
        yield e;
      }
    };
  }
}
