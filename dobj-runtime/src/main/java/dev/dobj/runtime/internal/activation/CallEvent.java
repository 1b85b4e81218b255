package dev.dobj.runtime.internal.activation;

import dev.dobj.DurableObjectException;
import io.micrometer.core.instrument.Counter;
import java.lang.reflect.InvocationTargetException;

/**
 * An RPC call: a method of the object's class with arguments already copied. The result is copied
 * on the object's side and leaves through the output gate.
 */
final class CallEvent extends Event {
  private final Dispatch dispatch;
  private final Object[] args;
  final RpcFuture<Object> result = new RpcFuture<>();

  CallEvent(Dispatch dispatch, Object[] args) {
    this.dispatch = dispatch;
    this.args = args;
  }

  @Override
  void execute(Activation activation) {
    Counter calls = dispatch.calls();
    if (calls != null) {
      calls.increment();
    }
    Object value;
    try {
      value = dispatch.target().invoke(activation.instance(), args);
      value = dispatch.plan().copyResult(value);
    } catch (InvocationTargetException e) {
      result.completeExceptionally(Outcomes.fromObject(e.getCause()));
      return;
    } catch (IllegalArgumentException e) {
      // The result could not be copied: the object's side is at fault.
      result.completeExceptionally(Outcomes.fromObject(e));
      return;
    } catch (IllegalAccessException e) {
      result.completeExceptionally(
          new AssertionError("method " + dispatch.display() + " became inaccessible", e));
      return;
    }
    Object out = value;
    activation.outputGate().release(() -> result.complete(out), result::completeExceptionally);
  }

  @Override
  protected void reject(RuntimeException cause) {
    result.completeExceptionally(
        cause instanceof DurableObjectException d ? Activation.copyOf(d) : cause);
  }

  @Override
  public String toString() {
    return "call " + dispatch.display();
  }
}
