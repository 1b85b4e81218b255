package dev.dobj.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.dobj.DurableObjectException;
import dev.dobj.DurableObjectId;
import dev.dobj.DurableObjectStub;
import dev.dobj.fetch.Request;
import dev.dobj.fetch.Response;
import dev.dobj.runtime.Fixtures.Counter;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

class StubCallTest extends RuntimeTestBase {

  @Test
  void get_createsNothingUntilTheFirstCall() {
    DurableObjectStub<Counter> stub = counters().getByName("a");
    assertThat(stub.id()).isEqualTo(counters().idFromName("a"));
    assertThat(stub.name()).contains("a");
    assertThat(runtime.liveObjects("COUNTER")).isZero();
    assertThat(probe.constructed).hasValue(0);

    assertThat(stub.call().increment()).isEqualTo(1);
    assertThat(runtime.liveObjects("COUNTER")).isEqualTo(1);
    assertThat(probe.constructed).hasValue(1);
  }

  @Test
  void blockingCalls_reachOneInstancePerId_acrossStubs() {
    counters().getByName("a").call().increment();
    counters().getByName("a").call().increment();
    counters().get(counters().idFromName("a")).call().increment();
    assertThat(counters().getByName("a").call().get()).isEqualTo(3);
    assertThat(counters().getByName("b").call().get()).isZero();
    assertThat(probe.constructed).hasValue(2);
  }

  @Test
  void asyncCalls_returnFuturesThatCompleteWithTheResult() {
    DurableObjectStub<Counter> stub = counters().getByName("a");
    CompletableFuture<Long> first = stub.callAsync(c -> c.add(5));
    CompletableFuture<Long> second = stub.callAsync(c -> c.add(2));
    CompletableFuture<Void> third = stub.runAsync(c -> c.record("x"));
    assertThat(first.join()).isEqualTo(5);
    assertThat(second.join()).isEqualTo(7);
    assertThat(third.join()).isNull();
  }

  @Test
  void eOrder_holdsForThousandsOfUnawaitedCallsOnOneStub() {
    DurableObjectStub<Counter> stub = counters().getByName("ordered");
    List<CompletableFuture<Void>> calls = new ArrayList<>();
    for (int i = 0; i < 5_000; i++) {
      int n = i;
      calls.add(stub.runAsync(c -> c.record("call-" + n)));
      if (i % 1000 == 999) {
        // a blocking call in between must not overtake the queued ones
        stub.call().record("blocking-" + n);
      }
    }
    CompletableFuture.allOf(calls.toArray(CompletableFuture[]::new)).join();
    List<String> expected = new ArrayList<>();
    expected.add("construct");
    for (int i = 0; i < 5_000; i++) {
      expected.add("call-" + i);
      if (i % 1000 == 999) {
        expected.add("blocking-" + i);
      }
    }
    assertThat(probe.log).containsExactlyElementsOf(expected);
    assertThat(probe.maxRunning).hasValue(1);
  }

  @Test
  void applicationException_failsOnlyThatCall_asRemoteWithTypeAndMessage() {
    Counter counter = counters().getByName("a").call();
    counter.increment();
    assertThatThrownBy(() -> counter.fail("bad input 42"))
        .isInstanceOfSatisfying(
            DurableObjectException.class,
            e -> {
              assertThat(e.remote()).isTrue();
              assertThat(e.reset()).isFalse();
              assertThat(e.overloaded()).isFalse();
              assertThat(e.retryable()).isFalse();
              assertThat(e.remoteType()).contains(IllegalArgumentException.class.getName());
              assertThat(e.getMessage()).isEqualTo("bad input 42");
            });
    assertThat(counter.increment()).isEqualTo(2);
    assertThat(probe.constructed).hasValue(1);
  }

  @Test
  void applicationException_ofAnAsyncCall_failsItsFutureOnly() {
    DurableObjectStub<Counter> stub = counters().getByName("a");
    CompletableFuture<Void> failing = stub.runAsync(c -> c.fail("async boom"));
    CompletableFuture<Long> after = stub.callAsync(Counter::increment);
    assertThatThrownBy(failing::join)
        .hasCauseInstanceOf(DurableObjectException.class)
        .hasMessageContaining("async boom");
    assertThat(after.join()).isEqualTo(1);
  }

  @Test
  void unknownMethod_isAClearErrorAndTheStubStaysUsable() {
    var stub = runtime.env().namespace("COUNTER", Unrelated.class).getByName("a");
    assertThatThrownBy(() -> stub.call().unrelated(1))
        .isInstanceOfSatisfying(
            DurableObjectException.class,
            e -> {
              assertThat(e.getMessage())
                  .startsWith("The RPC receiver does not implement the method \"unrelated\".");
              assertThat(e.reset()).isFalse();
            });
    assertThat(stub.call().increment()).isEqualTo(1);
  }

  @Test
  void handlerMethods_areNotCallableOverRpc() {
    var stub = runtime.env().namespace("COUNTER", WithHandlers.class).getByName("a");
    assertThatThrownBy(() -> stub.call().fetch(Request.get("http://x/")))
        .hasMessageStartingWith("The RPC receiver does not implement the method \"fetch\".");
  }

  @Test
  void asyncInvocation_mustMakeExactlyOneCall() {
    DurableObjectStub<Counter> stub = counters().getByName("a");
    assertThatThrownBy(() -> stub.callAsync(c -> 1))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("exactly one call")
        .hasMessageContaining("it made 0");
    assertThatThrownBy(() -> stub.callAsync(c -> c.increment() + c.increment()))
        .hasMessageContaining("it made 2");
    assertThat(probe.constructed).hasValue(0);
  }

  @Test
  void fetch_reachesTheObjectsFetchHandler() {
    DurableObjectStub<Counter> stub = counters().getByName("web");
    Response r = stub.fetch(Request.builder("POST", "http://do/path/x").body("payload").build());
    assertThat(r.status()).isEqualTo(200);
    assertThat(r.text()).isEqualTo("POST /path/x payload");
    assertThat(r.headers().get("x-object")).contains(stub.id().toString());
    assertThat(stub.fetchAsync(Request.get("http://do/y")).join().text()).isEqualTo("GET /y ");
  }

  @Test
  void fetch_withoutAHandler_answers501() {
    var stub = runtime.env().namespace("PLAIN", Counter.class).getByName("a");
    Response r = stub.fetch(Request.get("http://do/"));
    assertThat(r.status()).isEqualTo(501);
  }

  @Test
  void objectSeesTheNameItWasReachedBy() {
    assertThat(counters().getByName("alice").call().objectName()).isEqualTo("alice");
    DurableObjectId unique = counters().newUniqueId();
    assertThat(counters().get(unique).call().objectName()).isEqualTo("<none>");
  }

  @Test
  void stubObjectMethods_answerLocally() {
    Counter view = counters().getByName("a").call();
    assertThat(view.toString()).contains("COUNTER").contains(counters().idFromName("a").toString());
    assertThat(view).isEqualTo(view);
    assertThat(probe.constructed).hasValue(0);
  }

  @Test
  void callingFromManyThreads_runsOneTurnAtATime() throws Exception {
    DurableObjectStub<Counter> stub = counters().getByName("busy");
    List<Thread> threads = new ArrayList<>();
    for (int t = 0; t < 8; t++) {
      threads.add(
          Thread.ofVirtual()
              .start(
                  () -> {
                    for (int i = 0; i < 500; i++) {
                      stub.call().increment();
                    }
                  }));
    }
    for (Thread t : threads) {
      t.join();
    }
    assertThat(stub.call().get()).isEqualTo(4_000);
    assertThat(probe.maxRunning).hasValue(1);
  }

  /** An interface the counter class does not implement. */
  interface Unrelated {
    long unrelated(int x);

    long increment();
  }

  /** Declares the object's handlers as if they were RPC methods. */
  interface WithHandlers {
    Response fetch(Request request);
  }
}
