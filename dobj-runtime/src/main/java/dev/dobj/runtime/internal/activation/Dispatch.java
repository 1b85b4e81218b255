package dev.dobj.runtime.internal.activation;

import dev.dobj.DurableObjectException;
import dev.dobj.rpc.codec.MethodPlan;
import io.micrometer.core.instrument.Counter;
import java.lang.reflect.Method;

/**
 * How one method of an RPC interface reaches the object's class: the codec's plan for its values
 * and the class's method that implements it ({@code null} when the class does not, so the call
 * fails with Cloudflare's "does not implement" error), and the counter of its calls ({@code
 * dobj.calls}; null without a registry, or when there is no target).
 */
record Dispatch(MethodPlan plan, Method target, String display, Counter calls) {
  DurableObjectException notImplemented() {
    return DurableObjectException.remote(
        "TypeError",
        "The RPC receiver does not implement the method \""
            + plan.method().getName()
            + "\". ("
            + display
            + ")");
  }
}
