package dev.dobj.examples.counter;

import dev.dobj.DurableObject;
import dev.dobj.DurableObjectState;
import dev.dobj.Env;

/**
 * One counter per name, kept with the key-value API: the key {@code "value"}, a {@code Long}. A
 * read-modify-write in one method is safe without a transaction, because the object runs one event
 * at a time and the turn's writes commit together.
 */
public final class CounterObject extends DurableObject implements Counter {
  /** The storage key of the counter's value. */
  static final String KEY = "value";

  /** Called by the runtime when the object is first reached. */
  public CounterObject(DurableObjectState ctx, Env env) {
    super(ctx, env);
  }

  @Override
  public CounterValue noop() {
    return new CounterValue(name(), 42);
  }

  @Override
  public CounterValue increment() {
    long next = ctx.storage().get(KEY, Long.class).orElse(0L) + 1;
    ctx.storage().put(KEY, next);
    return new CounterValue(name(), next);
  }

  @Override
  public CounterValue get() {
    return new CounterValue(name(), ctx.storage().get(KEY, Long.class).orElse(0L));
  }

  private String name() {
    return ctx.id().name().orElse(ctx.id().toString());
  }
}
