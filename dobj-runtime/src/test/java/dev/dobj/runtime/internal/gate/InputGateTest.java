package dev.dobj.runtime.internal.gate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.dobj.runtime.internal.gate.InputGate.Admission;
import dev.dobj.runtime.testing.Awaits;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The input gate step by step: the owner records the runners it is asked to start instead of
 * starting threads, so every hand-over is observed in order.
 */
class InputGateTest {
  private final List<String> log = new ArrayList<>();
  private final ArrayDeque<Ev> runners = new ArrayDeque<>();

  private final class Owner implements InputGate.Owner<Ev> {
    @Override
    public void startRunner(Ev first) {
      log.add("runner " + first.name);
      runners.add(first);
    }

    @Override
    public RuntimeException overloaded(int queued) {
      return new IllegalStateException("overloaded at " + queued);
    }

    @Override
    public RuntimeException queuedTooLong(long waitedMillis) {
      return new IllegalStateException("waited " + waitedMillis);
    }

    @Override
    public long nowMillis() {
      return now;
    }

    @Override
    public Ev idleWork() {
      Ev work = idle;
      idle = null;
      return work;
    }
  }

  private Ev idle;

  private long now;

  private static final class Ev extends InputGate.Entry {
    final String name;
    final List<RuntimeException> rejections = new ArrayList<>();

    Ev(String name) {
      this.name = name;
    }

    @Override
    protected void reject(RuntimeException cause) {
      rejections.add(cause);
    }

    @Override
    public String toString() {
      return name;
    }
  }

  private InputGate<Ev> gate(int max) {
    return new InputGate<>(null, new Owner(), max, 1000);
  }

  @Test
  void submitToAFreeGate_startsARunnerWithTheEvent() {
    InputGate<Ev> g = gate(10);
    Ev a = new Ev("a");
    assertThat(g.submit(a)).isTrue();
    assertThat(log).containsExactly("runner a");
    assertThat(g.inFlightEvents()).isEqualTo(1);
    assertThat(g.next(a)).isNull();
    assertThat(g.busy()).isFalse();
  }

  @Test
  void eventsSubmittedWhileHeld_runOnTheSameRunner_inArrivalOrder() {
    InputGate<Ev> g = gate(10);
    Ev a = new Ev("a");
    Ev b = new Ev("b");
    Ev c = new Ev("c");
    g.submit(a);
    g.submit(b);
    g.submit(c);
    assertThat(g.queuedEvents()).isEqualTo(2);
    assertThat(g.next(a)).isSameAs(b);
    assertThat(g.next(b)).isSameAs(c);
    assertThat(g.next(c)).isNull();
    assertThat(log).containsExactly("runner a");
  }

  @Test
  void tryEnter_takesAFreeGate_andReportsABusyOne() {
    InputGate<Ev> g = gate(10);
    Ev a = new Ev("a");
    assertThat(g.tryEnter(a)).isEqualTo(Admission.ENTERED);
    assertThat(g.tryEnter(new Ev("b"))).isEqualTo(Admission.BUSY);
    g.finish(a);
    assertThat(g.tryEnter(new Ev("c"))).isEqualTo(Admission.ENTERED);
  }

  @Test
  void finishingAnInlineTurn_handsTheNextEventToANewRunner() {
    InputGate<Ev> g = gate(10);
    Ev a = new Ev("a");
    Ev b = new Ev("b");
    g.tryEnter(a);
    g.submit(b);
    assertThat(log).isEmpty();
    g.finish(a);
    assertThat(log).containsExactly("runner b");
    assertThat(g.busy()).isTrue();
  }

  @Test
  void suspend_handsTheGateToTheNextEvent_andReenterQueuesBehindIt() throws Exception {
    InputGate<Ev> g = gate(10);
    Ev a = new Ev("a");
    Ev b = new Ev("b");
    Ev c = new Ev("c");
    g.submit(a);
    g.submit(b);
    g.suspend(); // a waits on an outgoing call
    assertThat(log).containsExactly("runner a", "runner b");
    assertThat(g.inFlightEvents()).isEqualTo(2);

    CompletableFuture<String> resumed = new CompletableFuture<>();
    Thread waiter =
        Thread.ofPlatform()
            .start(
                () -> {
                  g.reenter();
                  resumed.complete("a resumed");
                });
    awaitParked(waiter);
    g.submit(c); // arrives after a asked to resume: runs after a
    assertThat(resumed).isNotDone();

    assertThat(g.next(b)).isNull(); // b done: the gate goes to a, not to c
    assertThat(resumed.get(10, TimeUnit.SECONDS)).isEqualTo("a resumed");
    assertThat(g.next(a)).isSameAs(c);
    assertThat(g.next(c)).isNull();
    assertThat(g.busy()).isFalse();
  }

  @Test
  void suspendOnAnEmptyQueue_freesTheGate_andReenterRetakesItAtOnce() {
    InputGate<Ev> g = gate(10);
    Ev a = new Ev("a");
    g.tryEnter(a);
    g.suspend();
    Ev b = new Ev("b");
    assertThat(g.tryEnter(b)).isEqualTo(Admission.ENTERED); // an event runs while a waits
    g.finish(b);
    g.reenter();
    assertThat(g.tryEnter(new Ev("c"))).isEqualTo(Admission.BUSY);
    g.finish(a);
    assertThat(g.busy()).isFalse();
  }

  @Test
  void aFullQueue_refusesMoreEvents_resumptionsDoNotCount() {
    InputGate<Ev> g = gate(2);
    Ev a = new Ev("a");
    g.submit(a);
    g.submit(new Ev("b"));
    g.submit(new Ev("c"));
    assertThatThrownBy(() -> g.submit(new Ev("d")))
        .isInstanceOf(IllegalStateException.class)
        .hasMessage("overloaded at 2");
    assertThat(g.queuedEvents()).isEqualTo(2);
  }

  @Test
  void breakWith_rejectsEveryQueuedAndInFlightEventOnce_andRefusesLaterOnes() throws Exception {
    InputGate<Ev> g = gate(10);
    Ev a = new Ev("a");
    Ev b = new Ev("b");
    Ev c = new Ev("c");
    g.submit(a);
    g.submit(b);
    g.suspend(); // a in flight and suspended; b in flight on its runner
    g.submit(c);
    CompletableFuture<Throwable> resumed = new CompletableFuture<>();
    Thread waiter =
        Thread.ofPlatform()
            .start(
                () -> {
                  try {
                    g.reenter();
                    resumed.complete(null);
                  } catch (RuntimeException e) {
                    resumed.complete(e);
                  }
                });
    awaitParked(waiter);

    RuntimeException cause = new RuntimeException("reset");
    assertThat(g.breakWith(cause)).isTrue();
    assertThat(g.breakWith(new RuntimeException("second"))).isFalse();
    assertThat(a.rejections).containsExactly(cause);
    assertThat(b.rejections).containsExactly(cause);
    assertThat(c.rejections).containsExactly(cause);
    assertThat(resumed.get(10, TimeUnit.SECONDS)).isSameAs(cause);
    assertThatThrownBy(() -> g.submit(new Ev("d"))).isSameAs(cause);
    assertThatThrownBy(() -> g.tryEnter(new Ev("e"))).isSameAs(cause);
    assertThat(g.next(b)).isNull(); // the runner winds down quietly
  }

  @Test
  void closeIfIdle_closesOnlyAnIdleGate_andThenRefusesEventsWithoutQueueing() {
    InputGate<Ev> g = gate(10);
    Ev a = new Ev("a");
    g.tryEnter(a);
    assertThat(g.closeIfIdle(() -> false)).isFalse();
    g.suspend(); // a still in flight: not idle
    assertThat(g.closeIfIdle(() -> false)).isFalse();
    g.reenter();
    g.finish(a);
    assertThat(g.closeIfIdle(() -> false)).isTrue();
    assertThat(g.submit(new Ev("b"))).isFalse();
    assertThat(g.tryEnter(new Ev("c"))).isEqualTo(Admission.CLOSED);
    assertThat(log).isEmpty();
  }

  @Test
  void closeIfIdle_staysOpenWhileTheOwnerHasPendingWork() {
    InputGate<Ev> g = gate(10);
    java.util.concurrent.atomic.AtomicBoolean pending =
        new java.util.concurrent.atomic.AtomicBoolean(true);
    assertThat(g.closeIfIdle(pending::get)).isFalse();
    Ev a = new Ev("a");
    assertThat(g.tryEnter(a)).isEqualTo(Admission.ENTERED); // still open
    g.finish(a);
    pending.set(false);
    assertThat(g.closeIfIdle(pending::get)).isTrue();
    pending.set(true);
    assertThat(g.closeIfIdle(pending::get)).as("closed stays closed").isTrue();
    assertThat(g.submit(new Ev("b"))).isFalse();
  }

  @Test
  void aGateCreatedWithAFirstEvent_isHeldByIt() {
    Ev ctor = new Ev("ctor");
    InputGate<Ev> g = new InputGate<>(ctor, new Owner(), 10, 1000);
    assertThat(g.tryEnter(new Ev("a"))).isEqualTo(Admission.BUSY);
    Ev b = new Ev("b");
    g.submit(b);
    assertThat(g.next(ctor)).isSameAs(b);
  }

  @Test
  void eventsThatWaitedLongerThanTheLimit_areRejectedInsteadOfRun() {
    InputGate<Ev> g = gate(10);
    Ev a = new Ev("a");
    Ev old = new Ev("old");
    Ev young = new Ev("young");
    g.submit(a);
    g.submit(old);
    now += 600;
    g.submit(young);
    now += 500; // old waited 1100 ms, young 500 ms
    assertThat(g.next(a)).isSameAs(young);
    assertThat(old.rejections)
        .singleElement()
        .hasToString("java.lang.IllegalStateException: waited 1100");
    assertThat(young.rejections).isEmpty();
    assertThat(g.queuedEvents()).isZero();
  }

  @Test
  void beforeGoingIdle_theHolderRunsTheOwnersIdleWork() {
    InputGate<Ev> g = gate(10);
    Ev a = new Ev("a");
    g.submit(a);
    Ev flush = new Ev("flush");
    idle = flush;
    assertThat(g.next(a)).isSameAs(flush); // the queue is empty: idle work first
    assertThat(g.busy()).isTrue();
    assertThat(g.next(flush)).isNull();
    assertThat(g.busy()).isFalse();
  }

  private static void awaitParked(Thread t) {
    Awaits.until(() -> t.getState() == Thread.State.WAITING, "thread " + t + " to park");
  }
}
