package dev.dobj.runtime.internal.activation;

import dev.dobj.DurableObject;
import dev.dobj.DurableObjectException;
import dev.dobj.DurableObjectId;
import dev.dobj.DurableObjectNamespace;
import dev.dobj.DurableObjectState;
import dev.dobj.DurableObjectStub;
import dev.dobj.runtime.internal.storage.ObjectStorage;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.function.BiFunction;
import java.util.function.Function;

/**
 * Reaching into objects from outside for tools: the test kit's {@code runInDurableObject} and
 * {@code runDurableObjectAlarm}, the listing of a namespace's objects, and the CLI's storage
 * commands.
 *
 * <p>Code that touches a live object always runs as a turn of its activation (through its input
 * gate, so it is serialized with the object's other events, and its writes commit and hold the
 * output gate like any turn's). An object that is not in memory is read from its store directly,
 * with its activation held off meanwhile ({@link ObjectHost#readIdleStore}); nothing here writes to
 * a store outside a turn. Stateless; thread-safe.
 */
public final class Inspection {
  private Inspection() {}

  /**
   * What a listing knows of one object.
   *
   * @param id the id, with its name when the object persisted one
   * @param storageBytes the size of its database in bytes
   * @param alarm its pending alarm, if any
   */
  public record Summary(DurableObjectId id, long storageBytes, Optional<Instant> alarm) {}

  /**
   * The host behind {@code stub}.
   *
   * @throws IllegalArgumentException if the stub was not made by a dobj runtime
   */
  public static ObjectHost hostOf(DurableObjectStub<?> stub) {
    if (stub instanceof Stub<?> s) {
      return s.namespace().host();
    }
    throw new IllegalArgumentException(
        "Not a stub of a dobj runtime: "
            + stub
            + "; get stubs from the runtime's namespaces (env().namespace(...).get(id))");
  }

  /**
   * The host behind {@code namespace}.
   *
   * @throws IllegalArgumentException if the namespace is not a dobj runtime's
   */
  public static ObjectHost hostOf(DurableObjectNamespace<?> namespace) {
    if (namespace instanceof Namespace<?> n) {
      return n.host();
    }
    throw new IllegalArgumentException(
        "Not a namespace of a dobj runtime: "
            + namespace
            + "; get namespaces from the runtime (env().namespace(...))");
  }

  /**
   * Runs {@code body} with the object's instance and state as one turn of the object behind {@code
   * stub} (constructing it if needed), after the stub's earlier calls; returns its value once the
   * turn's writes are durable (output gate).
   *
   * @throws RuntimeException or Error what {@code body} threw, as it threw it
   * @throws DurableObjectException if the object is reset or overloaded
   */
  public static <R> R runInside(
      DurableObjectStub<?> stub, BiFunction<DurableObject, DurableObjectState, R> body) {
    TurnEvent<R> e = new TurnEvent<>(a -> body.apply(a.instance(), a), "runInDurableObject");
    deliver(stub, e);
    return await(e.result);
  }

  /**
   * Runs {@code body} with the object's storage as one turn of the object behind {@code stub}, as
   * {@link #runInside} does.
   */
  public static <R> R runWithStorage(DurableObjectStub<?> stub, Function<ObjectStorage, R> body) {
    TurnEvent<R> e = new TurnEvent<>(a -> body.apply(a.openStorage()), "storage inspection");
    deliver(stub, e);
    return await(e.result);
  }

  /**
   * Runs the pending alarm of the object behind {@code stub} now, as a turn, as the scheduler would
   * (retry count 0); a handler that returns clears the alarm unless it set a new one.
   *
   * @return true if an alarm was pending and its handler ran; false if none was set
   * @throws RuntimeException or Error what the handler threw (the alarm stays set)
   */
  public static boolean runAlarm(DurableObjectStub<?> stub) {
    AlarmNowEvent e = new AlarmNowEvent();
    deliver(stub, e);
    return await(e.result);
  }

  /**
   * The objects of {@code host} that have durable state, ordered by id, after {@code startAfter},
   * at most {@code limit}; with their sizes and alarms when {@code details}, else zero and empty.
   *
   * @throws IllegalArgumentException if {@code startAfter} is not an id of this namespace's form
   */
  public static List<Summary> list(
      ObjectHost host, Optional<String> startAfter, int limit, boolean details) {
    if (host.storage == null) {
      return List.of();
    }
    Optional<String> after =
        startAfter.map(
            s -> {
              if (!s.matches("[0-9a-fA-F]{64}")) {
                throw new IllegalArgumentException(
                    "Invalid Durable Object ID: must be 64 hex digits (startAfter \"" + s + "\")");
              }
              return s.toLowerCase(java.util.Locale.ROOT);
            });
    List<Summary> out = new ArrayList<>();
    for (String hex : host.storage.listObjects(host.uniqueKey, after, limit)) {
      DurableObjectId id;
      try {
        id = host.key.idFromString(hex);
      } catch (IllegalArgumentException foreign) {
        continue; // a file that is not an object of this namespace's key
      }
      out.add(summarize(host, id, details));
    }
    return out;
  }

  private static Summary summarize(ObjectHost host, DurableObjectId id, boolean details) {
    for (int attempt = 0; ; attempt++) {
      Summary[] found = new Summary[1];
      boolean idle =
          host.readIdleStore(
              id,
              store -> {
                DurableObjectId named = store.name().map(n -> host.key.withName(id, n)).orElse(id);
                found[0] =
                    details
                        ? new Summary(named, store.databaseSize(), store.alarm())
                        : new Summary(named, 0, Optional.empty());
              });
      if (idle) {
        return found[0];
      }
      Activation a = host.liveActivation(id);
      if (a == null) {
        continue; // evicted meanwhile: read the store
      }
      if (!details && a.id().name().isPresent()) {
        return new Summary(a.id(), 0, Optional.empty());
      }
      TurnEvent<Summary> e =
          new TurnEvent<>(
              act -> {
                ObjectStorage s = act.openStorage();
                DurableObjectId named =
                    act.id().name().isPresent()
                        ? act.id()
                        : s.persistedName().map(n -> host.key.withName(id, n)).orElse(id);
                return details
                    ? new Summary(named, s.sql().databaseSize(), s.currentAlarm())
                    : new Summary(named, 0, Optional.empty());
              },
              "listing");
      try {
        if (a.deliverBlocking(e)) {
          return await(e.result);
        }
      } catch (DurableObjectException broken) {
        if (attempt > 3) {
          throw Activation.copyOf(broken);
        }
      }
    }
  }

  private static void deliver(DurableObjectStub<?> stub, Event e) {
    if (!(stub instanceof Stub<?> s)) {
      hostOf(stub); // throws
      return;
    }
    s.deliverAndWait(e, e instanceof TurnEvent<?> t ? t.result : ((AlarmNowEvent) e).result);
  }

  private static <R> R await(CompletableFuture<R> result) {
    try {
      return result.join();
    } catch (CompletionException wrapped) {
      Throwable cause = wrapped.getCause();
      if (cause instanceof DurableObjectException d) {
        throw Activation.copyOf(d);
      }
      if (cause instanceof RuntimeException r) {
        throw r;
      }
      if (cause instanceof Error err) {
        throw err;
      }
      throw new IllegalStateException(cause);
    }
  }

  /** A function run as a turn; its value leaves through the output gate. */
  private static final class TurnEvent<R> extends Event {
    private final Function<Activation, R> body;
    private final String what;
    final CompletableFuture<R> result = new CompletableFuture<>();

    TurnEvent(Function<Activation, R> body, String what) {
      this.body = body;
      this.what = what;
    }

    @Override
    void execute(Activation activation) {
      R value;
      try {
        value = body.apply(activation);
      } catch (Throwable t) {
        result.completeExceptionally(t);
        return;
      }
      activation.outputGate().release(() -> result.complete(value), result::completeExceptionally);
    }

    @Override
    protected void reject(RuntimeException cause) {
      result.completeExceptionally(cause);
    }

    @Override
    public String toString() {
      return what;
    }
  }

  /** Runs the object's pending alarm, whatever its time, as one turn. */
  private static final class AlarmNowEvent extends Event {
    final CompletableFuture<Boolean> result = new CompletableFuture<>();

    @Override
    void execute(Activation activation) {
      Optional<Instant> pending;
      try {
        pending = activation.openStorage().currentAlarm();
      } catch (RuntimeException e) {
        result.completeExceptionally(e);
        return;
      }
      if (pending.isEmpty()) {
        result.complete(false);
        return;
      }
      AlarmEvent alarm = new AlarmEvent(pending.get(), 0, false);
      alarm.execute(activation);
      alarm.result.whenComplete(
          (ran, failed) -> {
            if (failed != null) {
              result.completeExceptionally(failed);
            } else {
              result.complete(ran);
            }
          });
    }

    @Override
    protected void reject(RuntimeException cause) {
      result.completeExceptionally(cause);
    }

    @Override
    public String toString() {
      return "runDurableObjectAlarm";
    }
  }
}
