package dev.dobj.runtime.internal.activation;

import dev.dobj.DurableObjectException;
import dev.dobj.fetch.Request;
import dev.dobj.fetch.Response;
import io.micrometer.core.instrument.Counter;

/**
 * A request for the object's {@code fetch} handler; the response leaves through the output gate.
 */
final class FetchEvent extends Event {
  private final Request request;
  final RpcFuture<Response> result = new RpcFuture<>();

  FetchEvent(Request request) {
    this.request = request;
  }

  @Override
  void execute(Activation activation) {
    Counter fetches = activation.host.fetches;
    if (fetches != null) {
      fetches.increment();
    }
    Response response;
    try {
      response = activation.instance().fetch(request);
      if (response == null) {
        throw new IllegalStateException(
            activation.instance().getClass().getName() + ".fetch(Request) returned null");
      }
    } catch (Throwable t) {
      result.completeExceptionally(Outcomes.fromObject(t));
      return;
    }
    Response out = response;
    activation.outputGate().release(() -> result.complete(out), result::completeExceptionally);
  }

  @Override
  protected void reject(RuntimeException cause) {
    result.completeExceptionally(
        cause instanceof DurableObjectException d ? Activation.copyOf(d) : cause);
  }

  @Override
  public String toString() {
    return "fetch " + request;
  }
}
