package dev.dobj.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.dobj.DurableObjectStub;
import dev.dobj.fetch.Request;
import dev.dobj.fetch.Response;
import dev.dobj.fetch.WebSocket;
import dev.dobj.fetch.WebSocketMessage;
import dev.dobj.runtime.WebSocketFixtures.Client;
import dev.dobj.runtime.WebSocketFixtures.RecordingConnection;
import dev.dobj.runtime.WebSocketFixtures.Room;
import dev.dobj.runtime.WebSocketFixtures.RoomObject;
import dev.dobj.runtime.WebSocketFixtures.RoomProbe;
import dev.dobj.runtime.testing.Awaits;
import dev.dobj.spi.websocket.EdgeWebSocket;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The hibernation WebSocket API through the public types: an edge socket handed to an object with
 * {@code stub.fetch}, accepted, and fed messages as the HTTP front would. The real front over real
 * sockets is tested in dobj-http.
 */
class WebSocketTest extends RuntimeTestBase {
  private RoomProbe room;

  @BeforeEach
  void bindRoom() {
    rebuild(b -> b.bind("ROOM", RoomObject.class));
    room = WebSocketFixtures.PROBES.computeIfAbsent(probeName, k -> new RoomProbe());
  }

  @AfterEach
  void forgetRoom() {
    WebSocketFixtures.PROBES.remove(probeName);
  }

  private DurableObjectStub<Room> stub(String name) {
    return runtime.env().namespace("ROOM", Room.class).getByName(name);
  }

  private Client connect(String name, String query) {
    EdgeWebSocket ws = new EdgeWebSocket("test client " + query);
    Response r =
        stub(name)
            .fetch(Request.builder("GET", "http://room/accept?" + query).webSocket(ws).build());
    assertThat(r.status()).isEqualTo(101);
    assertThat(r.webSocket()).containsSame(ws);
    RecordingConnection c = new RecordingConnection();
    ws.open(c);
    return new Client(ws, c);
  }

  private void hibernate() {
    awaitIdle("ROOM");
    clock.advance(Duration.ofSeconds(10));
    runtime.evictIdleObjects();
    assertThat(runtime.liveObjects("ROOM")).isZero();
  }

  @Test
  void acceptedSocket_getsMessagesAsEvents_andWhatTheObjectSentBeforeTheUpgradeGoesOutFirst() {
    Client c = connect("a", "greet=welcome");
    c.say("hello");
    assertThat(c.next()).isEqualTo("welcome");
    assertThat(c.next()).isEqualTo("echo:hello");
    assertThat(c.ws().readyState()).isEqualTo(WebSocket.ReadyState.OPEN);

    c.ws().received(new WebSocketMessage.Binary(new byte[] {1, 2, 3}));
    assertThat(c.next()).isEqualTo("binary [3, 2, 1]");
    assertThat(stub("a").call().sockets()).isEqualTo(1);
  }

  @Test
  void messagesOfOneSocket_arriveInOrder() {
    Client c = connect("a", "");
    for (int i = 0; i < 200; i++) {
      c.say("m" + i);
    }
    for (int i = 0; i < 200; i++) {
      assertThat(c.next()).isEqualTo("echo:m" + i);
    }
  }

  @Test
  void tags_selectSockets_andBroadcastReachesEveryone() {
    Client alice = connect("a", "tags=red,blue");
    Client bob = connect("a", "tags=blue");
    alice.say("tags");
    assertThat(alice.next()).isEqualTo("red,blue");
    bob.say("count:blue");
    assertThat(bob.next()).isEqualTo("2");
    bob.say("count:red");
    assertThat(bob.next()).isEqualTo("1");
    bob.say("broadcast:hi all");
    assertThat(alice.next()).isEqualTo("hi all");
    assertThat(bob.next()).isEqualTo("hi all");
  }

  @Test
  void tagLimits_areEnforcedWithClearMessages() {
    EdgeWebSocket ws = new EdgeWebSocket("too many tags");
    assertThatThrownBy(
            () ->
                stub("a")
                    .fetch(
                        Request.builder("GET", "http://room/accept?tags=1,2,3,4,5,6,7,8,9,10,11")
                            .webSocket(ws)
                            .build()))
        .hasMessageContaining("at most 10 tags")
        .hasMessageContaining("11");
    String longTag = "t".repeat(257);
    assertThatThrownBy(
            () ->
                stub("a")
                    .fetch(
                        Request.builder("GET", "http://room/accept?tags=" + longTag)
                            .webSocket(new EdgeWebSocket("long tag"))
                            .build()))
        .hasMessageContaining("257 characters")
        .hasMessageContaining("limit is 256");
    assertThat(ws.accepted()).isFalse();
  }

  @Test
  void idleObjectWithSockets_hibernatesAfterTenSeconds_andTheNextMessageConstructsItAgain() {
    Client c = connect("a", "name=alice");
    awaitIdle("ROOM");
    clock.advance(Duration.ofSeconds(9));
    runtime.evictIdleObjects();
    assertThat(runtime.liveObjects("ROOM")).isEqualTo(1);
    clock.advance(Duration.ofSeconds(1));
    runtime.evictIdleObjects();
    assertThat(runtime.liveObjects("ROOM")).isZero();
    assertThat(runtime.hibernatedObjects("ROOM")).isEqualTo(1);
    assertThat(runtime.openWebSockets("ROOM")).isEqualTo(1);
    assertThat(c.ws().readyState()).isEqualTo(WebSocket.ReadyState.OPEN);

    c.say("who");
    assertThat(c.next()).isEqualTo("alice"); // the attachment survived hibernation
    assertThat(room.constructed).hasValue(2);
    assertThat(runtime.hibernatedObjects("ROOM")).isZero();
    assertThat(stub("a").call().sockets()).isEqualTo(1); // getWebSockets survived it too
  }

  @Test
  void objectWithoutSockets_staysForTheFullIdleTimeout() {
    assertThat(stub("a").call().sockets()).isZero();
    awaitIdle("ROOM");
    clock.advance(Duration.ofSeconds(30));
    runtime.evictIdleObjects();
    assertThat(runtime.liveObjects("ROOM")).isEqualTo(1);
  }

  @Test
  void autoResponse_answersWithoutWakingTheObject() {
    stub("a").fetch(Request.get("http://room/auto"));
    Client c = connect("a", "");
    hibernate();
    c.say("ping");
    assertThat(c.next()).isEqualTo("pong");
    assertThat(runtime.liveObjects("ROOM")).isZero();
    assertThat(room.constructed).hasValue(1);
    assertThat(room.events).isEmpty();

    c.say("not ping");
    assertThat(c.next()).isEqualTo("echo:not ping");
    assertThat(room.constructed).hasValue(2);
  }

  @Test
  void autoResponseTimestamp_isWhenTheRuntimeLastAnsweredThatSocket_acrossHibernation() {
    stub("a").fetch(Request.get("http://room/auto"));
    Client first = connect("a", "");
    Client second = connect("a", "");
    first.say("auto-at");
    assertThat(first.next()).isEqualTo("never");

    hibernate();
    long pinged = clock.millis();
    first.say("ping");
    assertThat(first.next()).isEqualTo("pong");
    clock.advance(Duration.ofSeconds(5));
    first.say("ping");
    assertThat(first.next()).isEqualTo("pong");
    assertThat(runtime.liveObjects("ROOM")).as("the pings woke nothing").isZero();

    // Woken again: the times survived hibernation, per socket.
    first.say("auto-at");
    assertThat(first.next()).isEqualTo("at " + (pinged + 5_000));
    second.say("auto-at");
    assertThat(second.next()).isEqualTo("never");
    assertThat(stub("a").call().autoResponded()).containsExactlyInAnyOrder(pinged + 5_000, -1L);
  }

  @Test
  void autoResponseTimestamp_ofASocketNoLongerOpen_isRefused() {
    Client gone = connect("a", "");
    Client asking = connect("a", "");
    gone.ws().closed(1000, "done", true);
    Awaits.until(() -> room.events.contains("close 1000 done true"), "the close event");
    asking.say("auto-at-closed");
    assertThat(asking.next())
        .startsWith("refused: WebSocket ")
        .contains("is not an open WebSocket accepted by");
  }

  @Test
  void closeByThePeer_isAnEvent_andRemovesTheSocket() {
    Client c = connect("a", "");
    hibernate();
    c.ws().closed(4001, "gone", true);
    Awaits.until(() -> room.events.contains("close 4001 gone true"), "the close event");
    assertThat(c.ws().readyState()).isEqualTo(WebSocket.ReadyState.CLOSED);
    assertThat(stub("a").call().sockets()).isZero();
    assertThat(runtime.openWebSockets("ROOM")).isZero();
  }

  @Test
  void abnormalClose_isReportedAsNotClean() {
    Client c = connect("a", "");
    c.ws().closed(1006, "", false);
    Awaits.until(() -> room.events.contains("close 1006  false"), "the close event");
  }

  @Test
  void errorOnTheConnection_isAnEvent() {
    Client c = connect("a", "");
    c.ws().failed(new java.io.IOException("connection reset"));
    Awaits.until(() -> room.events.contains("error connection reset"), "the error event");
    assertThat(stub("a").call().sockets()).isZero();
  }

  @Test
  void closeByTheObject_sendsTheCloseFrame_andNeedsNoEventForItself() {
    Client c = connect("a", "");
    c.say("close");
    assertThat(c.next()).isEqualTo("close 4000 bye");
    assertThat(c.ws().readyState()).isEqualTo(WebSocket.ReadyState.CLOSING);
    c.ws().closed(4000, "bye", true); // the peer's answer completes the handshake
    awaitIdle("ROOM");
    assertThat(room.events).doesNotContain("close 4000 bye true");
    assertThat(stub("a").call().sockets()).isZero();
  }

  @Test
  void closeArguments_areValidated() {
    Client c = connect("a", "");
    assertThatThrownBy(() -> c.ws().close(1001, "x"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("1001");
    assertThatThrownBy(() -> c.ws().close(1000, "é".repeat(62)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("124 bytes")
        .hasMessageContaining("123");
  }

  @Test
  void exceptionInAHandler_doesNotResetTheObject() {
    Client c = connect("a", "");
    c.say("throw");
    c.say("after");
    assertThat(c.next()).isEqualTo("echo:after");
    assertThat(room.constructed).hasValue(1);
  }

  @Test
  void reset_closesTheSockets() {
    Client a = connect("a", "");
    Client b = connect("a", "");
    a.say("abort");
    assertThat(a.next()).isEqualTo("close 1011 Durable Object reset");
    assertThat(b.next()).isEqualTo("close 1011 Durable Object reset");
    assertThat(runtime.openWebSockets("ROOM")).isZero();
    b.say("late"); // a message after the reset is dropped, not delivered to a new instance
    assertThat(stub("a").call().sockets()).isZero();
    assertThat(room.events).doesNotContain("message late");
  }

  @Test
  void closingTheRuntime_closesTheSocketsAsGoingAway() {
    Client c = connect("a", "");
    hibernate();
    runtime.close();
    assertThat(c.next()).isEqualTo("close 1001 The Durable Object runtime is shutting down");
  }

  @Test
  void attachment_isLimitedTo16KiB() {
    Client c = connect("a", "");
    assertThatThrownBy(() -> c.ws().serializeAttachment("x".repeat(20_000)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("16384");
    assertThat(c.ws().deserializeAttachment(String.class)).isEmpty();
    c.ws().serializeAttachment("small");
    assertThat(c.ws().deserializeAttachment(String.class)).contains("small");
  }

  @Test
  void misuse_getsClearErrors() {
    EdgeWebSocket fresh = new EdgeWebSocket("never accepted");
    assertThatThrownBy(() -> fresh.send("x"))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("acceptWebSocket");
    assertThat(fresh.readyState()).isEqualTo(WebSocket.ReadyState.CONNECTING);

    Client c = connect("a", "");
    assertThatThrownBy(() -> c.ws().accept(new NoOwner()))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("already accepted");
  }

  @Test
  void requestWithoutUpgrade_doesNotAcceptAnything() {
    EdgeWebSocket ws = new EdgeWebSocket("refused");
    Response r =
        stub("a").fetch(Request.builder("GET", "http://room/refuse").webSocket(ws).build());
    assertThat(r.status()).isEqualTo(426);
    assertThat(ws.accepted()).isFalse();
  }

  /** An owner that should never be reached. */
  private static final class NoOwner implements EdgeWebSocket.Owner {
    @Override
    public void send(EdgeWebSocket ws, WebSocketMessage message) {}

    @Override
    public void close(EdgeWebSocket ws, int code, String reason) {}

    @Override
    public void received(EdgeWebSocket ws, WebSocketMessage message) {}

    @Override
    public void closed(
        EdgeWebSocket ws, int code, String reason, boolean wasClean, boolean byPeer) {}

    @Override
    public void failed(EdgeWebSocket ws, Throwable error) {}

    @Override
    public byte[] encodeAttachment(Object value) {
      return new byte[0];
    }

    @Override
    public <T> T decodeAttachment(byte[] bytes, Class<T> type) {
      return null;
    }
  }
}
