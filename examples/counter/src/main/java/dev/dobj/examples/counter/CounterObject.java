package dev.dobj.examples.counter;

import dev.dobj.DurableObject;
import dev.dobj.DurableObjectState;
import dev.dobj.Env;

/**
 * One counter, a Durable Object per name. For now it only answers {@link #noop()}; the
 * storage-backed methods come when dobj has storage.
 */
public final class CounterObject extends DurableObject implements Counter {
  /** Called by the runtime when the object is first reached. */
  public CounterObject(DurableObjectState ctx, Env env) {
    super(ctx, env);
  }

  @Override
  public CounterValue noop() {
    return new CounterValue(ctx.id().name().orElse(ctx.id().toString()), 42);
  }
}
