package dev.dobj.runtime.internal.activation;

import java.lang.reflect.InvocationHandler;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.util.function.Function;

/**
 * Captures the one method call that an async invocation lambda makes on an RPC interface ({@code
 * stub.callAsync(c -> c.increment())}), so the stub can deliver it without blocking. One recorder
 * per namespace view; the captured call lives in a thread-local slot only for the duration of
 * {@link #record}.
 */
final class Recorder<T> implements InvocationHandler {
  /** A captured call. */
  record Call(Method method, Object[] args) {}

  private static final ThreadLocal<Slot> SLOT = ThreadLocal.withInitial(Slot::new);

  private final T view;

  Recorder(Class<T> iface) {
    this.view =
        iface.cast(Proxy.newProxyInstance(iface.getClassLoader(), new Class<?>[] {iface}, this));
  }

  /**
   * Runs {@code invocation} against the recording view and returns the one call it made.
   *
   * @throws IllegalArgumentException if it made no call or more than one
   */
  Call record(Function<T, ?> invocation, String api) {
    Slot slot = SLOT.get();
    Slot saved = slot.count == 0 ? null : slot.copy();
    slot.clear();
    try {
      invocation.apply(view);
      if (slot.count != 1) {
        throw new IllegalArgumentException(
            "DurableObjectStub."
                + api
                + "(..) must make exactly one call on the view it is given, e.g. stub."
                + api
                + "(c -> c.increment()); it made "
                + slot.count);
      }
      return new Call(slot.method, slot.args);
    } finally {
      slot.clear();
      if (saved != null) {
        slot.restore(saved);
      }
    }
  }

  @Override
  public Object invoke(Object proxy, Method method, Object[] args) {
    if (method.getDeclaringClass() == Object.class) {
      return switch (method.getName()) {
        case "toString" -> "recording view of " + method.getDeclaringClass().getSimpleName();
        case "hashCode" -> System.identityHashCode(proxy);
        case "equals" -> proxy == args[0];
        default -> throw new AssertionError(method);
      };
    }
    Slot slot = SLOT.get();
    slot.count++;
    slot.method = method;
    slot.args = args;
    return defaultValue(method.getReturnType());
  }

  private static Object defaultValue(Class<?> type) {
    if (!type.isPrimitive() || type == void.class) {
      return null;
    }
    if (type == boolean.class) {
      return false;
    }
    if (type == char.class) {
      return '\0';
    }
    if (type == long.class) {
      return 0L;
    }
    if (type == double.class) {
      return 0d;
    }
    if (type == float.class) {
      return 0f;
    }
    if (type == byte.class) {
      return (byte) 0;
    }
    if (type == short.class) {
      return (short) 0;
    }
    return 0;
  }

  private static final class Slot {
    int count;
    Method method;
    Object[] args;

    void clear() {
      count = 0;
      method = null;
      args = null;
    }

    Slot copy() {
      Slot s = new Slot();
      s.restore(this);
      return s;
    }

    void restore(Slot other) {
      count = other.count;
      method = other.method;
      args = other.args;
    }
  }
}
