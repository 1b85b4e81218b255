package dev.dobj.runtime;

import dev.dobj.DurableObject;
import dev.dobj.DurableObjectState;
import dev.dobj.Env;
import java.lang.reflect.Proxy;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** The object the benchmarks call, and a way to make one outside any runtime for the baseline. */
public final class BenchObjects {
  private BenchObjects() {}

  /** An immutable argument: passes without a copy. */
  public record Point(int x, int y) {}

  /** A record with a list: copied on every call. */
  public record Message(String text, List<String> tags, int priority) {}

  /** The RPC interface. */
  public interface Counter {
    long increment();

    long addPoint(Point p);

    long addMessage(Message m);
  }

  /** An empty object with a counter. */
  public static class CounterObject extends DurableObject implements Counter {
    private long value;

    public CounterObject(DurableObjectState ctx, Env env) {
      super(ctx, env);
    }

    @Override
    public long increment() {
      return ++value;
    }

    DurableObjectState ctx() {
      return ctx;
    }

    Env env() {
      return env;
    }

    @Override
    public long addPoint(Point p) {
      value += p.x();
      return value;
    }

    @Override
    public long addMessage(Message m) {
      value += m.priority();
      return value;
    }
  }

  /** An object with no fields of its own (for the footprint harness). */
  public static class EmptyObject extends DurableObject implements Counter {
    public EmptyObject(DurableObjectState ctx, Env env) {
      super(ctx, env);
    }

    DurableObjectState ctx() {
      return ctx;
    }

    Env env() {
      return env;
    }

    @Override
    public long increment() {
      return 1;
    }

    @Override
    public long addPoint(Point p) {
      return p.x();
    }

    @Override
    public long addMessage(Message m) {
      return m.priority();
    }
  }

  /** A counter object built directly, for the direct-call baseline. */
  public static CounterObject direct() {
    DurableObjectState ctx =
        (DurableObjectState)
            Proxy.newProxyInstance(
                DurableObjectState.class.getClassLoader(),
                new Class<?>[] {DurableObjectState.class},
                (p, m, a) -> {
                  throw new UnsupportedOperationException("baseline ctx");
                });
    Env env =
        new Env() {
          @Override
          public <T> dev.dobj.DurableObjectNamespace<T> namespace(String b, Class<T> i) {
            throw new UnsupportedOperationException();
          }

          @Override
          public Optional<String> var(String name) {
            return Optional.empty();
          }

          @Override
          public Map<String, String> vars() {
            return Map.of();
          }
        };
    return new CounterObject(ctx, env);
  }
}
