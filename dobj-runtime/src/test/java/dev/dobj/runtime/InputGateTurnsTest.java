package dev.dobj.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.dobj.DurableObjectException;
import dev.dobj.DurableObjectStub;
import dev.dobj.runtime.Fixtures.Counter;
import dev.dobj.runtime.Fixtures.Peer;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.Test;

/** The input gate as seen through stubs: turns, outgoing calls, critical sections. */
class InputGateTurnsTest extends RuntimeTestBase {

  private dev.dobj.DurableObjectNamespace<Peer> peers() {
    return runtime.env().namespace("PEER", Peer.class);
  }

  @Test
  void aCallsBWhichCallsBackA_completesWithoutDeadlock() {
    DurableObjectStub<Peer> a = peers().getByName("a");
    DurableObjectStub<Peer> b = peers().getByName("b");
    assertThat(a.call().ping(b, a, 3)).isEqualTo("ping(bounce(bounce(bounce(bottom))))");
  }

  @Test
  void whileATurnWaitsOnAnOutgoingCall_otherEventsOfTheObjectRun() {
    DurableObjectStub<Peer> a = peers().getByName("a");
    DurableObjectStub<Peer> b = peers().getByName("b");
    probe.gate = new CountDownLatch(1);
    probe.entered = new CountDownLatch(1);
    CompletableFuture<String> waiting = a.callAsync(p -> p.callSlow(b));
    Fixtures.await(probe.entered, "b.slowHello() to start");

    // a is waiting on b: its gate is open, so another event of a runs to completion now.
    peers().getByName("a").call().note("in-between");
    probe.gate.countDown();
    assertThat(waiting.join()).isEqualTo("slow hello");
    assertThat(probe.log).containsExactly("call-start", "in-between", "call-end");
  }

  @Test
  void blockConcurrencyWhile_keepsTheGateClosedAcrossOutgoingCalls() {
    DurableObjectStub<Peer> a = peers().getByName("a");
    DurableObjectStub<Peer> b = peers().getByName("b");
    probe.gate = new CountDownLatch(1);
    probe.entered = new CountDownLatch(1);
    CompletableFuture<String> critical = a.callAsync(p -> p.criticalCall(b));
    Fixtures.await(probe.entered, "b.slowHello() to start");

    CompletableFuture<Void> blocked = peers().getByName("a").runAsync(p -> p.note("in-between"));
    // The note cannot run while a's critical section waits on b.
    assertThat(blocked).isNotDone();
    probe.gate.countDown();
    assertThat(critical.join()).isEqualTo("slow hello");
    blocked.join();
    assertThat(probe.log).containsExactly("critical-start", "critical-end", "in-between");
  }

  @Test
  void blockConcurrencyWhile_returnsItsValue_andNestsUpTo64() {
    Counter c = counters().getByName("a").call();
    assertThat(c.nested(64)).isEqualTo(64);
    assertThatThrownBy(() -> c.nested(65))
        .isInstanceOf(DurableObjectException.class)
        .hasMessageContaining("nested more than 64 deep");
  }

  @Test
  void constructorRunsAsACriticalSection_eventsWaitForIt() {
    probe.blockConstructor = true;
    probe.gate = new CountDownLatch(1);
    probe.entered = new CountDownLatch(1);
    DurableObjectStub<Counter> stub = counters().getByName("a");
    CompletableFuture<Void> first = stub.runAsync(c -> c.record("first"));
    Fixtures.await(probe.entered, "the constructor to start");
    CompletableFuture<Void> second = counters().getByName("a").runAsync(c -> c.record("second"));
    assertThat(first).isNotDone();
    assertThat(second).isNotDone();
    probe.gate.countDown();
    first.join();
    second.join();
    assertThat(probe.log).containsExactly("construct", "first", "second");
  }

  @Test
  void waitingEventsAreReleasedFirstInFirstOut() {
    DurableObjectStub<Counter> holder = counters().getByName("fifo");
    probe.gate = new CountDownLatch(1);
    probe.entered = new CountDownLatch(1);
    CompletableFuture<Long> slow = holder.callAsync(Counter::slow);
    Fixtures.await(probe.entered, "slow() to start");
    CompletableFuture<?>[] calls = new CompletableFuture<?>[20];
    for (int i = 0; i < calls.length; i++) {
      int n = i;
      // a new stub each time: no E-order between them, only the gate's FIFO
      calls[i] = counters().getByName("fifo").runAsync(c -> c.record("e" + n));
    }
    probe.gate.countDown();
    slow.join();
    CompletableFuture.allOf(calls).join();
    assertThat(probe.log.subList(3, probe.log.size()))
        .containsExactly(
            "e0", "e1", "e2", "e3", "e4", "e5", "e6", "e7", "e8", "e9", "e10", "e11", "e12", "e13",
            "e14", "e15", "e16", "e17", "e18", "e19");
  }

  @Test
  void ctxMethods_refuseCallsFromOutsideTheObjectsTurns() {
    assertThat(counters().getByName("a").call().ctxFromOtherThread())
        .startsWith("DurableObjectState.blockConcurrencyWhile() was called outside a turn of")
        .contains(counters().idFromName("a").toString());
  }

  @Test
  void overload_failsTheRejectedCallAtOnce_andTheStubStaysUsable() {
    rebuild(b -> b.maxQueuedEvents(2));
    DurableObjectStub<Counter> stub = counters().getByName("busy");
    probe.gate = new CountDownLatch(1);
    probe.entered = new CountDownLatch(1);
    CompletableFuture<Long> running = stub.callAsync(Counter::slow);
    Fixtures.await(probe.entered, "slow() to start");
    CompletableFuture<Long> q1 = stub.callAsync(Counter::increment);
    CompletableFuture<Long> q2 = stub.callAsync(Counter::increment);
    CompletableFuture<Long> rejected = stub.callAsync(Counter::increment);
    assertThat(rejected)
        .failsWithin(Duration.ofSeconds(1))
        .withThrowableThat()
        .havingCause()
        .isInstanceOfSatisfying(
            DurableObjectException.class,
            e -> {
              assertThat(e.overloaded()).isTrue();
              assertThat(e.reset()).isFalse();
              assertThat(e.getMessage())
                  .startsWith("Durable Object is overloaded. Too many requests queued.")
                  .contains(stub.id().toString());
            });
    assertThatThrownBy(() -> stub.call().increment())
        .isInstanceOfSatisfying(
            DurableObjectException.class, e -> assertThat(e.overloaded()).isTrue());
    probe.gate.countDown();
    assertThat(running.join()).isEqualTo(1);
    assertThat(q1.join()).isEqualTo(2);
    assertThat(q2.join()).isEqualTo(3);
    assertThat(stub.call().increment()).isEqualTo(4);
  }

  @Test
  void anEventQueuedLongerThanTheMaximumWait_failsAsOverloaded_insteadOfRunning() {
    rebuild(b -> b.maxQueueWait(Duration.ofSeconds(10)));
    DurableObjectStub<Counter> stub = counters().getByName("slow");
    probe.gate = new CountDownLatch(1);
    probe.entered = new CountDownLatch(1);
    CompletableFuture<Long> running = stub.callAsync(Counter::slow);
    Fixtures.await(probe.entered, "slow() to start");
    CompletableFuture<Long> stale = stub.callAsync(Counter::increment);
    clock.advance(Duration.ofSeconds(11));
    CompletableFuture<Long> fresh = stub.callAsync(Counter::increment);
    probe.gate.countDown();
    assertThat(running.join()).isEqualTo(1);
    assertThat(stale)
        .failsWithin(Duration.ofSeconds(5))
        .withThrowableThat()
        .havingCause()
        .isInstanceOfSatisfying(
            DurableObjectException.class,
            e -> {
              assertThat(e.overloaded()).isTrue();
              assertThat(e.getMessage())
                  .startsWith("Durable Object is overloaded. Requests queued for too long.");
            });
    assertThat(fresh.join()).isEqualTo(2);
  }
}
