package dev.dobj.runtime.internal.activation;

import dev.dobj.AlarmInfo;
import dev.dobj.DurableObject;
import dev.dobj.DurableObjectException;
import dev.dobj.DurableObjectId;
import dev.dobj.DurableObjectState;
import dev.dobj.Env;
import dev.dobj.NamespaceKey;
import dev.dobj.rpc.codec.RpcCodec;
import dev.dobj.runtime.internal.alarm.AlarmScheduler;
import dev.dobj.runtime.internal.metrics.NamespaceMeters;
import dev.dobj.runtime.internal.metrics.ResetCause;
import dev.dobj.runtime.internal.storage.ObjectStorage;
import dev.dobj.spi.ObjectAddress;
import dev.dobj.spi.placement.Placement;
import dev.dobj.spi.storage.FencingToken;
import dev.dobj.spi.storage.ObjectStore;
import dev.dobj.spi.storage.StorageEngine;
import dev.dobj.spi.transport.Transport;
import io.micrometer.core.instrument.Counter;
import java.lang.reflect.Constructor;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.MDC;
import org.slf4j.helpers.NOPMDCAdapter;

/**
 * The live objects of one namespace: maps ids to activations (at most one each), constructs them on
 * first delivery, forgets them on reset, evicts idle ones, and resolves RPC methods against the
 * object's class once per method.
 *
 * <p>Thread-safety: {@code live} and {@code dispatch} are concurrent maps; an activation enters
 * {@code live} before its constructor starts, so every delivery finds the same instance.
 */
public final class ObjectHost {
  /** Handler methods of {@link DurableObject}: events, never RPC methods. */
  // How long a fresh activation waits for the storage of a reset one to close (see storageClosing).
  private static final Duration STORAGE_CLOSE_WAIT = Duration.ofSeconds(15);

  private static final Set<String> HANDLERS =
      Set.of("fetch", "alarm", "webSocketMessage", "webSocketClose", "webSocketError");

  final String binding;
  final String uniqueKey;
  final NamespaceKey key;
  final Placement placement;
  final Transport transport;
  final StorageEngine storage;
  final boolean hasAlarmHandler;
  private final AlarmScheduler alarms;
  final Class<? extends DurableObject> objectClass;
  final Settings settings;
  final RpcCodec codec;
  final NamespaceMeters meters;
  // Whether the SLF4J provider keeps an MDC: with a no-op one (slf4j-simple's) turns skip it, and
  // activations need not keep their id's hex for it.
  final boolean mdc = !(MDC.getMDCAdapter() instanceof NOPMDCAdapter);
  // The counter of fetch events; null without a registry.
  final Counter fetches;
  private final Constructor<? extends DurableObject> constructor;
  private final ConcurrentHashMap<DurableObjectId, Activation> live = new ConcurrentHashMap<>();
  // Storage of reset activations still closing (a stuck engine call is being stopped): a fresh
  // activation of the same id waits for it before it opens the store.
  private final ConcurrentHashMap<DurableObjectId, CompletableFuture<Void>> closing =
      new ConcurrentHashMap<>();
  private final ConcurrentHashMap<Method, Dispatch> dispatch = new ConcurrentHashMap<>();
  private final ConcurrentHashMap<DurableObjectId, ObjectSockets> sockets =
      new ConcurrentHashMap<>();
  private volatile Map<String, Dispatch> byKey;
  private volatile Env env;
  private volatile boolean closed;

  /**
   * A host for {@code objectClass} under {@code binding}.
   *
   * @param placement decides whether an id is hosted here or on another node
   * @param transport reaches other nodes; null when every object is local
   * @param storage keeps the objects' state; null for a runtime without storage
   * @param meters the namespace's meters ({@link NamespaceMeters#NONE} without a registry)
   * @throws IllegalArgumentException if the class is abstract or lacks a {@code
   *     (DurableObjectState, Env)} constructor
   */
  public ObjectHost(
      String binding,
      String uniqueKey,
      Class<? extends DurableObject> objectClass,
      Settings settings,
      RpcCodec codec,
      Placement placement,
      Transport transport,
      StorageEngine storage,
      NamespaceMeters meters) {
    this.binding = binding;
    this.meters = meters;
    this.fetches = meters.fetches();
    this.storage = storage;
    this.uniqueKey = uniqueKey;
    this.placement = placement;
    this.transport = transport;
    this.key = NamespaceKey.of(uniqueKey);
    this.objectClass = objectClass;
    this.settings = settings;
    this.codec = codec;
    if (Modifier.isAbstract(objectClass.getModifiers())) {
      throw new IllegalArgumentException(
          "Durable Object class "
              + objectClass.getName()
              + " bound as "
              + binding
              + " is abstract");
    }
    try {
      this.constructor = objectClass.getDeclaredConstructor(DurableObjectState.class, Env.class);
    } catch (NoSuchMethodException e) {
      throw new IllegalArgumentException(
          "Durable Object class "
              + objectClass.getName()
              + " bound as "
              + binding
              + " needs a constructor ("
              + DurableObjectState.class.getSimpleName()
              + " ctx, Env env)",
          e);
    }
    constructor.trySetAccessible();
    boolean handler;
    try {
      handler =
          objectClass.getMethod("alarm", AlarmInfo.class).getDeclaringClass()
              != DurableObject.class;
    } catch (NoSuchMethodException e) {
      throw new AssertionError("DurableObject declares alarm(AlarmInfo)", e);
    }
    this.hasAlarmHandler = handler;
    this.alarms =
        storage == null
            ? null
            : new AlarmScheduler(uniqueKey, settings.clock(), settings.jitter(), new Alarms());
  }

  /** Loads the namespace's pending alarms (late ones fire now); call once at start. */
  public void startAlarms() {
    if (alarms != null) {
      alarms.start(storage);
    }
  }

  /** Alarms waiting to fire in this namespace. */
  public int pendingAlarms() {
    return alarms == null ? 0 : alarms.pending();
  }

  /**
   * A reset activation of {@code id} is about to close its storage: until {@link #storageClosed}, a
   * fresh activation of the same id waits in {@link #openStorage} rather than find the store still
   * open (closing may first have to stop a call stuck in the engine).
   */
  CompletableFuture<Void> storageClosing(DurableObjectId id) {
    CompletableFuture<Void> done = new CompletableFuture<>();
    CompletableFuture<Void> earlier = closing.putIfAbsent(id, done);
    return earlier == null ? done : null; // null: an earlier reset's close is still awaited
  }

  /** Ends what {@link #storageClosing} registered (nothing for null). */
  void storageClosed(DurableObjectId id, CompletableFuture<Void> done) {
    if (done != null) {
      closing.remove(id, done);
      done.complete(null);
    }
  }

  ObjectStorage openStorage(Activation activation) {
    if (storage == null) {
      throw new IllegalStateException(
          "No storage engine is configured for "
              + activation.describe()
              + ": build the runtime with a StorageEngine (dobj-storage-sqlite) to use"
              + " ctx.storage()");
    }
    CompletableFuture<Void> previous = closing.get(activation.id());
    if (previous != null) {
      try {
        previous.get(STORAGE_CLOSE_WAIT.toMillis(), TimeUnit.MILLISECONDS);
      } catch (ExecutionException | TimeoutException e) {
        // open anyway: the engine says what is wrong if the old lease is still open
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    ObjectStorage opened =
        new ObjectStorage(
            storage.open(address(activation.id()), FencingToken.SINGLE_NODE),
            codec,
            activation,
            meters,
            settings.clock());
    if (alarms != null) {
      // What the store holds wins: a restored bookmark may bring back (or drop) an alarm.
      alarms.found(activation.id().toString(), opened.currentAlarm());
    }
    return opened;
  }

  void alarmCommitted(DurableObjectId id, Optional<Instant> alarm) {
    if (alarms != null) {
      alarms.set(id.toString(), alarm);
    }
  }

  /** Delivers alarms to activations, constructing them when needed. */
  private final class Alarms implements AlarmScheduler.Delivery {
    @Override
    public CompletableFuture<Boolean> fire(String id, Instant time, int retryCount) {
      AlarmEvent e = new AlarmEvent(time, retryCount, false);
      deliver(id, e);
      return e.result;
    }

    @Override
    public void drop(String id, Instant time) {
      deliver(id, new AlarmEvent(time, 0, true));
    }

    @Override
    public void outcome(AlarmScheduler.Outcome outcome) {
      switch (outcome) {
        case SUCCEEDED -> meters.alarmRan(true, false);
        case SKIPPED -> meters.alarmRan(false, false);
        case FAILED -> meters.alarmRan(true, true);
        case RETRIED -> {
          meters.alarmRan(true, true);
          meters.alarmRetried();
        }
        case DROPPED -> {
          meters.alarmRan(true, true);
          meters.alarmDropped();
        }
      }
    }

    private void deliver(String idHex, AlarmEvent e) {
      try {
        deliverEvent(key.idFromString(idHex), e);
      } catch (DurableObjectException broken) {
        e.failDelivery(broken);
      }
    }
  }

  /**
   * Queues {@code e} for the object {@code id}, constructing it if it is not in memory (an event
   * nobody waits for: an alarm, a WebSocket event).
   *
   * @throws DurableObjectException if it cannot be delivered (the runtime closed, repeated resets,
   *     overload)
   */
  void deliverEvent(DurableObjectId id, Event e) {
    for (int attempt = 0; ; attempt++) {
      Activation a = activate(id);
      try {
        if (a.deliverAsync(e)) {
          return;
        }
      } catch (DurableObjectException broken) {
        if (attempt > 3 || broken.overloaded()) {
          throw broken;
        }
      }
    }
  }

  // ---- WebSockets ----------------------------------------------------------------------------

  /** Accepts {@code ws} for the object of {@code a}. */
  void acceptSocket(
      Activation a, dev.dobj.spi.websocket.EdgeWebSocket ws, java.util.List<String> tags) {
    DurableObjectId id = a.id();
    while (true) {
      ObjectSockets s =
          sockets.computeIfAbsent(id, k -> new ObjectSockets(this, id, a.ownAutoResponse()));
      if (s.add(ws, tags, a.describe())) {
        return;
      }
      sockets.remove(id, s); // retired while we looked: make a new one
    }
  }

  /** The accepted sockets of {@code id}, or null if it has none. */
  ObjectSockets sockets(DurableObjectId id) {
    return sockets.get(id);
  }

  void socketsRetired(DurableObjectId id, ObjectSockets s) {
    sockets.remove(id, s);
  }

  /** Closes the sockets of {@code id} (its activation was reset). */
  void closeSockets(DurableObjectId id, int code, String reason) {
    ObjectSockets s = sockets.get(id);
    if (s != null) {
      s.closeAll(code, reason);
    }
  }

  /** How many objects have open accepted WebSockets but no activation in memory. */
  public int hibernatedCount() {
    int n = 0;
    for (DurableObjectId id : sockets.keySet()) {
      if (!live.containsKey(id)) {
        n++;
      }
    }
    return n;
  }

  /** How many accepted WebSockets are open in this namespace. */
  public int openSocketCount() {
    int n = 0;
    for (ObjectSockets s : sockets.values()) {
      n += s.size();
    }
    return n;
  }

  /** Sets the environment passed to constructors; called once while the runtime is built. */
  public void env(Env env) {
    this.env = env;
  }

  public String binding() {
    return binding;
  }

  public NamespaceKey key() {
    return key;
  }

  /** The namespace's configured unique key (its identity across nodes). */
  public String uniqueKey() {
    return uniqueKey;
  }

  ObjectAddress address(DurableObjectId id) {
    return new ObjectAddress(uniqueKey, id);
  }

  /** The live activation of {@code id}, constructing one if there is none. */
  Activation activate(DurableObjectId id) {
    Activation a = live.get(id);
    if (a != null && a.gate.brokenCause() != null) {
      // Reset, but its reset has not removed it yet (its callers may hear of the reset first).
      live.remove(id, a);
      a = null;
    }
    if (a == null) {
      if (closed) {
        throw DurableObjectException.reset(
            "Durable Object " + binding + " " + id + " cannot start: the runtime was closed", null);
      }
      Activation fresh = new Activation(this, id);
      a = live.putIfAbsent(id, fresh);
      if (a == null) {
        fresh.start();
        return fresh;
      }
    }
    a.adoptName(id);
    return a;
  }

  DurableObject construct(Activation activation)
      throws InvocationTargetException, InstantiationException, IllegalAccessException {
    return constructor.newInstance(activation, env);
  }

  void forget(Activation a) {
    live.remove(a.id(), a);
  }

  /**
   * Evicts every activation idle for at least the idle timeout, or for the hibernation timeout if
   * its object has open WebSockets (they stay open; the next message constructs it again).
   */
  public void evictIdle() {
    long now = settings.clock().millis();
    long idle = settings.idleTimeout().toMillis();
    long hibernate = settings.hibernationTimeout().toMillis();
    live.values().removeIf(a -> a.evictIfIdle(now, sockets.containsKey(a.id()) ? hibernate : idle));
  }

  /**
   * Resets every activation whose turn has been inside one call into its storage for the storage
   * operation limit or longer.
   */
  public void resetStuckInStorage() {
    long now = settings.clock().millis();
    long limit = settings.storageOperationTimeout().toMillis();
    for (Activation a : live.values()) {
      a.resetIfStuckInStorage(now, limit);
    }
  }

  /**
   * How many activations are running, suspended, have events queued or have an open batch waiting
   * to commit.
   */
  public int busyCount() {
    int n = 0;
    for (Activation a : live.values()) {
      if (a.gate.busy() || a.commitPending()) {
        n++;
      }
    }
    return n;
  }

  /** Events waiting in the input gates of this namespace's activations (for metrics). */
  public int queuedCount() {
    int n = 0;
    for (Activation a : live.values()) {
      n += a.gate.queuedEvents();
    }
    return n;
  }

  /** How many activations are in memory. */
  public int liveCount() {
    return live.size();
  }

  /** Resets every activation (the runtime is closing). */
  public void resetAll(String why) {
    closed = true;
    if (alarms != null) {
      alarms.close();
    }
    for (Activation a : live.values()) {
      a.reset(ResetCause.RUNTIME_CLOSE, a.resetError(why, null), false);
    }
    for (ObjectSockets s : sockets.values()) {
      s.closeAll(1001, "The Durable Object runtime is shutting down");
    }
  }

  /** The dispatch of {@code m} (a method of an RPC interface) against this class; cached. */
  Dispatch dispatch(Method m) {
    Dispatch d = dispatch.get(m);
    if (d == null) {
      d = dispatch.computeIfAbsent(m, this::resolve);
    }
    return d;
  }

  /**
   * The dispatch of the class's method whose wire key is {@code key} (for calls arriving over a
   * transport), or null if the class has no such RPC method.
   */
  Dispatch dispatchByKey(String key) {
    Map<String, Dispatch> m = byKey;
    if (m == null) {
      Map<String, Dispatch> built = new HashMap<>();
      for (Method candidate : objectClass.getMethods()) {
        if (Modifier.isStatic(candidate.getModifiers())
            || candidate.getDeclaringClass() == Object.class
            || candidate.getDeclaringClass() == DurableObject.class
            || HANDLERS.contains(candidate.getName())) {
          continue;
        }
        try {
          Dispatch d = dispatch(candidate);
          built.putIfAbsent(d.plan().key(), d);
        } catch (IllegalArgumentException notCallable) {
          // a public method with types the codec cannot carry is not callable remotely
        }
      }
      m = Map.copyOf(built);
      byKey = m;
    }
    return m.get(key);
  }

  private Dispatch resolve(Method m) {
    String display = objectClass.getSimpleName() + "." + m.getName();
    var plan = codec.plan(m);
    Method target = null;
    if (!HANDLERS.contains(m.getName())) {
      try {
        Method candidate = objectClass.getMethod(m.getName(), m.getParameterTypes());
        Class<?> owner = candidate.getDeclaringClass();
        boolean rpcCallable =
            owner != Object.class
                && owner != DurableObject.class
                && !Modifier.isStatic(candidate.getModifiers());
        if (rpcCallable && returnsCompatibly(m, candidate)) {
          candidate.trySetAccessible();
          target = candidate;
        }
      } catch (NoSuchMethodException e) {
        // stays null: "does not implement the method"
      }
    }
    return new Dispatch(plan, target, display, target == null ? null : meters.calls(m.getName()));
  }

  private static boolean returnsCompatibly(Method declared, Method actual) {
    Class<?> want = declared.getReturnType();
    Class<?> have = actual.getReturnType();
    if (want == void.class) {
      return true;
    }
    return want.isPrimitive() ? want == have : wrap(want).isAssignableFrom(wrap(have));
  }

  private static Class<?> wrap(Class<?> c) {
    if (!c.isPrimitive()) {
      return c;
    }
    return java.lang.invoke.MethodType.methodType(c).wrap().returnType();
  }

  // ---- inspection (the test kit and the CLI; see Inspection) -----------------------------------

  /** The activation of {@code id} in memory, or null. */
  Activation liveActivation(DurableObjectId id) {
    return live.get(id);
  }

  /**
   * Runs {@code read} on the store of {@code id} if no activation of it is in memory, keeping one
   * from starting meanwhile (the read runs inside the map's per-key computation, which {@link
   * #activate} waits for), so the store never has two users.
   *
   * @return false if an activation is in memory (ask it with a turn instead)
   */
  boolean readIdleStore(DurableObjectId id, java.util.function.Consumer<ObjectStore> read) {
    boolean[] idle = {false};
    live.compute(
        id,
        (k, a) -> {
          if (a != null) {
            return a;
          }
          idle[0] = true;
          ObjectStore store = openIdleStore(id);
          try {
            read.accept(store);
          } finally {
            store.close();
          }
          return null;
        });
    return idle[0];
  }

  /**
   * Opens the store of an object with no activation. A reset activation leaves the map just before
   * it closes its store, so an open may briefly find the store still leased: it retries for up to a
   * second.
   */
  private ObjectStore openIdleStore(DurableObjectId id) {
    long deadline = System.nanoTime() + 1_000_000_000L;
    while (true) {
      try {
        return storage.open(address(id), FencingToken.SINGLE_NODE);
      } catch (IllegalStateException stillLeased) {
        if (closed || System.nanoTime() > deadline) {
          throw stillLeased;
        }
        Thread.yield();
      }
    }
  }

  @Override
  public String toString() {
    return "ObjectHost[" + binding + " -> " + objectClass.getName() + "]";
  }
}
