package dev.dobj.runtime.internal.activation;

import dev.dobj.DurableObjectException;
import dev.dobj.DurableObjectId;
import dev.dobj.DurableObjectStub;
import dev.dobj.fetch.Request;
import dev.dobj.fetch.Response;
import dev.dobj.spi.ObjectAddress;
import dev.dobj.spi.placement.Location;
import java.lang.reflect.InvocationHandler;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * A stub: the caller's handle on one object.
 *
 * <p>The stub binds to the live activation of its id at its first call and stays bound to it. If
 * that activation is evicted (idle), the next call binds to a new one transparently; if it is
 * reset, the stub is broken: every in-flight and later call fails with the reset error. Calls are
 * enqueued in the caller's thread, in the order they are made, so one stub's calls keep E-order; a
 * blocking call to an idle object runs its turn inline on the caller's thread.
 *
 * <p>Thread-safety: {@code bound} and {@code view} are volatile and only ever replaced by an
 * equivalent value, so racing callers are harmless.
 */
final class Stub<T> implements DurableObjectStub<T>, InvocationHandler {
  private final Namespace<T> namespace;
  private final DurableObjectId id;
  private volatile Activation bound;
  private volatile RemoteChannel remote;
  private volatile T view;

  Stub(Namespace<T> namespace, DurableObjectId id) {
    this.namespace = namespace;
    this.id = id;
  }

  Namespace<T> namespace() {
    return namespace;
  }

  @Override
  public DurableObjectId id() {
    return id;
  }

  @Override
  public Optional<String> name() {
    return id.name();
  }

  @Override
  public T call() {
    T v = view;
    if (v == null) {
      Class<T> iface = namespace.rpcInterface();
      v = iface.cast(Proxy.newProxyInstance(iface.getClassLoader(), new Class<?>[] {iface}, this));
      view = v;
    }
    return v;
  }

  /** The blocking view's methods land here. */
  @Override
  public Object invoke(Object proxy, Method method, Object[] args) {
    if (method.getDeclaringClass() == Object.class) {
      return switch (method.getName()) {
        case "toString" ->
            "DurableObjectStub<"
                + namespace.rpcInterface().getSimpleName()
                + ">["
                + describe()
                + "]";
        case "hashCode" -> System.identityHashCode(proxy);
        case "equals" -> proxy == args[0];
        default -> throw new AssertionError("unexpected Object method " + method);
      };
    }
    RemoteChannel r = remote();
    if (r != null) {
      Dispatch d = namespace.host().dispatch(method);
      RpcFuture<Object> f = r.call(d.plan(), args);
      return Activation.awaitOutside(() -> joinForCaller(f));
    }
    CallEvent e = newCall(method, args);
    return awaitBlocking(e, e.result);
  }

  @Override
  public <R> CompletableFuture<R> callAsync(Function<? super T, ? extends R> invocation) {
    Objects.requireNonNull(invocation, "invocation");
    Recorder.Call recorded =
        namespace.recorder().record(view -> invocation.apply(view), "callAsync");
    CallEvent e = newCall(recorded.method(), recorded.args());
    deliverAsync(e);
    @SuppressWarnings("unchecked")
    CompletableFuture<R> result = (CompletableFuture<R>) (CompletableFuture<?>) e.result;
    return result;
  }

  @Override
  public CompletableFuture<Void> runAsync(Consumer<? super T> invocation) {
    Objects.requireNonNull(invocation, "invocation");
    Recorder.Call recorded =
        namespace
            .recorder()
            .record(
                view -> {
                  invocation.accept(view);
                  return null;
                },
                "runAsync");
    return sendAsync(recorded).thenApply(v -> null);
  }

  @Override
  public Response fetch(Request request) {
    Objects.requireNonNull(request, "request");
    RemoteChannel r = remote();
    if (r != null) {
      RpcFuture<Response> f = r.fetch(request);
      return Activation.awaitOutside(() -> joinForCaller(f));
    }
    FetchEvent e = new FetchEvent(request);
    return awaitBlocking(e, e.result);
  }

  @Override
  public CompletableFuture<Response> fetchAsync(Request request) {
    Objects.requireNonNull(request, "request");
    RemoteChannel r = remote();
    if (r != null) {
      Activation caller = Activation.current();
      if (caller != null) {
        caller.outputGate().awaitDurable();
      }
      return r.fetch(request);
    }
    FetchEvent e = new FetchEvent(request);
    deliverAsync(e);
    return e.result;
  }

  private CompletableFuture<Object> sendAsync(Recorder.Call call) {
    RemoteChannel r = remote();
    if (r != null) {
      Activation caller = Activation.current();
      if (caller != null) {
        caller.outputGate().awaitDurable();
      }
      return r.call(namespace.host().dispatch(call.method()).plan(), call.args());
    }
    CallEvent e = newCall(call.method(), call.args());
    deliverAsync(e);
    return e.result;
  }

  /** Delivers an already-built event without waiting (calls arriving over a transport). */
  void deliverEvent(Event e) {
    deliverAsync(e);
  }

  /**
   * The channel to the node hosting this object, or null when it is hosted here. Asked of the
   * placement only while the stub is not bound to a local activation.
   */
  private RemoteChannel remote() {
    if (bound != null) {
      return null;
    }
    RemoteChannel r = remote;
    if (r != null) {
      return r;
    }
    ObjectHost host = namespace.host();
    ObjectAddress address = host.address(id);
    if (host.placement.locate(address) instanceof Location.Remote where) {
      if (host.transport == null) {
        throw new IllegalStateException(
            "Placement put "
                + address
                + " on node "
                + where.node()
                + " but no transport is configured");
      }
      r = new RemoteChannel(host.transport.open(address, where), describe(), host);
      remote = r;
      return r;
    }
    return null;
  }

  private static <R> R joinForCaller(RpcFuture<R> f) {
    try {
      return f.joinPlain();
    } catch (RuntimeException failure) {
      throw Outcomes.forCaller(failure);
    }
  }

  private CallEvent newCall(Method method, Object[] args) {
    Dispatch d = namespace.host().dispatch(method);
    if (d.target() == null) {
      throw d.notImplemented();
    }
    return new CallEvent(d, d.plan().copyArguments(args));
  }

  /** Delivers {@code e} and waits for {@code result}, with the caller's own gate open. */
  private <R> R awaitBlocking(Event e, RpcFuture<R> result) {
    return Activation.awaitOutside(
        () -> {
          for (; ; ) {
            Activation a = bind();
            try {
              if (a.deliverBlocking(e)) {
                break;
              }
            } catch (DurableObjectException d) {
              throw d.reset() ? Activation.copyOf(d) : d;
            }
            unbind(a);
          }
          try {
            return result.joinPlain();
          } catch (RuntimeException failure) {
            throw Outcomes.forCaller(failure);
          }
        });
  }

  /**
   * Delivers {@code e} as {@link #awaitBlocking} does (inline if the object is idle, else queued
   * behind this stub's earlier calls) and waits until {@code done} completes, either way.
   */
  void deliverAndWait(Event e, java.util.concurrent.CompletableFuture<?> done) {
    Activation.awaitOutside(
        () -> {
          for (; ; ) {
            Activation a = bind();
            try {
              if (a.deliverBlocking(e)) {
                break;
              }
            } catch (DurableObjectException d) {
              throw d.reset() ? Activation.copyOf(d) : d;
            }
            unbind(a);
          }
          return done.handle((v, x) -> null).join();
        });
  }

  private void deliverAsync(Event e) {
    Activation caller = Activation.current();
    if (caller != null) {
      // Output gate: a call leaving a turn waits for the writes made before it.
      try {
        caller.outputGate().awaitDurable();
      } catch (RuntimeException failed) {
        e.failDelivery(failed);
        return;
      }
    }
    try {
      for (; ; ) {
        Activation a = bind();
        if (a.deliverAsync(e)) {
          return;
        }
        unbind(a);
      }
    } catch (DurableObjectException d) {
      e.failDelivery(d.reset() ? Activation.copyOf(d) : d);
    }
  }

  private Activation bind() {
    Activation a = bound;
    if (a == null) {
      a = namespace.host().activate(id);
      bound = a;
    }
    return a;
  }

  /** {@code evicted} was closed for eviction: the next call binds to a new activation. */
  private void unbind(Activation evicted) {
    if (bound == evicted) {
      bound = null;
    }
  }

  private String describe() {
    return namespace.binding() + " " + id;
  }

  @Override
  public String toString() {
    return "DurableObjectStub[" + describe() + "]";
  }
}
