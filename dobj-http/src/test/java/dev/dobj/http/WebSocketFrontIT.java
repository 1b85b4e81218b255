package dev.dobj.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.dobj.DurableObject;
import dev.dobj.DurableObjectState;
import dev.dobj.Env;
import dev.dobj.Worker;
import dev.dobj.fetch.Request;
import dev.dobj.fetch.Response;
import dev.dobj.fetch.WebSocket;
import dev.dobj.fetch.WebSocketAutoResponse;
import dev.dobj.fetch.WebSocketMessage;
import dev.dobj.runtime.DurableObjectRuntime;
import dev.dobj.runtime.time.ManualClock;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocketHandshakeException;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * WebSockets over real sockets: a JDK WebSocket client, the Jetty front, a Worker that forwards the
 * upgrade with {@code stub.fetch}, and an object that accepts it with the hibernation API.
 */
class WebSocketFrontIT {
  private static final List<String> EVENTS = new CopyOnWriteArrayList<>();
  private static final AtomicInteger CONSTRUCTED = new AtomicInteger();
  private static volatile java.util.concurrent.CountDownLatch HOLD;

  private final ManualClock clock = new ManualClock();
  private final HttpClient client = HttpClient.newHttpClient();
  private DurableObjectRuntime runtime;
  private HttpFront front;

  /** Forwards /room/NAME upgrades to the room of that name; refuses other upgrades. */
  static final class RoomWorker implements Worker {
    @Override
    public Response fetch(Request request, Env env) {
      String path = request.url().getPath();
      if (!path.startsWith("/room/")) {
        return Response.status(426);
      }
      return env.namespace("ROOM", Room.class).getByName(path.substring(6)).fetch(request);
    }
  }

  /** The room has no RPC methods; it is reached with fetch only. */
  public interface Room {}

  public static final class RoomObject extends DurableObject implements Room {
    public RoomObject(DurableObjectState ctx, Env env) {
      super(ctx, env);
      CONSTRUCTED.incrementAndGet();
      ctx.setWebSocketAutoResponse(new WebSocketAutoResponse("ping", "pong"));
    }

    @Override
    public Response fetch(Request request) {
      String query = request.url().getQuery() == null ? "" : request.url().getQuery();
      WebSocket ws = request.webSocket().orElseThrow();
      if (query.contains("hold")) {
        try {
          if (!HOLD.await(10, TimeUnit.SECONDS)) {
            throw new AssertionError("the test did not release the upgrade");
          }
        } catch (InterruptedException e) {
          throw new AssertionError(e);
        }
      }
      if (query.contains("forget")) {
        return Response.webSocket(ws); // not accepted: the front must refuse it
      }
      ctx.acceptWebSocket(ws);
      if (query.startsWith("name=")) {
        ws.serializeAttachment(query.substring(5));
      }
      Response.Builder answer = Response.webSocket(ws).toBuilder();
      request
          .headers()
          .get("sec-websocket-protocol")
          .ifPresent(p -> answer.header("sec-websocket-protocol", p.split(",")[0].trim()));
      return answer.build();
    }

    @Override
    public void webSocketMessage(WebSocket ws, WebSocketMessage message) {
      String text = message.asText();
      switch (text) {
        case "who" -> ws.send(ws.deserializeAttachment(String.class).orElse("nobody"));
        case "last-pong" ->
            ws.send(
                ctx.getWebSocketAutoResponseTimestamp(ws)
                    .map(t -> String.valueOf(t.toEpochMilli()))
                    .orElse("never"));
        case "close" -> ws.close(4001, "bye");
        case "abort" -> ctx.abort("the test aborted it");
        default -> {
          if (message instanceof WebSocketMessage.Binary b) {
            ws.send(b.data());
          } else {
            for (WebSocket peer : ctx.getWebSockets()) {
              peer.send("echo:" + text);
            }
          }
        }
      }
    }

    @Override
    public void webSocketClose(WebSocket ws, int code, String reason, boolean wasClean) {
      EVENTS.add("close " + code + " " + reason + " " + wasClean);
    }
  }

  /** A JDK WebSocket client that queues what it receives. */
  static final class Peer implements java.net.http.WebSocket.Listener {
    final BlockingQueue<String> received = new LinkedBlockingQueue<>();
    final CompletableFuture<String> closed = new CompletableFuture<>();
    private final StringBuilder partial = new StringBuilder();
    java.net.http.WebSocket socket;

    @Override
    public CompletionStage<?> onText(java.net.http.WebSocket ws, CharSequence data, boolean last) {
      partial.append(data);
      if (last) {
        received.add(partial.toString());
        partial.setLength(0);
      }
      ws.request(1);
      return null;
    }

    @Override
    public CompletionStage<?> onBinary(java.net.http.WebSocket ws, ByteBuffer data, boolean last) {
      byte[] bytes = new byte[data.remaining()];
      data.get(bytes);
      received.add("binary " + bytes.length);
      ws.request(1);
      return null;
    }

    @Override
    public CompletionStage<?> onClose(java.net.http.WebSocket ws, int code, String reason) {
      closed.complete(code + " " + reason);
      return null;
    }

    @Override
    public void onError(java.net.http.WebSocket ws, Throwable error) {
      closed.complete("error " + error);
    }

    String next() throws InterruptedException {
      String s = received.poll(10, TimeUnit.SECONDS);
      if (s == null) {
        throw new AssertionError("nothing arrived within 10 s");
      }
      return s;
    }

    void say(String text) {
      socket.sendText(text, true).join();
    }
  }

  @BeforeEach
  void start() {
    EVENTS.clear();
    CONSTRUCTED.set(0);
    runtime = DurableObjectRuntime.builder().clock(clock).bind("ROOM", RoomObject.class).build();
    front =
        HttpFront.builder(new RoomWorker(), runtime.env()).maxWebSocketMessageBytes(4096).start();
  }

  @AfterEach
  void stop() {
    // The front first: it closes the sockets, which the client's close() would wait for.
    front.close();
    runtime.close();
    client.shutdownNow();
  }

  private Peer connect(String pathAndQuery, String... protocols) {
    Peer peer = new Peer();
    java.net.http.WebSocket.Builder b = client.newWebSocketBuilder();
    if (protocols.length > 0) {
      b.subprotocols(protocols[0], java.util.Arrays.copyOfRange(protocols, 1, protocols.length));
    }
    peer.socket =
        b.buildAsync(URI.create("ws://127.0.0.1:" + front.port() + pathAndQuery), peer)
            .orTimeout(10, TimeUnit.SECONDS)
            .join();
    return peer;
  }

  private void awaitIdle() {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (runtime.busyObjects("ROOM") > 0) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("the room did not become idle");
      }
      Thread.onSpinWait();
    }
  }

  @Test
  void upgrade_reachesTheObject_andMessagesGoBothWays() throws Exception {
    Peer alice = connect("/room/a", "chat.v1");
    assertThat(alice.socket.getSubprotocol()).isEqualTo("chat.v1");
    alice.say("hello");
    assertThat(alice.next()).isEqualTo("echo:hello");
    alice.socket.sendBinary(ByteBuffer.wrap(new byte[300]), true).join();
    assertThat(alice.next()).isEqualTo("binary 300");
  }

  @Test
  void twoClientsInOneRoom_seeEachOthersMessages() throws Exception {
    Peer alice = connect("/room/a");
    Peer bob = connect("/room/a");
    Peer carol = connect("/room/other");
    bob.say("hi from bob");
    assertThat(alice.next()).isEqualTo("echo:hi from bob");
    assertThat(bob.next()).isEqualTo("echo:hi from bob");
    assertThat(carol.received.poll(200, TimeUnit.MILLISECONDS)).isNull();
    assertThat(runtime.openWebSockets("ROOM")).isEqualTo(3);
  }

  @Test
  void hibernation_keepsTheConnectionOpen_andTheNextMessageWakesTheObject() throws Exception {
    Peer alice = connect("/room/a?name=alice");
    awaitIdle();
    clock.advance(Duration.ofSeconds(10));
    runtime.evictIdleObjects();
    assertThat(runtime.liveObjects("ROOM")).isZero();
    assertThat(runtime.hibernatedObjects("ROOM")).isEqualTo(1);

    long pinged = clock.millis();
    alice.say("ping"); // answered by the auto-response, without waking the room
    assertThat(alice.next()).isEqualTo("pong");
    assertThat(runtime.liveObjects("ROOM")).isZero();

    alice.say("who");
    assertThat(alice.next()).isEqualTo("alice");
    assertThat(CONSTRUCTED).hasValue(2);
    // The woken room can tell when the runtime last answered alice's ping.
    alice.say("last-pong");
    assertThat(alice.next()).isEqualTo(String.valueOf(pinged));
  }

  @Test
  void clientClose_completesTheHandshake_andIsAnEventForTheObject() throws Exception {
    Peer alice = connect("/room/a");
    alice.socket.sendClose(4000, "leaving").join();
    assertThat(alice.closed.get(10, TimeUnit.SECONDS)).isEqualTo("4000 leaving");
    awaitUntil(() -> EVENTS.contains("close 4000 leaving true"));
    awaitUntil(() -> runtime.openWebSockets("ROOM") == 0);
  }

  @Test
  void objectClose_reachesTheClient() throws Exception {
    Peer alice = connect("/room/a");
    alice.say("close");
    assertThat(alice.closed.get(10, TimeUnit.SECONDS)).isEqualTo("4001 bye");
    alice.socket.sendClose(4001, "bye");
    awaitUntil(() -> runtime.openWebSockets("ROOM") == 0);
    assertThat(EVENTS).isEmpty();
  }

  @Test
  void reset_closesTheConnectionsWith1011() throws Exception {
    Peer alice = connect("/room/a");
    Peer bob = connect("/room/a");
    alice.say("abort");
    assertThat(alice.closed.get(10, TimeUnit.SECONDS)).isEqualTo("1011 Durable Object reset");
    assertThat(bob.closed.get(10, TimeUnit.SECONDS)).isEqualTo("1011 Durable Object reset");
  }

  @Test
  void messageOverTheLimit_closesTheSocketWith1009() throws Exception {
    Peer alice = connect("/room/a");
    alice.socket.sendText("x".repeat(5000), true);
    assertThat(alice.closed.get(10, TimeUnit.SECONDS)).startsWith("1009");
  }

  /**
   * The client goes away while the object handles its upgrade: the object accepts the socket and
   * answers 101, but the connection is gone, so the socket never opens. It must not stay among the
   * object's sockets (where it would keep the object from hibernating and count as open forever):
   * the object gets a close event (1006, not clean) and the socket leaves.
   */
  @Test
  void clientGoneBeforeThe101_theAcceptedSocketCloses_andLeavesTheObject() throws Exception {
    HOLD = new java.util.concurrent.CountDownLatch(1);
    try (java.net.Socket raw = new java.net.Socket("127.0.0.1", front.port())) {
      raw.getOutputStream()
          .write(
              ("GET /room/a?hold HTTP/1.1\r\n"
                      + "Host: 127.0.0.1\r\n"
                      + "Upgrade: websocket\r\n"
                      + "Connection: Upgrade\r\n"
                      + "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n"
                      + "Sec-WebSocket-Version: 13\r\n\r\n")
                  .getBytes(java.nio.charset.StandardCharsets.US_ASCII));
      raw.getOutputStream().flush();
      awaitUntil(() -> runtime.busyObjects("ROOM") > 0); // the object holds the upgrade
      raw.setSoLinger(true, 0); // closed with a reset: nothing more can be written to it
    }
    HOLD.countDown();
    awaitUntil(() -> EVENTS.stream().anyMatch(e -> e.startsWith("close 1006 ")));
    awaitUntil(() -> runtime.openWebSockets("ROOM") == 0);
    assertThat(EVENTS).allMatch(e -> e.endsWith(" false"));
  }

  @Test
  void workerThatDoesNotUpgrade_failsTheHandshakeWithItsStatus() {
    assertThatThrownBy(() -> connect("/elsewhere"))
        .hasCauseInstanceOf(WebSocketHandshakeException.class)
        .hasStackTraceContaining("status code 426");
  }

  @Test
  void socketReturnedWithoutAccept_isRefusedWith500() {
    assertThatThrownBy(() -> connect("/room/a?forget"))
        .hasCauseInstanceOf(WebSocketHandshakeException.class)
        .hasStackTraceContaining("status code 500");
  }

  private static void awaitUntil(java.util.function.BooleanSupplier condition) {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("condition not met within 10 s");
      }
      Thread.yield();
    }
  }
}
