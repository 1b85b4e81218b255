package dev.dobj.runtime;

import dev.dobj.DurableObject;
import dev.dobj.DurableObjectState;

/**
 * Code run inside a live object as one of its turns, by {@link
 * DurableObjectRuntime#runInDurableObject}: it sees the object's instance (to assert on its fields)
 * and its state ({@code ctx.storage()} and the rest), as the object's own event handlers do.
 *
 * @param <O> the object's class
 * @param <R> what the code answers
 */
@FunctionalInterface
public interface ObjectTurn<O extends DurableObject, R> {
  /** Runs inside the object; the object's input gate is held meanwhile. */
  R run(O instance, DurableObjectState ctx);
}
