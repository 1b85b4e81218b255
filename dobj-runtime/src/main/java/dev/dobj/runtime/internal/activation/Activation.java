package dev.dobj.runtime.internal.activation;

import dev.dobj.CriticalSection;
import dev.dobj.DurableObject;
import dev.dobj.DurableObjectException;
import dev.dobj.DurableObjectId;
import dev.dobj.DurableObjectState;
import dev.dobj.fetch.WebSocket;
import dev.dobj.fetch.WebSocketAutoResponse;
import dev.dobj.runtime.internal.gate.InputGate;
import dev.dobj.runtime.internal.gate.OutputGate;
import dev.dobj.runtime.internal.metrics.ResetCause;
import dev.dobj.runtime.internal.storage.ObjectStorage;
import dev.dobj.runtime.internal.storage.StorageHooks;
import dev.dobj.runtime.time.RuntimeClock;
import dev.dobj.spi.storage.DurabilityFollowUps;
import dev.dobj.spi.websocket.EdgeWebSocket;
import dev.dobj.storage.Storage;
import java.lang.reflect.InvocationTargetException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicIntegerFieldUpdater;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

/**
 * One live instance of a Durable Object: the user's object, its input gate, and the state handle
 * ({@code ctx}) it was constructed with.
 *
 * <p><b>Turns.</b> Every event runs as a turn while its thread holds the {@link InputGate} token.
 * The thread is either a runner (a virtual thread from the settings' factory, started when an event
 * arrives at a free gate and kept while the queue has work) or the caller's own thread, when a
 * blocking call finds the object idle and runs its turn inline. {@link #CURRENT} names the
 * activation whose turn the thread runs, so that an outgoing call can open this object's gate
 * ({@link #awaitOutside}) and {@code ctx} methods can check they are called from a turn.
 *
 * <p><b>Critical sections.</b> {@link #blockConcurrencyWhile} and the constructor raise {@code
 * criticalDepth}; while it is above zero, outgoing calls keep the gate closed. A timer resets the
 * object if the outermost section runs too long.
 *
 * <p><b>Reset.</b> {@link #reset} breaks the gate (failing every queued and in-flight event with
 * one {@link DurableObjectException}), removes this activation from its host so the next stub
 * binding constructs a fresh one, and makes every later delivery to it fail. The user's code that
 * is still running is not stopped; its outcome is ignored.
 *
 * <p><b>Eviction.</b> The host closes the gate of an idle activation; stubs bound to it bind anew.
 *
 * <p><b>Logging.</b> While a turn runs, the thread's SLF4J MDC holds {@value #MDC_NAMESPACE} (the
 * binding) and {@value #MDC_ID} (the id's hex), so whatever the object or the runtime logs names
 * the object. After the turn the keys name the object whose turn the thread ran before (one that
 * called this object and ran its event inline), or are removed: the runtime owns these two keys.
 *
 * <p>Thread-safety: {@code instance} is written by the constructor turn and read by later turns,
 * ordered by the gate's lock; {@code criticalDepth} and {@code criticalTimer} are turn-confined
 * (only the token holder touches them); the rest is final or volatile.
 */
public final class Activation implements DurableObjectState, InputGate.Owner<Event>, StorageHooks {
  private static final Logger LOG = LoggerFactory.getLogger(Activation.class);
  private static final ThreadLocal<Activation> CURRENT = new ThreadLocal<>();

  /** The MDC key of the namespace (binding) of the object whose turn runs. */
  public static final String MDC_NAMESPACE = "dobj.namespace";

  /** The MDC key of the id (64 hex digits) of the object whose turn runs. */
  public static final String MDC_ID = "dobj.id";

  /** Consecutive turns whose writes may share one commit while events keep arriving. */
  static final int MAX_TURNS_PER_BATCH = 64;

  private static final AtomicIntegerFieldUpdater<Activation> WAIT_UNTIL =
      AtomicIntegerFieldUpdater.newUpdater(Activation.class, "pendingWaitUntil");

  final ObjectHost host;
  final InputGate<Event> gate;
  private volatile DurableObjectId id;
  // Written by the constructor turn; published to later turns by the gate's lock.
  private DurableObject instance;
  // turn-confined
  private int criticalDepth;
  // turn-confined
  private RuntimeClock.Timer criticalTimer;
  private volatile long lastActiveMillis;
  private volatile int pendingWaitUntil;
  // Set by the Java constructor, taken by start().
  private ConstructEvent construct;
  // Opened on first use by a turn; closed on reset or eviction. Written only by turns.
  private volatile ObjectStorage storage;
  // turn-confined
  private boolean constructing;
  // Set by a turn that leaves its batch open for the sync in flight; cleared by the FlushEvent the
  // sync's end submits. Read under the gate's lock by idleWork.
  private volatile boolean flushArmed;
  // Set by turns; read when a socket is accepted. The host's ObjectSockets keeps the live value.
  private volatile WebSocketAutoResponse autoResponse;
  // The id's hex for the MDC, made by the first turn (racy single-check: a String is immutable);
  // stays null when the logging backend has no MDC.
  private String idHex;

  /** An activation whose gate is held by its constructor turn; call {@link #start()} once. */
  Activation(ObjectHost host, DurableObjectId id) {
    this.host = host;
    this.id = id;
    this.construct = new ConstructEvent();
    this.gate =
        new InputGate<>(
            construct,
            this,
            host.settings.maxQueuedEvents(),
            host.settings.maxQueueWait().toMillis());
    this.lastActiveMillis = host.settings.clock().millis();
  }

  /** Starts the constructor turn. Events delivered meanwhile queue behind it. */
  void start() {
    ConstructEvent c = construct;
    construct = null;
    startRunner(c);
  }

  // ---- turns -------------------------------------------------------------------------------

  @Override
  public void startRunner(Event first) {
    host.settings.turnThreads().newThread(() -> runLoop(first)).start();
  }

  @Override
  public RuntimeException overloaded(int queued) {
    host.meters.overloaded(false);
    return DurableObjectException.overloaded(
        "Durable Object is overloaded. Too many requests queued. ("
            + queued
            + " events waiting for "
            + describe()
            + ")");
  }

  @Override
  public RuntimeException queuedTooLong(long waitedMillis) {
    host.meters.overloaded(true);
    return DurableObjectException.overloaded(
        "Durable Object is overloaded. Requests queued for too long. (waited "
            + waitedMillis
            + " ms for "
            + describe()
            + ")");
  }

  @Override
  public long nowMillis() {
    return host.settings.clock().millis();
  }

  @Override
  public long nowNanos() {
    return host.meters.now(); // the meters' clock: 0 when metrics are off
  }

  private void runLoop(Event first) {
    // A runner thread runs turns of this object only: the MDC is set once for all of them.
    putMdc();
    try {
      Event e = first;
      while (e != null) {
        turn(e, null);
        e = gate.next(e);
      }
    } finally {
      removeMdc();
    }
  }

  /**
   * Runs {@code e} as a turn on the calling thread, which holds the token (a caller running its
   * event inline); the thread's MDC names this object during the turn.
   */
  void runTurn(Event e) {
    Activation previous = CURRENT.get();
    if (previous == this || !host.mdc) {
      turn(e, previous);
      return;
    }
    putMdc();
    try {
      turn(e, previous);
    } finally {
      if (previous != null) {
        previous.putMdc();
      } else {
        removeMdc();
      }
    }
  }

  private void turn(Event e, Activation previous) {
    if (e.queuedAtMillis() != Event.NOT_QUEUED && host.meters.enabled()) {
      host.meters.queueWaited(host.meters.now() - e.queuedAtNanos());
    }
    CURRENT.set(this);
    try {
      e.execute(this);
      endBatch();
    } finally {
      CURRENT.set(previous);
      lastActiveMillis = host.settings.clock().millis();
    }
  }

  private void putMdc() {
    if (!host.mdc) {
      return;
    }
    String hex = idHex;
    if (hex == null) {
      hex = id.toString();
      idHex = hex;
    }
    MDC.put(MDC_NAMESPACE, host.binding);
    MDC.put(MDC_ID, hex);
  }

  private void removeMdc() {
    if (host.mdc) {
      MDC.remove(MDC_NAMESPACE);
      MDC.remove(MDC_ID);
    }
  }

  /**
   * A turn ended: commits its writes, unless more events wait, in which case the batch may stay
   * open so the next turns share its commit (group commit across turns, bounded by {@link
   * #MAX_TURNS_PER_BATCH}). The results of those turns wait for that commit (output gate). If the
   * queue drains without another turn, {@link #idleWork} commits before the gate goes idle.
   *
   * <p>With an engine that makes batches durable after their commit (an fsync), the batch stays
   * open while the previous batch's sync is in flight (committing earlier would only wait for that
   * sync), but when no sync is in flight it commits as soon as it holds at least as many turns as
   * still wait, so its sync starts at once and overlaps the turns that follow instead of waiting
   * for them. With many callers and one object this pipelines two halves: one half's turns run
   * while the other half's fsync runs, rather than turns and fsync taking turns.
   */
  private void endBatch() {
    ObjectStorage s = storage;
    if (s == null || !s.hasOpenBatch() || gate.brokenCause() != null) {
      return;
    }
    s.turnEnded();
    if (s.turnsInBatch() <= MAX_TURNS_PER_BATCH) {
      boolean syncInFlight = s.syncInFlight();
      int queued = gate.queuedEvents();
      if (queued > 0 && keepOpen(syncInFlight, s.durabilityDeferred(), s.turnsInBatch(), queued)) {
        return;
      }
      if (queued == 0 && syncInFlight) {
        commitAfterSync(s);
        return;
      }
    }
    commitOpenBatch();
  }

  /**
   * Whether a batch of {@code turnsInBatch} turns (the one that just ended included), which {@code
   * queued} more events could join, stays open: always while an earlier batch's sync is in flight
   * or when the engine makes batches durable at commit; otherwise only while fewer turns are in it
   * than still wait.
   */
  static boolean keepOpen(
      boolean syncInFlight, boolean durabilityDeferred, int turnsInBatch, int queued) {
    return syncInFlight || !durabilityDeferred || turnsInBatch < queued;
  }

  /**
   * Leaves the open batch open while the previous batch's sync runs, and commits it (a {@link
   * FlushEvent}) once that sync is done: every turn that ends meanwhile joins it, so under load one
   * commit serves all the turns that arrived during one sync (group commit), at no cost in latency,
   * since the batch could not be durable before that sync ends anyway. Arms once per open batch.
   */
  private void commitAfterSync(ObjectStorage s) {
    if (flushArmed) {
      return;
    }
    flushArmed = true;
    s.afterLastSync(
        () -> {
          if (!DurabilityFollowUps.offer(new FlushAfterSync())) {
            submitFlush();
          }
        });
  }

  private void submitFlush() {
    try {
      gate.submit(new FlushEvent());
    } catch (RuntimeException broken) {
      // reset meanwhile: the open batch was discarded with the storage
    }
  }

  /**
   * The commit of a batch that waited for a sync, offered to the thread that completed that sync
   * (see {@link DurabilityFollowUps}): that thread runs the commit itself if the object is idle, so
   * the batch's record reaches the engine with no thread hand-off, and queues it as an event
   * otherwise. Only the commit runs there, never an event of the object's code.
   */
  private final class FlushAfterSync implements DurabilityFollowUps.FollowUp {
    @Override
    public void runHere() {
      FlushEvent flush = new FlushEvent();
      InputGate.Admission admission;
      try {
        admission = gate.tryEnter(flush);
      } catch (RuntimeException broken) {
        return; // reset meanwhile: the open batch was discarded with the storage
      }
      switch (admission) {
        case ENTERED -> {
          try {
            runTurn(flush);
          } finally {
            gate.finish(flush);
          }
        }
        case BUSY -> submitFlush(); // a turn runs: the flush waits behind it
        case CLOSED -> {
          // evicted: an activation with an open batch is never idle, so nothing was open
        }
      }
    }

    @Override
    public void runElsewhere() {
      submitFlush();
    }
  }

  private void commitOpenBatch() {
    ObjectStorage s = storage;
    if (s != null && gate.brokenCause() == null) {
      try {
        s.commitBatch();
      } catch (RuntimeException failed) {
        // commitBatch reported the failure; the object is reset
      }
    }
  }

  @Override
  public Event idleWork() {
    ObjectStorage s = storage;
    // An armed flush commits the open batch when the sync in flight ends; the gate may go idle.
    return s != null && s.hasOpenBatch() && !flushArmed ? new FlushEvent() : null;
  }

  /** Whether writes wait in an open batch whose commit is still to come (busy, not idle). */
  boolean commitPending() {
    ObjectStorage s = storage;
    return s != null && s.hasOpenBatch();
  }

  /**
   * Commits a batch left open by the last turn: before the gate goes idle, or once the sync that an
   * armed batch waited for is done. If another batch's sync is in flight by then (a turn committed
   * meanwhile), the open batch waits for that one instead.
   */
  private final class FlushEvent extends Event {
    @Override
    void execute(Activation a) {
      flushArmed = false;
      ObjectStorage s = storage;
      if (s != null && s.hasOpenBatch() && s.syncInFlight() && gate.brokenCause() == null) {
        commitAfterSync(s);
        return;
      }
      commitOpenBatch();
    }

    @Override
    protected void reject(RuntimeException cause) {
      // the held messages fail through the storage's close
    }

    @Override
    public String toString() {
      return "commit";
    }
  }

  /**
   * Delivers {@code e} for a caller that will wait for it: runs it inline if the object is idle,
   * else queues it.
   *
   * @return false if this activation was evicted (bind anew and retry)
   * @throws RuntimeException the reset cause if the activation is broken; overload
   */
  boolean deliverBlocking(Event e) {
    switch (gate.tryEnter(e)) {
      case ENTERED -> {
        runTurn(e);
        gate.finish(e);
        return true;
      }
      case BUSY -> {
        return gate.submit(e);
      }
      default -> {
        return false;
      }
    }
  }

  /**
   * Queues {@code e} without waiting.
   *
   * @return false if this activation was evicted
   */
  boolean deliverAsync(Event e) {
    return gate.submit(e);
  }

  /**
   * Runs {@code waiting} (which blocks on something outside the object) with the calling turn's
   * input gate open, so other events of that object may run meanwhile; then takes the gate back,
   * behind the events queued before. Inside a critical section, or outside any turn, it just runs
   * {@code waiting}.
   */
  static <T> T awaitOutside(Supplier<T> waiting) {
    Activation caller = CURRENT.get();
    if (caller == null) {
      return waiting.get();
    }
    // Output gate: nothing leaves the object before the writes made before it are durable.
    caller.outputGate().awaitDurable();
    if (caller.criticalDepth > 0) {
      return waiting.get();
    }
    caller.gate.suspend();
    try {
      return waiting.get();
    } finally {
      caller.gate.reenter();
    }
  }

  /** The activation whose turn the calling thread runs, if any. */
  static Activation current() {
    return CURRENT.get();
  }

  // ---- lifecycle ----------------------------------------------------------------------------

  /** The constructor, run as the first turn, inside a critical section. */
  final class ConstructEvent extends Event {
    @Override
    void execute(Activation a) {
      enterCritical("the constructor");
      constructing = true;
      try {
        if (host.storage != null && id.name().isEmpty()) {
          Optional<String> persisted = openStorage().persistedName();
          if (persisted.isPresent()) {
            id = host.key.withName(id, persisted.get());
          }
        }
        instance = host.construct(Activation.this);
      } catch (InvocationTargetException ite) {
        Throwable cause = ite.getCause();
        reset(ResetCause.CONSTRUCTOR, resetError("its constructor threw " + cause, cause));
      } catch (ReflectiveOperationException | RuntimeException | Error e) {
        reset(ResetCause.CONSTRUCTOR, resetError("its constructor could not run: " + e, e));
      } finally {
        constructing = false;
        exitCritical();
      }
    }

    @Override
    protected void reject(RuntimeException cause) {
      // Nobody waits for the constructor itself; the events behind it carry the failure.
    }
  }

  DurableObject instance() {
    return instance;
  }

  /**
   * Resets this activation with {@code cause} (idempotent): fails every queued and in-flight event,
   * forgets it in the host, counts it under {@code why}, and logs one line (with this object in the
   * MDC, whichever thread resets it).
   */
  void reset(ResetCause why, DurableObjectException cause) {
    reset(why, cause, true);
  }

  /** As {@link #reset(ResetCause, DurableObjectException)}; {@code log} false when closing. */
  void reset(ResetCause why, DurableObjectException cause, boolean log) {
    // Registered before the gate breaks: breaking it answers the callers, who may at once reach a
    // fresh activation, which must then wait for this one's storage to close.
    CompletableFuture<Void> closed = storage == null ? null : host.storageClosing(id);
    if (!gate.breakWith(cause, () -> host.meters.reset(why))) {
      host.storageClosed(id, closed); // reset already: that reset closes the storage
      return;
    }
    // Close the sockets before a fresh activation can exist, so none it accepts is closed.
    host.closeSockets(
        id,
        log ? 1011 : 1001,
        log ? "Durable Object reset" : "The Durable Object runtime is shutting down");
    ObjectStorage s = storage;
    host.forget(this);
    try {
      if (s != null) {
        s.close(copyOf(cause));
      }
    } finally {
      host.storageClosed(id, closed);
    }
    if (log) {
      logReset(why, cause);
    }
  }

  private void logReset(ResetCause why, DurableObjectException cause) {
    String namespace = MDC.get(MDC_NAMESPACE);
    String hex = MDC.get(MDC_ID);
    MDC.put(MDC_NAMESPACE, host.binding);
    MDC.put(MDC_ID, id.toString());
    try {
      LOG.warn(
          "Durable Object {} reset ({}): {}",
          describe(),
          why.tag(),
          cause.getMessage(),
          cause.getCause());
    } finally {
      restoreMdc(MDC_NAMESPACE, namespace);
      restoreMdc(MDC_ID, hex);
    }
  }

  private static void restoreMdc(String key, String value) {
    if (value == null) {
      MDC.remove(key);
    } else {
      MDC.put(key, value);
    }
  }

  DurableObjectException resetError(String why, Throwable cause) {
    return DurableObjectException.reset(
        "Durable Object reset because " + why + " (" + describe() + ")", cause);
  }

  /**
   * Resets this activation if its turn has been inside one call into its storage for {@code
   * limitMillis} or longer (SPEC: a storage operation over 30 s). The reset runs on a thread of its
   * own: it stops the call in the engine and waits for it to let go of the store, which must not
   * hold up the caller (the runtime's timer). Returns whether it started one.
   */
  boolean resetIfStuckInStorage(long nowMillis, long limitMillis) {
    ObjectStorage s = storage;
    if (s == null) {
      return false;
    }
    long started = s.storageCallStartedMillis();
    if (started == Long.MIN_VALUE || nowMillis - started < limitMillis) {
      return false;
    }
    DurableObjectException cause =
        resetError(
            "a storage operation ran longer than "
                + Duration.ofMillis(limitMillis).toSeconds()
                + " s",
            null);
    host.settings.turnThreads().newThread(() -> reset(ResetCause.STORAGE_TIMEOUT, cause)).start();
    return true;
  }

  /** Whether the host may evict this activation now: idle long enough and nothing pending. */
  boolean evictIfIdle(long nowMillis, long idleMillis) {
    if (nowMillis - lastActiveMillis < idleMillis || pendingWaitUntil > 0) {
      return false;
    }
    if (!gate.closeIfIdle(this::commitPending)) {
      return false;
    }
    ObjectStorage s = storage;
    if (s != null) {
      s.close(resetError("it was evicted with an open batch", null));
    }
    return true;
  }

  @Override
  public String describe() {
    return host.binding + " " + id;
  }

  void adoptName(DurableObjectId named) {
    if (id.name().isEmpty() && named.name().isPresent()) {
      id = named;
    }
  }

  // ---- critical sections ---------------------------------------------------------------------

  private void enterCritical(String what) {
    if (criticalDepth == 0) {
      criticalTimer =
          host.settings
              .clock()
              .schedule(
                  host.settings.criticalSectionTimeout(),
                  () ->
                      reset(
                          ResetCause.CRITICAL_SECTION_TIMEOUT,
                          resetError(
                              what
                                  + " ran longer than "
                                  + host.settings.criticalSectionTimeout().toSeconds()
                                  + " s inside blockConcurrencyWhile()",
                              null)));
    }
    criticalDepth++;
  }

  private void exitCritical() {
    if (--criticalDepth == 0) {
      criticalTimer.cancel();
      criticalTimer = null;
    }
  }

  private void requireTurn(String method) {
    if (CURRENT.get() != this) {
      throw new IllegalStateException(
          "DurableObjectState."
              + method
              + "() was called outside a turn of "
              + describe()
              + ": call it from the object's constructor or one of its event handlers");
    }
  }

  /** A new copy of the reset cause, if this activation is broken, so each caller gets its own. */
  DurableObjectException brokenError() {
    RuntimeException cause = gate.brokenCause();
    return cause == null ? null : copyOf(cause);
  }

  static DurableObjectException copyOf(RuntimeException cause) {
    if (cause instanceof DurableObjectException d && d.reset()) {
      return DurableObjectException.reset(d.getMessage(), d.getCause());
    }
    if (cause instanceof DurableObjectException d) {
      return d;
    }
    return DurableObjectException.reset(cause.getMessage(), cause);
  }

  // ---- DurableObjectState ----------------------------------------------------------------------

  @Override
  public DurableObjectId id() {
    return id;
  }

  @Override
  public Storage storage() {
    requireTurn("storage");
    return openStorage();
  }

  /** The object's storage, opened on first use (turns only). */
  ObjectStorage openStorage() {
    ObjectStorage s = storage;
    if (s == null) {
      s = host.openStorage(this);
      storage = s;
    }
    return s;
  }

  OutputGate outputGate() {
    ObjectStorage s = storage;
    return s == null ? OutputGate.OPEN : s.outputGate();
  }

  // ---- StorageHooks --------------------------------------------------------------------------

  @Override
  public void checkTurn(String method) {
    requireTurn(method);
  }

  @Override
  public boolean hasAlarmHandler() {
    return host.hasAlarmHandler;
  }

  @Override
  public boolean inConstructor() {
    return constructing;
  }

  @Override
  public RuntimeException commitFailed(Throwable cause) {
    DurableObjectException r = resetError("a storage commit failed: " + cause, cause);
    reset(ResetCause.COMMIT_FAILURE, r);
    return copyOf(r);
  }

  @Override
  public void alarmCommitted(Optional<java.time.Instant> alarm) {
    host.alarmCommitted(id, alarm);
  }

  @Override
  public Optional<String> name() {
    return id.name();
  }

  @Override
  public <T> T blockConcurrencyWhile(CriticalSection<T> section) {
    requireTurn("blockConcurrencyWhile");
    if (criticalDepth >= host.settings.maxCriticalSectionDepth()) {
      throw new IllegalStateException(
          "blockConcurrencyWhile() nested more than "
              + host.settings.maxCriticalSectionDepth()
              + " deep in "
              + describe());
    }
    enterCritical("a blockConcurrencyWhile() callback");
    T value;
    try {
      value = section.run();
    } catch (DurableObjectException e) {
      if (e.reset() && gate.brokenCause() != null) {
        throw e; // a nested section already reset the object
      }
      DurableObjectException r = resetError("a blockConcurrencyWhile() callback threw " + e, e);
      reset(ResetCause.CRITICAL_SECTION_ERROR, r);
      throw copyOf(r);
    } catch (Throwable t) {
      DurableObjectException r = resetError("a blockConcurrencyWhile() callback threw " + t, t);
      reset(ResetCause.CRITICAL_SECTION_ERROR, r);
      throw copyOf(r);
    } finally {
      exitCritical();
    }
    DurableObjectException broken = brokenError();
    if (broken != null) {
      throw broken; // timed out (or aborted elsewhere) while the section ran
    }
    return value;
  }

  @Override
  public void waitUntil(CompletableFuture<?> work) {
    requireTurn("waitUntil");
    WAIT_UNTIL.incrementAndGet(this);
    work.whenComplete(
        (v, e) -> {
          lastActiveMillis = host.settings.clock().millis();
          WAIT_UNTIL.decrementAndGet(this);
        });
  }

  @Override
  public void abort(String reason) {
    DurableObjectException cause = resetError("it was aborted: " + reason, null);
    reset(ResetCause.ABORT, cause);
    throw copyOf(cause);
  }

  @Override
  public void acceptWebSocket(WebSocket ws, String... tags) {
    requireTurn("acceptWebSocket");
    Objects.requireNonNull(ws, "ws");
    if (!(ws instanceof EdgeWebSocket edge)) {
      throw new IllegalArgumentException(
          "acceptWebSocket needs the WebSocket of an upgrade request (request.webSocket()), not "
              + ws.getClass().getName());
    }
    host.acceptSocket(this, edge, ObjectSockets.checkTags(tags));
  }

  @Override
  public List<WebSocket> getWebSockets() {
    requireTurn("getWebSockets");
    ObjectSockets s = host.sockets(id);
    return s == null ? List.of() : s.list(null);
  }

  @Override
  public List<WebSocket> getWebSockets(String tag) {
    requireTurn("getWebSockets");
    Objects.requireNonNull(tag, "tag");
    ObjectSockets s = host.sockets(id);
    return s == null ? List.of() : s.list(tag);
  }

  @Override
  public List<String> getTags(WebSocket ws) {
    requireTurn("getTags");
    ObjectSockets s = host.sockets(id);
    List<String> tags = s == null ? null : s.tags(ws);
    if (tags == null) {
      throw new IllegalArgumentException(
          "WebSocket " + ws + " is not an open WebSocket accepted by " + describe());
    }
    return tags;
  }

  @Override
  public void setWebSocketAutoResponse(WebSocketAutoResponse pair) {
    requireTurn("setWebSocketAutoResponse");
    autoResponse = pair;
    ObjectSockets s = host.sockets(id);
    if (s != null) {
      s.autoResponse = pair;
    }
  }

  @Override
  public Optional<WebSocketAutoResponse> getWebSocketAutoResponse() {
    requireTurn("getWebSocketAutoResponse");
    ObjectSockets s = host.sockets(id);
    return Optional.ofNullable(s != null ? s.autoResponse : autoResponse);
  }

  @Override
  public Optional<Instant> getWebSocketAutoResponseTimestamp(WebSocket ws) {
    requireTurn("getWebSocketAutoResponseTimestamp");
    Objects.requireNonNull(ws, "ws");
    ObjectSockets s = host.sockets(id);
    Optional<Instant> at = s == null ? null : s.autoResponded(ws);
    if (at == null) {
      throw new IllegalArgumentException(
          "WebSocket " + ws + " is not an open WebSocket accepted by " + describe());
    }
    return at;
  }

  /** The auto-response this activation set, for sockets it accepts. */
  WebSocketAutoResponse ownAutoResponse() {
    return autoResponse;
  }

  @Override
  public String toString() {
    return "Activation[" + describe() + "]";
  }
}
