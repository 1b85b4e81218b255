package dev.dobj.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.dobj.DurableObjectException;
import dev.dobj.DurableObjectId;
import dev.dobj.DurableObjectNamespace;
import dev.dobj.DurableObjectStub;
import dev.dobj.fetch.Request;
import dev.dobj.fetch.Response;
import dev.dobj.runtime.Fixtures.Counter;
import dev.dobj.runtime.Fixtures.Point;
import dev.dobj.runtime.Fixtures.Probe;
import dev.dobj.runtime.time.ManualClock;
import dev.dobj.spi.ObjectAddress;
import dev.dobj.spi.placement.Location;
import dev.dobj.spi.placement.Placement;
import dev.dobj.spi.transport.CallStream;
import dev.dobj.spi.transport.Envelope;
import dev.dobj.spi.transport.Reply;
import dev.dobj.spi.transport.Transport;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Two runtimes in one JVM acting as two nodes over the in-process transport: objects whose name
 * starts with "b-" live on node B; everything else on node A. Calls from A to B's objects travel as
 * encoded bytes through the placement and transport SPIs.
 */
class InProcessClusterTest {
  private static final URI A = URI.create("inproc://node-a");
  private static final URI B = URI.create("inproc://node-b");

  private final ManualClock clock = new ManualClock();
  private final String probeName = UUID.randomUUID().toString();
  private final InProcessNetwork network = new InProcessNetwork();
  private DurableObjectRuntime nodeA;
  private DurableObjectRuntime nodeB;
  private Probe probe;

  private static Placement byName(URI self) {
    return address -> {
      boolean onB = address.id().name().map(n -> n.startsWith("b-")).orElse(false);
      URI home = onB ? B : A;
      return home.equals(self) ? Location.LOCAL : new Location.Remote(home.getHost(), home);
    };
  }

  private DurableObjectRuntime node(URI self, Transport transport) {
    return DurableObjectRuntime.builder()
        .clock(clock)
        .var("probe", probeName)
        .bind("COUNTER", Fixtures.CounterObject.class, "counter-key")
        .placement(byName(self))
        .transport(transport)
        .build();
  }

  @BeforeEach
  void start() {
    probe = Fixtures.PROBES.computeIfAbsent(probeName, k -> new Probe());
    nodeA = node(A, network.node(A));
    nodeB = node(B, network.node(B));
  }

  @AfterEach
  void stop() {
    nodeA.close();
    nodeB.close();
    Fixtures.PROBES.remove(probeName);
  }

  private DurableObjectNamespace<Counter> countersOnA() {
    return nodeA.env().namespace("COUNTER", Counter.class);
  }

  @Test
  void aCallToAnObjectPlacedOnAnotherNode_runsThere_andReturnsTheResult() {
    Counter remote = countersOnA().getByName("b-1").call();
    assertThat(remote.increment()).isEqualTo(1);
    assertThat(remote.move(new Point(1, 1), 2)).isEqualTo(new Point(3, 1));
    assertThat(remote.objectName()).isEqualTo("b-1");
    assertThat(nodeB.liveObjects("COUNTER")).isEqualTo(1);
    assertThat(nodeA.liveObjects("COUNTER")).isZero();
    // both nodes reach the same single instance
    assertThat(nodeB.env().namespace("COUNTER", Counter.class).getByName("b-1").call().get())
        .isEqualTo(1);
  }

  @Test
  void eOrder_holdsAcrossTheTransport() {
    DurableObjectStub<Counter> stub = countersOnA().getByName("b-ordered");
    List<CompletableFuture<Void>> calls = new ArrayList<>();
    for (int i = 0; i < 2_000; i++) {
      int n = i;
      calls.add(stub.runAsync(c -> c.record("call-" + n)));
    }
    CompletableFuture.allOf(calls.toArray(CompletableFuture[]::new)).join();
    List<String> expected = new ArrayList<>(List.of("construct"));
    for (int i = 0; i < 2_000; i++) {
      expected.add("call-" + i);
    }
    assertThat(probe.log).containsExactlyElementsOf(expected);
  }

  @Test
  void applicationErrors_crossAsRemoteErrors_andTheStubStaysUsable() {
    Counter remote = countersOnA().getByName("b-err").call();
    assertThatThrownBy(() -> remote.fail("over the wire"))
        .isInstanceOfSatisfying(
            DurableObjectException.class,
            e -> {
              assertThat(e.remote()).isTrue();
              assertThat(e.reset()).isFalse();
              assertThat(e.remoteType()).contains(IllegalArgumentException.class.getName());
              assertThat(e.getMessage()).isEqualTo("over the wire");
            });
    assertThat(remote.increment()).isEqualTo(1);
  }

  @Test
  void aResetOnTheHostingNode_breaksTheRemoteStub_andANewStubReachesAFreshInstance() {
    DurableObjectStub<Counter> stub = countersOnA().getByName("b-reset");
    stub.call().increment();
    assertThatThrownBy(() -> stub.call().abort("remote abort"))
        .isInstanceOfSatisfying(DurableObjectException.class, e -> assertThat(e.reset()).isTrue());
    assertThatThrownBy(() -> stub.call().increment())
        .isInstanceOfSatisfying(DurableObjectException.class, e -> assertThat(e.reset()).isTrue())
        .hasMessageContaining("remote abort");
    assertThat(countersOnA().get(stub.id()).call().increment()).isEqualTo(1);
  }

  @Test
  void fetch_crossesTheTransportWithFetchSemantics() {
    DurableObjectStub<Counter> stub = countersOnA().getByName("b-web");
    Response r = stub.fetch(Request.builder("PUT", "http://do/x?y=1").body("data").build());
    assertThat(r.status()).isEqualTo(200);
    assertThat(r.text()).isEqualTo("PUT /x data");
    assertThat(r.headers().get("x-object")).contains(stub.id().toString());
  }

  @Test
  void aNamedObjectReachedByItsIdString_isPlacedByItsNameOnce_andStaysThere() {
    DurableObjectId id = countersOnA().idFromName("b-id");
    assertThat(countersOnA().get(id).call().increment()).isEqualTo(1);
    assertThat(nodeB.liveObjects("COUNTER")).isEqualTo(1);
  }

  @Test
  void losingTheConnection_failsTheStubWithARetryableError() {
    DurableObjectStub<Counter> stub = countersOnA().getByName("b-lost");
    stub.call().increment();
    nodeB.close();
    assertThatThrownBy(() -> stub.call().increment())
        .isInstanceOfSatisfying(
            DurableObjectException.class,
            e -> {
              assertThat(e.retryable()).isTrue();
              assertThat(e.reset()).isFalse();
              assertThat(e.getMessage()).startsWith("Network connection lost.");
            });
  }

  @Test
  void undecodableOrUnknownCalls_areRefusedByTheReceivingNode() throws Exception {
    Transport raw = network.node(URI.create("inproc://raw-client"));
    DurableObjectId id = countersOnA().idFromName("b-raw");
    CallStream stream =
        raw.open(new ObjectAddress("counter-key", id), new Location.Remote("node-b", B));
    Reply garbage =
        stream.send(new Envelope("add(long)", "{not json".getBytes(StandardCharsets.UTF_8))).get();
    assertThat(garbage)
        .isInstanceOfSatisfying(
            Reply.Failure.class,
            f -> {
              assertThat(f.kind()).isEqualTo(Reply.Kind.INVALID);
              assertThat(f.message()).contains("add");
            });
    Reply unknown =
        stream.send(new Envelope("nope(int)", "[1]".getBytes(StandardCharsets.UTF_8))).get();
    assertThat(unknown)
        .isInstanceOfSatisfying(
            Reply.Failure.class,
            f ->
                assertThat(f.message())
                    .isEqualTo("The RPC receiver does not implement the method \"nope\"."));
    Reply ok = stream.send(new Envelope("add(long)", "[5]".getBytes(StandardCharsets.UTF_8))).get();
    assertThat(ok).isInstanceOf(Reply.Value.class);
    assertThat(new String(((Reply.Value) ok).payload(), StandardCharsets.UTF_8)).isEqualTo("5");
    raw.close();
  }

  @Test
  void localObjects_stayLocal() {
    assertThat(countersOnA().getByName("a-1").call().increment()).isEqualTo(1);
    assertThat(nodeA.liveObjects("COUNTER")).isEqualTo(1);
    assertThat(nodeB.liveObjects("COUNTER")).isZero();
    clock.advance(Duration.ofSeconds(1));
  }
}
