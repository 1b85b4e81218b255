package dev.dobj.runtime.internal.activation;

import dev.dobj.DurableObjectException;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;

/** How failures cross between an object and its callers. */
final class Outcomes {
  private Outcomes() {}

  /**
   * What the caller sees for {@code t} thrown by the object's code: a {@link
   * DurableObjectException} passes as it is (it is already a value the caller understands, e.g. a
   * reset of another object); anything else is copied by value as a remote error keeping the type
   * name and message.
   */
  static RuntimeException fromObject(Throwable t) {
    if (t instanceof DurableObjectException d) {
      return d;
    }
    return DurableObjectException.remote(t.getClass().getName(), t.getMessage());
  }

  /** Unwraps a future's failure for a blocking caller. */
  static RuntimeException forCaller(Throwable t) {
    Throwable cause = t;
    while ((cause instanceof CompletionException || cause instanceof ExecutionException)
        && cause.getCause() != null) {
      cause = cause.getCause();
    }
    if (cause instanceof RuntimeException r) {
      return r;
    }
    if (cause instanceof Error e) {
      throw e;
    }
    return new CompletionException(cause);
  }
}
