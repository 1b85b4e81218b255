package dev.dobj.runtime;

import dev.dobj.DurableObject;
import dev.dobj.DurableObjectId;
import dev.dobj.DurableObjectNamespace;
import dev.dobj.DurableObjectStub;
import dev.dobj.Env;
import dev.dobj.ListIdsOptions;
import dev.dobj.rpc.codec.References;
import dev.dobj.rpc.codec.RpcCodec;
import dev.dobj.rpc.codec.StubReference;
import dev.dobj.runtime.internal.activation.InboundCalls;
import dev.dobj.runtime.internal.activation.Inspection;
import dev.dobj.runtime.internal.activation.Namespace;
import dev.dobj.runtime.internal.activation.ObjectHost;
import dev.dobj.runtime.internal.activation.Settings;
import dev.dobj.runtime.internal.metrics.NamespaceMeters;
import dev.dobj.runtime.time.RuntimeClock;
import dev.dobj.spi.placement.Location;
import dev.dobj.spi.placement.Placement;
import dev.dobj.spi.storage.StorageEngine;
import dev.dobj.spi.transport.Transport;
import io.micrometer.core.instrument.MeterRegistry;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.SplittableRandom;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Function;
import java.util.random.RandomGenerator;

/**
 * Hosts Durable Objects in this JVM.
 *
 * <pre>{@code
 * try (DurableObjectRuntime runtime =
 *     DurableObjectRuntime.builder().bind("COUNTER", CounterObject.class).build()) {
 *   DurableObjectNamespace<Counter> counters = runtime.env().namespace("COUNTER", Counter.class);
 *   long n = counters.getByName("a").call().increment();
 * }
 * }</pre>
 *
 * <p>Every binding is a namespace: a Durable Object class and the unique key its ids derive from
 * (by default the binding name). Time, threads and randomness are injected through the builder, so
 * tests can drive eviction and timeouts with a {@link dev.dobj.runtime.time.ManualClock}.
 *
 * <p><b>Metrics and logs.</b> Given a Micrometer {@link MeterRegistry} ({@link
 * Builder#meterRegistry}), the runtime registers, per namespace (tag {@code namespace}, the
 * binding): gauges {@code dobj.objects.active}, {@code dobj.objects.hibernated}, {@code
 * dobj.websockets.open}, {@code dobj.queue.depth}, {@code dobj.alarms.pending}; counters {@code
 * dobj.calls} (tag {@code method}: an RPC method of the class, or {@code fetch}), {@code
 * dobj.resets} (tag {@code cause}), {@code dobj.overloaded} (tag {@code reason}), {@code
 * dobj.alarms.runs} (tag {@code outcome}), {@code dobj.alarms.retries}, {@code
 * dobj.alarms.dropped}; timers {@code dobj.queue.wait}, {@code dobj.storage.commit.latency}, {@code
 * dobj.output.gate.hold}; and the summary {@code dobj.storage.commit.turns}. Without one, nothing
 * is recorded. Every turn runs with the SLF4J MDC keys {@code dobj.namespace} and {@code dobj.id}
 * set to its object.
 *
 * <p>Thread-safe. {@link #close()} resets every live object (their callers get a reset error) and
 * stops the runtime's timers.
 */
public final class DurableObjectRuntime implements AutoCloseable {
  private final Map<String, ObjectHost> hosts;
  private final Settings settings;
  private final Env env;
  private final Transport transport;
  private final StorageEngine storage;
  private final List<NamespaceMeters> meters = new ArrayList<>();
  private final AtomicBoolean closed = new AtomicBoolean();
  private volatile RuntimeClock.Timer sweeper;

  private DurableObjectRuntime(Builder b) {
    this.settings =
        new Settings(
            b.clock,
            b.turnThreads,
            b.random,
            b.jitter,
            b.idleTimeout,
            b.hibernationTimeout,
            b.criticalSectionTimeout,
            b.storageOperationTimeout,
            b.maxQueuedEvents,
            b.maxQueueWait,
            64);
    Map<String, ObjectHost> byBinding = new LinkedHashMap<>();
    RuntimeReferences references = new RuntimeReferences();
    RpcCodec codec = new RpcCodec(references);
    Map<String, ObjectHost> byUniqueKey = new LinkedHashMap<>();
    for (Binding binding : b.bindings.values()) {
      NamespaceMeters nsMeters = NamespaceMeters.of(b.meterRegistry, binding.name);
      ObjectHost host =
          new ObjectHost(
              binding.name,
              binding.uniqueKey,
              binding.objectClass,
              settings,
              codec,
              b.placement,
              b.transport,
              b.storage,
              nsMeters);
      registerGauges(nsMeters, host);
      meters.add(nsMeters);
      byBinding.put(binding.name, host);
      if (byUniqueKey.putIfAbsent(binding.uniqueKey, host) != null) {
        throw new IllegalArgumentException(
            "Two bindings share the unique key \""
                + binding.uniqueKey
                + "\"; each namespace needs its own");
      }
    }
    this.hosts = Collections.unmodifiableMap(byBinding);
    this.transport = b.transport;
    if (transport != null) {
      transport.serve(new InboundCalls(byUniqueKey));
    }
    this.env = new BoundEnv(hosts, Map.copyOf(b.vars));
    references.env = env;
    for (ObjectHost host : hosts.values()) {
      host.env(env);
    }
    this.storage = b.storage;
    for (ObjectHost host : hosts.values()) {
      host.startAlarms();
    }
    scheduleSweep();
  }

  private static void registerGauges(NamespaceMeters m, ObjectHost host) {
    m.gauge("dobj.objects.active", "Objects in memory", host, ObjectHost::liveCount);
    m.gauge(
        "dobj.objects.hibernated",
        "Objects with open WebSockets that are not in memory",
        host,
        ObjectHost::hibernatedCount);
    m.gauge("dobj.websockets.open", "Accepted WebSockets open", host, ObjectHost::openSocketCount);
    m.gauge(
        "dobj.queue.depth",
        "Events waiting in the input gates of the namespace's objects",
        host,
        ObjectHost::queuedCount);
    m.gauge("dobj.alarms.pending", "Alarms waiting to fire", host, ObjectHost::pendingAlarms);
  }

  /** A builder with the defaults: wall clock, virtual threads, 70 s idle timeout. */
  public static Builder builder() {
    return new Builder();
  }

  /** The application's bindings: namespaces and variables. */
  public Env env() {
    return env;
  }

  /** How many objects of {@code binding} are in memory now (for tests and metrics). */
  public int liveObjects(String binding) {
    ObjectHost host = hosts.get(binding);
    if (host == null) {
      throw new IllegalArgumentException("No Durable Object namespace is bound as " + binding);
    }
    return host.liveCount();
  }

  /**
   * How many events wait in the queues of {@code binding}'s objects now (for tests and metrics).
   */
  public int queuedEvents(String binding) {
    return host(binding).queuedCount();
  }

  /**
   * How many objects of every binding are busy now: running or suspended turns, queued events, or
   * writes waiting to commit. Tests on a manual clock wait for 0 before they move time.
   */
  public int busyObjects() {
    int n = 0;
    for (ObjectHost host : hosts.values()) {
      n += host.busyCount();
    }
    return n;
  }

  /**
   * How many objects of {@code binding} are busy now: running or suspended turns, or queued events.
   * Tests on a manual clock wait for 0 before they move time.
   */
  public int busyObjects(String binding) {
    ObjectHost host = hosts.get(binding);
    if (host == null) {
      throw new IllegalArgumentException("No Durable Object namespace is bound as " + binding);
    }
    return host.busyCount();
  }

  /**
   * How many objects of {@code binding} hibernate now: they have open WebSockets but are not in
   * memory (for tests and metrics).
   */
  public int hibernatedObjects(String binding) {
    return host(binding).hibernatedCount();
  }

  /** How many accepted WebSockets of {@code binding}'s objects are open now. */
  public int openWebSockets(String binding) {
    return host(binding).openSocketCount();
  }

  private ObjectHost host(String binding) {
    ObjectHost host = hosts.get(binding);
    if (host == null) {
      throw new IllegalArgumentException("No Durable Object namespace is bound as " + binding);
    }
    return host;
  }

  /** Evicts every object that has been idle for the idle timeout, now. */
  public void evictIdleObjects() {
    for (ObjectHost host : hosts.values()) {
      host.evictIdle();
    }
  }

  /**
   * Resets every object whose turn has been inside one storage operation for the storage operation
   * timeout or longer, now (the runtime's sweep does this on its own).
   */
  public void resetObjectsStuckInStorage() {
    for (ObjectHost host : hosts.values()) {
      host.resetStuckInStorage();
    }
  }

  private void scheduleSweep() {
    if (closed.get()) {
      return;
    }
    Duration shortest = settings.idleTimeout();
    if (settings.hibernationTimeout().compareTo(shortest) < 0) {
      shortest = settings.hibernationTimeout();
    }
    if (settings.storageOperationTimeout().compareTo(shortest) < 0) {
      shortest = settings.storageOperationTimeout();
    }
    Duration every = shortest.dividedBy(7);
    if (every.compareTo(Duration.ofSeconds(10)) > 0) {
      every = Duration.ofSeconds(10);
    }
    if (every.isZero()) {
      every = Duration.ofMillis(1);
    }
    sweeper =
        settings
            .clock()
            .schedule(
                every,
                () -> {
                  resetObjectsStuckInStorage();
                  evictIdleObjects();
                  scheduleSweep();
                });
  }

  /** Resets every live object and stops the runtime's timers. Idempotent. */
  @Override
  public void close() {
    if (closed.compareAndSet(false, true)) {
      RuntimeClock.Timer t = sweeper;
      if (t != null) {
        t.cancel();
      }
      if (transport != null) {
        transport.close();
      }
      for (ObjectHost host : hosts.values()) {
        host.resetAll("the runtime was closed");
      }
      if (storage != null) {
        storage.close();
      }
      for (NamespaceMeters m : meters) {
        m.removeGauges();
      }
    }
  }

  /** Alarms waiting to fire in {@code binding} (for tests and metrics). */
  public int pendingAlarms(String binding) {
    ObjectHost host = hosts.get(binding);
    if (host == null) {
      throw new IllegalArgumentException("No Durable Object namespace is bound as " + binding);
    }
    return host.pendingAlarms();
  }

  // ---- inspection: the test kit and the CLI (beyond Cloudflare) ------------------------------

  /**
   * Runs {@code turn} inside the object behind {@code stub}, as one of its turns: through its input
   * gate (after the stub's earlier calls, serialized with the object's other events), constructing
   * the object if it is not in memory; writes made by {@code turn} commit like any turn's, and its
   * value is returned once they are durable (output gate). The tool behind the test kit's {@code
   * runInDurableObject}.
   *
   * <pre>{@code
   * long n = DurableObjectRuntime.runInDurableObject(stub, (CounterObject counter, DurableObjectState ctx) ->
   *     ctx.storage().get("value", Long.class).orElse(0L));
   * }</pre>
   *
   * @throws IllegalArgumentException if {@code stub} is not a stub of a dobj runtime
   * @throws ClassCastException if the object is not of the class {@code turn} takes
   * @throws RuntimeException or Error what {@code turn} threw, as it threw it (an assertion error
   *     fails the test as it would outside)
   * @throws dev.dobj.DurableObjectException if the object is reset (its constructor threw) or
   *     overloaded
   */
  public static <O extends DurableObject, R> R runInDurableObject(
      DurableObjectStub<?> stub, ObjectTurn<O, R> turn) {
    Objects.requireNonNull(stub, "stub");
    Objects.requireNonNull(turn, "turn");
    return Inspection.runInside(
        stub,
        (instance, ctx) -> {
          @SuppressWarnings("unchecked")
          O typed = (O) instance;
          return turn.run(typed, ctx);
        });
  }

  /**
   * Runs the pending alarm of the object behind {@code stub} now, whatever its scheduled time, as
   * one turn (the handler sees retry count 0); a handler that returns clears the alarm unless it
   * set a new one, as when the alarm fires on time.
   *
   * @return true if an alarm was set and its handler ran; false if none was set
   * @throws IllegalArgumentException if {@code stub} is not a stub of a dobj runtime
   * @throws RuntimeException or Error what the handler threw (the alarm stays set, and is retried
   *     on its schedule)
   */
  public static boolean runDurableObjectAlarm(DurableObjectStub<?> stub) {
    Objects.requireNonNull(stub, "stub");
    return Inspection.runAlarm(stub);
  }

  /**
   * The objects of {@code binding} that have durable state, ordered by id, one page as {@code
   * options} says, with their names (where persisted), storage sizes and pending alarms. Objects in
   * memory are asked with a turn; the others are read from their stores without constructing them.
   *
   * @throws IllegalArgumentException if nothing is bound as {@code binding}, or {@code
   *     options.startAfter()} is not 64 hex digits
   */
  public List<ObjectInfo> objects(String binding, ListIdsOptions options) {
    Objects.requireNonNull(options, "options");
    return Inspection.list(
            host(binding), options.startAfter(), options.limit().orElse(Integer.MAX_VALUE), true)
        .stream()
        .map(s -> new ObjectInfo(s.id(), s.storageBytes(), s.alarm()))
        .toList();
  }

  /**
   * Runs {@code body} with the storage of object {@code id} of {@code binding}, as one turn of the
   * object (constructing it if it is not in memory), as {@link #runInDurableObject} does: safe
   * while the app serves, writes commit like any turn's. For tools such as {@code dobj storage}.
   *
   * @throws IllegalArgumentException if nothing is bound as {@code binding}, or {@code id} belongs
   *     to another namespace
   * @throws RuntimeException what {@code body} threw
   */
  public <R> R inspectStorage(
      String binding, DurableObjectId id, Function<EncodedStorage, R> body) {
    Objects.requireNonNull(body, "body");
    host(binding); // names the bound namespaces if there is no such binding
    // Any interface types the stub: nothing is called through it, the turn reaches the object.
    DurableObjectStub<?> stub = env.namespace(binding, Runnable.class).get(id);
    return Inspection.runWithStorage(stub, storage -> body.apply(new EncodedStorage(storage)));
  }

  /** How a runtime is built. Not thread-safe; build once. */
  public static final class Builder {
    private final Map<String, Binding> bindings = new LinkedHashMap<>();
    private final Map<String, String> vars = new LinkedHashMap<>();
    private RuntimeClock clock = RuntimeClock.system();
    // One name for all runners (a numbered name costs a string per runner); the MDC names the
    // object.
    private ThreadFactory turnThreads = Thread.ofVirtual().name("dobj-turn").factory();
    private SecureRandom random = new SecureRandom();
    private RandomGenerator jitter = new SplittableRandom();
    private Duration idleTimeout = Duration.ofSeconds(70);
    private Duration hibernationTimeout = Duration.ofSeconds(10);
    private Duration criticalSectionTimeout = Duration.ofSeconds(30);
    private Duration storageOperationTimeout = Duration.ofSeconds(30);
    private int maxQueuedEvents = 10_000;
    private Duration maxQueueWait = Duration.ofSeconds(60);
    private Placement placement = address -> Location.LOCAL;
    private Transport transport;
    private StorageEngine storage;
    private MeterRegistry meterRegistry;

    private Builder() {}

    /**
     * Binds {@code objectClass} as namespace {@code binding}, with the binding name as its unique
     * key.
     *
     * @throws IllegalArgumentException if the binding is taken or the name is blank
     */
    public Builder bind(String binding, Class<? extends DurableObject> objectClass) {
      return bind(binding, objectClass, binding);
    }

    /**
     * Binds {@code objectClass} as namespace {@code binding}; its ids derive from {@code
     * uniqueKey}, so they stay the same when the class or binding is renamed.
     *
     * @throws IllegalArgumentException if the binding is taken or a name is blank
     */
    public Builder bind(
        String binding, Class<? extends DurableObject> objectClass, String uniqueKey) {
      Objects.requireNonNull(objectClass, "objectClass");
      if (binding == null || binding.isBlank()) {
        throw new IllegalArgumentException("A binding name must not be blank");
      }
      if (uniqueKey == null || uniqueKey.isBlank()) {
        throw new IllegalArgumentException(
            "The unique key of binding " + binding + " must not be blank");
      }
      if (bindings.containsKey(binding)) {
        throw new IllegalArgumentException("Binding " + binding + " is already bound");
      }
      bindings.put(binding, new Binding(binding, objectClass, uniqueKey));
      return this;
    }

    /** Adds a plain variable to the environment. */
    public Builder var(String name, String value) {
      vars.put(Objects.requireNonNull(name, "name"), Objects.requireNonNull(value, "value"));
      return this;
    }

    /** The source of time and timers (a {@code ManualClock} in tests). */
    public Builder clock(RuntimeClock clock) {
      this.clock = Objects.requireNonNull(clock, "clock");
      return this;
    }

    /** Makes the threads that run turns; virtual threads by default. */
    public Builder turnThreads(ThreadFactory factory) {
      this.turnThreads = Objects.requireNonNull(factory, "factory");
      return this;
    }

    /** The source of unique ids. */
    public Builder random(SecureRandom random) {
      this.random = Objects.requireNonNull(random, "random");
      return this;
    }

    /** The source of the random jitter (up to 25%) added to alarm retry back-off. */
    public Builder jitter(RandomGenerator jitter) {
      this.jitter = Objects.requireNonNull(jitter, "jitter");
      return this;
    }

    /**
     * How long an idle object stays in memory (default 70 s).
     *
     * @throws IllegalArgumentException if not positive
     */
    public Builder idleTimeout(Duration timeout) {
      this.idleTimeout = positive(timeout, "idleTimeout");
      return this;
    }

    /**
     * How long an idle object whose only connections are accepted WebSockets stays in memory before
     * it hibernates (default 10 s): it is evicted while its sockets stay open, and the next message
     * on one of them constructs it again.
     *
     * @throws IllegalArgumentException if not positive
     */
    public Builder hibernationTimeout(Duration timeout) {
      this.hibernationTimeout = positive(timeout, "hibernationTimeout");
      return this;
    }

    /**
     * How long a critical section or constructor may run before the object is reset (default 30 s,
     * as on Cloudflare).
     *
     * @throws IllegalArgumentException if not positive
     */
    public Builder criticalSectionTimeout(Duration timeout) {
      this.criticalSectionTimeout = positive(timeout, "criticalSectionTimeout");
      return this;
    }

    /**
     * How long one storage operation of an object (a KV call, a SQL statement, a commit) may run
     * before the object is reset (default 30 s, as on Cloudflare). The runtime's sweep notices it
     * (every seventh of the shortest of this, the idle and the hibernation timeouts, at most 10 s),
     * stops the operation (a SQL statement is interrupted) and resets the object: its calls fail
     * with a reset error naming the limit, and its open batch is rolled back.
     *
     * @throws IllegalArgumentException if not positive
     */
    public Builder storageOperationTimeout(Duration timeout) {
      this.storageOperationTimeout = positive(timeout, "storageOperationTimeout");
      return this;
    }

    /**
     * How many events may wait per object before calls are refused as overloaded (default 10,000).
     *
     * @throws IllegalArgumentException if below 1
     */
    public Builder maxQueuedEvents(int max) {
      if (max < 1) {
        throw new IllegalArgumentException("maxQueuedEvents must be at least 1, got " + max);
      }
      this.maxQueuedEvents = max;
      return this;
    }

    /**
     * How long an event may wait in an object's queue; one that waited longer fails as overloaded
     * ("Requests queued for too long") instead of running (default 60 s).
     *
     * @throws IllegalArgumentException if not positive
     */
    public Builder maxQueueWait(Duration wait) {
      this.maxQueueWait = positive(wait, "maxQueueWait");
      return this;
    }

    /**
     * Keeps the objects' storage (for example {@code SqliteStorageEngine}); without one, {@code
     * ctx.storage()} throws. The runtime closes it when it closes.
     */
    public Builder storage(StorageEngine engine) {
      this.storage = Objects.requireNonNull(engine, "engine");
      return this;
    }

    /** Decides which node hosts each object (default: this process hosts every object). */
    public Builder placement(Placement placement) {
      this.placement = Objects.requireNonNull(placement, "placement");
      return this;
    }

    /**
     * Reaches objects that the placement puts on other nodes, and serves this node's objects to
     * them (default: none; every object is local). The runtime closes it when it closes.
     */
    public Builder transport(Transport transport) {
      this.transport = Objects.requireNonNull(transport, "transport");
      return this;
    }

    /**
     * Records the runtime's meters (listed in the class comment) in {@code registry}; default:
     * none, and the per-call path records nothing. Meters are resolved once (per namespace, and per
     * RPC method on its first call), so recording costs a counter increment per call. The gauges
     * are removed when the runtime closes; counters and timers stay in the registry.
     */
    public Builder meterRegistry(MeterRegistry registry) {
      this.meterRegistry = Objects.requireNonNull(registry, "registry");
      return this;
    }

    /**
     * Builds the runtime.
     *
     * @throws IllegalArgumentException if a bound class cannot be a Durable Object (abstract, or no
     *     {@code (DurableObjectState, Env)} constructor)
     */
    public DurableObjectRuntime build() {
      return new DurableObjectRuntime(this);
    }

    private static Duration positive(Duration d, String what) {
      if (d == null || d.isNegative() || d.isZero()) {
        throw new IllegalArgumentException(what + " must be positive, got " + d);
      }
      return d;
    }
  }

  private record Binding(
      String name, Class<? extends DurableObject> objectClass, String uniqueKey) {}

  /** How stubs and ids inside RPC values are copied and resolved. */
  private static final class RuntimeReferences implements References {
    volatile Env env;

    @Override
    public DurableObjectStub<?> copyStub(DurableObjectStub<?> stub) {
      return stub;
    }

    @Override
    public StubReference toReference(DurableObjectStub<?> stub) {
      return new StubReference(bindingOf(stub), stub.id().toString(), stub.id().name());
    }

    @Override
    public DurableObjectStub<?> fromReference(StubReference ref, Class<?> rpcInterface) {
      DurableObjectNamespace<?> ns = env.namespace(ref.binding(), rpcInterface);
      DurableObjectId id = ns.idFromString(ref.id());
      return ns.get(ref.name().map(ns::idFromName).filter(id::equals).orElse(id));
    }

    @Override
    public DurableObjectId idFromReference(String hex, Optional<String> name) {
      BoundEnv e = (BoundEnv) env;
      for (ObjectHost host : e.hosts.values()) {
        try {
          DurableObjectId id = host.key().idFromString(hex);
          return name.map(n -> host.key().withName(id, n)).orElse(id);
        } catch (IllegalArgumentException notThisOne) {
          // try the next namespace
        }
      }
      throw new IllegalArgumentException(
          "Durable Object ID " + hex + " is not valid for any namespace of this application");
    }

    private String bindingOf(DurableObjectStub<?> stub) {
      String s = stub.toString();
      int open = s.indexOf('[');
      int space = s.indexOf(' ', open);
      return s.substring(open + 1, space);
    }
  }

  /** The environment: namespaces by binding, and variables. */
  private static final class BoundEnv implements Env {
    final Map<String, ObjectHost> hosts;
    private final Map<String, String> vars;
    private final ConcurrentHashMap<Map.Entry<String, Class<?>>, DurableObjectNamespace<?>> views =
        new ConcurrentHashMap<>();

    BoundEnv(Map<String, ObjectHost> hosts, Map<String, String> vars) {
      this.hosts = hosts;
      this.vars = vars;
    }

    @Override
    public <T> DurableObjectNamespace<T> namespace(String binding, Class<T> rpcInterface) {
      Objects.requireNonNull(binding, "binding");
      Objects.requireNonNull(rpcInterface, "rpcInterface");
      if (!rpcInterface.isInterface()) {
        throw new IllegalArgumentException(
            rpcInterface.getName() + " is not an interface: stubs are typed by an RPC interface");
      }
      ObjectHost host = hosts.get(binding);
      if (host == null) {
        throw new IllegalArgumentException(
            "No Durable Object namespace is bound as \""
                + binding
                + "\"; bound: "
                + hosts.keySet());
      }
      @SuppressWarnings("unchecked")
      DurableObjectNamespace<T> ns =
          (DurableObjectNamespace<T>)
              views.computeIfAbsent(
                  Map.entry(binding, rpcInterface), k -> new Namespace<>(host, rpcInterface));
      return ns;
    }

    @Override
    public Optional<String> var(String name) {
      return Optional.ofNullable(vars.get(name));
    }

    @Override
    public Map<String, String> vars() {
      return vars;
    }
  }
}
