package dev.dobj.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.dobj.DurableObjectException;
import dev.dobj.DurableObjectStub;
import dev.dobj.runtime.Fixtures.Counter;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;

class ResetTest extends RuntimeTestBase {

  private static Consumer<DurableObjectException> resetNaming(DurableObjectStub<?> stub) {
    return e -> {
      assertThat(e.reset()).isTrue();
      assertThat(e.remote()).isTrue();
      assertThat(e.overloaded()).isFalse();
      assertThat(e.getMessage()).contains(stub.id().toString()).contains("COUNTER");
    };
  }

  @Test
  void abort_failsTheCallAndEveryLaterCallOfBoundStubs_andANewStubReachesAFreshInstance() {
    DurableObjectStub<Counter> stub = counters().getByName("a");
    DurableObjectStub<Counter> other = counters().getByName("a");
    stub.call().increment();
    other.call().increment();

    assertThatThrownBy(() -> stub.call().abort("for the test"))
        .isInstanceOfSatisfying(DurableObjectException.class, resetNaming(stub))
        .hasMessageContaining("aborted: for the test");
    assertThatThrownBy(() -> stub.call().increment())
        .isInstanceOfSatisfying(DurableObjectException.class, resetNaming(stub));
    assertThatThrownBy(() -> other.call().increment())
        .isInstanceOfSatisfying(DurableObjectException.class, resetNaming(stub));
    assertThat(stub.callAsync(Counter::increment))
        .failsWithin(Duration.ofSeconds(5))
        .withThrowableThat()
        .havingCause()
        .isInstanceOfSatisfying(DurableObjectException.class, resetNaming(stub));

    DurableObjectStub<Counter> fresh = counters().get(stub.id());
    assertThat(fresh.call().increment()).isEqualTo(1);
    assertThat(probe.constructed).hasValue(2);
  }

  @Test
  void reset_failsAnInFlightCallAtOnce_evenWhileItWaitsOnAnotherObject() {
    var peers = runtime.env().namespace("PEER", Fixtures.Peer.class);
    DurableObjectStub<Fixtures.Peer> a = peers.getByName("a");
    DurableObjectStub<Fixtures.Peer> b = peers.getByName("b");
    probe.gate = new CountDownLatch(1);
    probe.entered = new CountDownLatch(1);
    CompletableFuture<String> waiting = a.callAsync(p -> p.callSlow(b));
    Fixtures.await(probe.entered, "b.slowHello() to start");

    // a's gate is open while it waits on b, so the abort runs now and fails the waiting call.
    assertThatThrownBy(() -> peers.getByName("a").call().abortNow("enough"))
        .isInstanceOf(DurableObjectException.class);
    assertThat(waiting)
        .failsWithin(Duration.ofSeconds(5))
        .withThrowableThat()
        .havingCause()
        .isInstanceOfSatisfying(DurableObjectException.class, e -> assertThat(e.reset()).isTrue())
        .withMessageContaining("aborted: enough");
    probe.gate.countDown();
    assertThat(peers.getByName("a").call().hello()).isEqualTo("hello from a");
  }

  @Test
  void criticalSectionTimeout_resetsTheObject_failingTheRunningAndQueuedCalls() {
    DurableObjectStub<Counter> stub = counters().getByName("a");
    probe.gate = new CountDownLatch(1);
    probe.entered = new CountDownLatch(1);
    CompletableFuture<String> slow = stub.callAsync(Counter::criticalSlow);
    Fixtures.await(probe.entered, "the critical section to start");
    CompletableFuture<Long> queued = stub.callAsync(Counter::increment);

    clock.advance(Duration.ofSeconds(29));
    assertThat(slow).isNotDone();
    assertThat(queued).isNotDone();

    clock.advance(Duration.ofSeconds(1));
    assertThat(slow)
        .failsWithin(Duration.ofSeconds(5))
        .withThrowableThat()
        .havingCause()
        .isInstanceOfSatisfying(DurableObjectException.class, resetNaming(stub))
        .withMessageContaining("ran longer than 30 s");
    assertThat(queued)
        .failsWithin(Duration.ofSeconds(5))
        .withThrowableThat()
        .havingCause()
        .isInstanceOfSatisfying(DurableObjectException.class, resetNaming(stub));
    probe.gate.countDown();
    assertThat(counters().get(stub.id()).call().increment()).isEqualTo(1);
  }

  @Test
  void exceptionEscapingACriticalSection_resetsTheObject() {
    DurableObjectStub<Counter> stub = counters().getByName("a");
    stub.call().increment();
    assertThatThrownBy(() -> stub.call().criticalFail())
        .isInstanceOfSatisfying(DurableObjectException.class, resetNaming(stub))
        .hasMessageContaining("critical section failed");
    assertThatThrownBy(() -> stub.call().get())
        .isInstanceOfSatisfying(DurableObjectException.class, e -> assertThat(e.reset()).isTrue());
    assertThat(counters().get(stub.id()).call().get()).isZero();
  }

  @Test
  void constructorThatThrows_resetsAndFailsTheCallsWaitingForIt_thenANewStubRetries() {
    probe.failConstructor = true;
    DurableObjectStub<Counter> stub = counters().getByName("a");
    assertThatThrownBy(() -> stub.call().increment())
        .isInstanceOfSatisfying(DurableObjectException.class, resetNaming(stub))
        .hasMessageContaining("constructor threw")
        .hasMessageContaining("constructor failed on purpose");
    assertThatThrownBy(() -> stub.call().increment())
        .isInstanceOfSatisfying(DurableObjectException.class, e -> assertThat(e.reset()).isTrue());

    probe.failConstructor = false;
    assertThat(counters().get(stub.id()).call().increment()).isEqualTo(1);
    assertThat(probe.constructed).hasValue(2);
  }

  @Test
  void constructorOverTheTimeout_resets() {
    probe.blockConstructor = true;
    probe.gate = new CountDownLatch(1);
    probe.entered = new CountDownLatch(1);
    DurableObjectStub<Counter> stub = counters().getByName("a");
    CompletableFuture<Long> call = stub.callAsync(Counter::increment);
    Fixtures.await(probe.entered, "the constructor to start");
    clock.advance(Duration.ofSeconds(30));
    assertThat(call)
        .failsWithin(Duration.ofSeconds(5))
        .withThrowableThat()
        .havingCause()
        .isInstanceOfSatisfying(DurableObjectException.class, resetNaming(stub));
    probe.blockConstructor = false;
    probe.gate.countDown();
  }

  @Test
  void closingTheRuntime_failsCallsWithAReset() {
    DurableObjectStub<Counter> stub = counters().getByName("a");
    stub.call().increment();
    runtime.close();
    assertThatThrownBy(() -> stub.call().increment())
        .isInstanceOfSatisfying(DurableObjectException.class, e -> assertThat(e.reset()).isTrue())
        .hasMessageContaining("closed");
  }
}
