package dev.dobj.runtime.internal.metrics;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.ToDoubleFunction;

/**
 * The meters of one namespace, registered once when the runtime is built (gauges, resets by cause,
 * overloads, queue wait, commits, output gate, alarms) or once per RPC method ({@link #calls}).
 *
 * <p>{@link #NONE} records nothing: its methods return at once and {@link #calls} gives null, which
 * the per-call path tests instead of incrementing; so a runtime built without a registry pays a
 * branch per event and nothing else.
 *
 * <p>Thread-safe: the fields are final and Micrometer's meters are thread-safe; the list of gauges
 * is written only while the runtime is built and by the one call that closes it.
 */
public final class NamespaceMeters {
  /** Records nothing; for a runtime built without a {@code MeterRegistry}. */
  public static final NamespaceMeters NONE = new NamespaceMeters();

  private final MeterRegistry registry;
  private final Tags tags;
  private final Counter[] resets;
  private final Counter queueFull;
  private final Counter queuedTooLong;
  private final Timer queueWait;
  private final DistributionSummary commitTurns;
  private final Timer commitLatency;
  private final Timer outputGateHold;
  private final Counter alarmSuccess;
  private final Counter alarmFailure;
  private final Counter alarmSkipped;
  private final Counter alarmRetries;
  private final Counter alarmDrops;
  private final Counter fetches;
  private final List<Meter> gauges = new ArrayList<>();

  private NamespaceMeters() {
    registry = null;
    tags = Tags.empty();
    resets = null;
    queueFull = null;
    queuedTooLong = null;
    queueWait = null;
    commitTurns = null;
    commitLatency = null;
    outputGateHold = null;
    alarmSuccess = null;
    alarmFailure = null;
    alarmSkipped = null;
    alarmRetries = null;
    alarmDrops = null;
    fetches = null;
  }

  private NamespaceMeters(MeterRegistry registry, String namespace) {
    this.registry = registry;
    this.tags = Tags.of("namespace", namespace);
    ResetCause[] causes = ResetCause.values();
    this.resets = new Counter[causes.length];
    for (ResetCause c : causes) {
      resets[c.ordinal()] =
          Counter.builder("dobj.resets")
              .description("Objects reset (their callers got a reset error), by cause")
              .tags(tags)
              .tag("cause", c.tag())
              .register(registry);
    }
    this.queueFull = overloaded("queue_full");
    this.queuedTooLong = overloaded("queued_too_long");
    this.queueWait =
        Timer.builder("dobj.queue.wait")
            .description("How long events waited in an object's input gate before their turn")
            .tags(tags)
            .register(registry);
    this.commitTurns =
        DistributionSummary.builder("dobj.storage.commit.turns")
            .description("Turns whose writes one storage commit carried (group commit)")
            .baseUnit("turns")
            .tags(tags)
            .register(registry);
    this.commitLatency =
        Timer.builder("dobj.storage.commit.latency")
            .description("From a batch's commit to its durability (fsync or the OS)")
            .tags(tags)
            .register(registry);
    this.outputGateHold =
        Timer.builder("dobj.output.gate.hold")
            .description(
                "How long the output gate held a result until the writes before it were durable")
            .tags(tags)
            .register(registry);
    this.alarmSuccess = alarmRun("success");
    this.alarmFailure = alarmRun("failure");
    this.alarmSkipped = alarmRun("skipped");
    this.alarmRetries =
        Counter.builder("dobj.alarms.retries")
            .description("Alarm runs that failed and were scheduled again with back-off")
            .tags(tags)
            .register(registry);
    this.alarmDrops =
        Counter.builder("dobj.alarms.dropped")
            .description("Alarms dropped after their last retry failed")
            .tags(tags)
            .register(registry);
    this.fetches = calls("fetch");
  }

  /**
   * The meters of {@code namespace} in {@code registry}, or {@link #NONE} if {@code registry} is
   * null.
   */
  public static NamespaceMeters of(MeterRegistry registry, String namespace) {
    return registry == null ? NONE : new NamespaceMeters(registry, namespace);
  }

  /** Whether this records anything. */
  public boolean enabled() {
    return registry != null;
  }

  private Counter overloaded(String reason) {
    return Counter.builder("dobj.overloaded")
        .description("Events refused because an object was overloaded, by reason")
        .tags(tags)
        .tag("reason", reason)
        .register(registry);
  }

  private Counter alarmRun(String outcome) {
    return Counter.builder("dobj.alarms.runs")
        .description(
            "Alarm deliveries: the handler returned (success) or threw (failure), or the alarm had"
                + " moved or been deleted (skipped)")
        .tags(tags)
        .tag("outcome", outcome)
        .register(registry);
  }

  /**
   * The counter of calls to {@code method} (a method of the bound class: bounded), or null when
   * off. Resolve once per method and keep it.
   */
  public Counter calls(String method) {
    if (registry == null) {
      return null;
    }
    return Counter.builder("dobj.calls")
        .description("RPC calls and fetches run by objects, by method")
        .tags(tags)
        .tag("method", method)
        .register(registry);
  }

  /** The counter of {@code fetch} events, or null when off. */
  public Counter fetches() {
    return fetches;
  }

  /** Registers a gauge of this namespace that reads {@code f} of {@code state} on each scrape. */
  public <T> void gauge(String name, String description, T state, ToDoubleFunction<T> f) {
    if (registry == null) {
      return;
    }
    gauges.add(
        Gauge.builder(name, state, f)
            .description(description)
            .tags(tags)
            .strongReference(true)
            .register(registry));
  }

  /** Removes the gauges (the runtime closed: they would read a dead runtime). */
  public void removeGauges() {
    if (registry == null) {
      return;
    }
    for (Meter m : gauges) {
      registry.remove(m);
    }
    gauges.clear();
  }

  /** An object was reset for {@code cause}. */
  public void reset(ResetCause cause) {
    if (resets != null) {
      resets[cause.ordinal()].increment();
    }
  }

  /** An event was refused: the queue was full ({@code tooLong} false) or it waited too long. */
  public void overloaded(boolean tooLong) {
    if (registry != null) {
      (tooLong ? queuedTooLong : queueFull).increment();
    }
  }

  /**
   * An event that had to queue starts its turn after {@code nanos} in the queue (by this registry's
   * clock, {@link #now()}).
   */
  public void queueWaited(long nanos) {
    if (queueWait != null) {
      queueWait.record(Math.max(0, nanos), TimeUnit.NANOSECONDS);
    }
  }

  /** The registry clock's monotonic time in nanoseconds, or 0 when off. */
  public long now() {
    return registry == null ? 0 : registry.config().clock().monotonicTime();
  }

  /** A batch of {@code turns} turns' writes was handed to the engine. */
  public void committed(int turns) {
    if (commitTurns != null) {
      commitTurns.record(Math.max(1, turns));
    }
  }

  /** The batch committed at {@code startNanos} ({@link #now()}) is durable. */
  public void durable(long startNanos) {
    if (commitLatency != null) {
      commitLatency.record(now() - startNanos, TimeUnit.NANOSECONDS);
    }
  }

  /** A message released at {@code startNanos} ({@link #now()}) left the output gate. */
  public void released(long startNanos) {
    if (outputGateHold != null) {
      outputGateHold.record(now() - startNanos, TimeUnit.NANOSECONDS);
    }
  }

  /** An alarm delivery ended: handler returned, threw, or there was nothing to run. */
  public void alarmRan(boolean ran, boolean failed) {
    if (registry != null) {
      (failed ? alarmFailure : ran ? alarmSuccess : alarmSkipped).increment();
    }
  }

  /** A failed alarm run was scheduled again. */
  public void alarmRetried() {
    if (alarmRetries != null) {
      alarmRetries.increment();
    }
  }

  /** An alarm was dropped after its last retry. */
  public void alarmDropped() {
    if (alarmDrops != null) {
      alarmDrops.increment();
    }
  }
}
