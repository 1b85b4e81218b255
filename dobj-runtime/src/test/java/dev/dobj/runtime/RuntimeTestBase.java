package dev.dobj.runtime;

import dev.dobj.DurableObject;
import dev.dobj.DurableObjectNamespace;
import dev.dobj.runtime.Fixtures.Counter;
import dev.dobj.runtime.Fixtures.Probe;
import dev.dobj.runtime.testing.Awaits;
import dev.dobj.runtime.time.ManualClock;
import java.util.UUID;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;

/** A runtime on a manual clock per test, with the fixtures bound and a private probe. */
abstract class RuntimeTestBase {
  protected final ManualClock clock = new ManualClock();
  protected final String probeName = UUID.randomUUID().toString();
  protected DurableObjectRuntime runtime;
  protected Probe probe;

  @BeforeEach
  void startRuntime() {
    probe = Fixtures.PROBES.computeIfAbsent(probeName, k -> new Probe());
    runtime = build(b -> {});
  }

  protected DurableObjectRuntime build(Consumer<DurableObjectRuntime.Builder> tweak) {
    DurableObjectRuntime.Builder b =
        DurableObjectRuntime.builder()
            .clock(clock)
            .var("probe", probeName)
            .bind("COUNTER", Fixtures.CounterObject.class, "counter-key")
            .bind("PLAIN", Fixtures.PlainObject.class)
            .bind("PEER", Fixtures.PeerObject.class);
    tweak.accept(b);
    return b.build();
  }

  protected void rebuild(Consumer<DurableObjectRuntime.Builder> tweak) {
    runtime.close();
    runtime = build(tweak);
  }

  @AfterEach
  void stopRuntime() {
    if (runtime != null) {
      runtime.close();
    }
    Fixtures.PROBES.remove(probeName);
  }

  /** Waits until no object of {@code binding} runs or waits (before moving the manual clock). */
  protected void awaitIdle(String binding) {
    Awaits.until(() -> runtime.busyObjects(binding) == 0, "objects of " + binding + " to be idle");
  }

  protected DurableObjectNamespace<Counter> counters() {
    return runtime.env().namespace("COUNTER", Counter.class);
  }

  protected static Class<? extends DurableObject> counterClass() {
    return Fixtures.CounterObject.class;
  }
}
