package dev.dobj.examples.chat;

import static org.assertj.core.api.Assertions.assertThat;

import dev.dobj.fetch.Request;
import dev.dobj.fetch.Response;
import dev.dobj.fetch.WebSocketMessage;
import dev.dobj.runtime.DurableObjectRuntime;
import dev.dobj.spi.storage.Durability;
import dev.dobj.spi.websocket.EdgeWebSocket;
import dev.dobj.spi.websocket.WebSocketConnection;
import dev.dobj.sqlite.SqliteStorageEngine;
import java.nio.file.Path;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The Worker's routes and the room's protocol, in process (the browser test covers the wire). */
class ChatWorkerTest {
  @TempDir Path dataDir;
  private DurableObjectRuntime runtime;
  private final ChatWorker worker = new ChatWorker();

  @BeforeEach
  void start() {
    runtime =
        DurableObjectRuntime.builder()
            .storage(new SqliteStorageEngine(dataDir, Durability.OS))
            .bind("ROOMS", ChatRoomObject.class)
            .build();
  }

  @AfterEach
  void stop() {
    runtime.close();
  }

  private Response get(String path) {
    return worker.fetch(Request.get("http://chat" + path), runtime.env());
  }

  /** Connects like the HTTP front would: the Worker's 101 carries the socket, then it opens. */
  private BlockingQueue<String> join(String room, String user) {
    EdgeWebSocket ws = new EdgeWebSocket(user);
    Response r =
        worker.fetch(
            Request.builder("GET", "http://chat/room/" + room + "/ws?user=" + user)
                .webSocket(ws)
                .build(),
            runtime.env());
    assertThat(r.status()).isEqualTo(101);
    BlockingQueue<String> frames = new LinkedBlockingQueue<>();
    ws.open(
        new WebSocketConnection() {
          @Override
          public void sendText(String text) {
            frames.add(text);
          }

          @Override
          public void sendBinary(byte[] data) {
            frames.add("binary");
          }

          @Override
          public void close(int code, String reason) {
            frames.add("close " + code);
          }

          @Override
          public String remote() {
            return user;
          }
        });
    sockets.put(user, ws);
    return frames;
  }

  private final java.util.Map<String, EdgeWebSocket> sockets = new java.util.HashMap<>();

  private static String next(BlockingQueue<String> frames) throws InterruptedException {
    String f = frames.poll(10, TimeUnit.SECONDS);
    assertThat(f).as("a frame within 10 s").isNotNull();
    return f;
  }

  @Test
  void page_isServed() {
    Response r = get("/");
    assertThat(r.status()).isEqualTo(200);
    assertThat(r.headers().get("content-type")).contains("text/html;charset=UTF-8");
    assertThat(r.text()).contains("<title>dobj chat</title>");
  }

  @Test
  void badRequests_areRefusedWithTheReason() {
    assertThat(get("/room/bad%20name/history").status()).isEqualTo(400);
    assertThat(get("/room/" + "r".repeat(65) + "/history").text()).contains("1-64");
    assertThat(get("/room/lobby/ws").status()).isEqualTo(426);
    assertThat(get("/nowhere").status()).isEqualTo(404);
    EdgeWebSocket ws = new EdgeWebSocket("no user");
    Response noUser =
        worker.fetch(
            Request.builder("GET", "http://chat/room/lobby/ws").webSocket(ws).build(),
            runtime.env());
    assertThat(noUser.status()).isEqualTo(400);
    assertThat(noUser.text()).contains("Missing user");
    assertThat(ws.accepted()).isFalse();
  }

  @Test
  void members_getHistory_presence_andEachOthersMessages() throws InterruptedException {
    BlockingQueue<String> alice = join("lobby", "alice");
    assertThat(next(alice)).isEqualTo("{\"type\":\"history\",\"messages\":[]}");
    assertThat(next(alice)).isEqualTo("{\"type\":\"join\",\"user\":\"alice\"}");
    BlockingQueue<String> bob = join("lobby", "bob");
    assertThat(next(bob)).startsWith("{\"type\":\"history\"");
    assertThat(next(bob)).isEqualTo("{\"type\":\"join\",\"user\":\"bob\"}");
    assertThat(next(alice)).isEqualTo("{\"type\":\"join\",\"user\":\"bob\"}");

    sockets.get("alice").received(new WebSocketMessage.Text("  hi \"bob\"  "));
    assertThat(next(bob))
        .startsWith("{\"type\":\"message\",\"user\":\"alice\",\"text\":\"hi \\\"bob\\\"\"");

    assertThat(next(alice)).startsWith("{\"type\":\"message\",\"user\":\"alice\"");

    String history = get("/room/lobby/history").text();
    assertThat(history).contains("\"user\":\"alice\",\"text\":\"hi \\\"bob\\\"\"");

    sockets.get("bob").received(new WebSocketMessage.Text("x".repeat(2_001)));
    assertThat(next(bob)).contains("at most 2000 characters").contains("2001");

    sockets.get("bob").received(new WebSocketMessage.Text("ping"));
    assertThat(next(bob)).isEqualTo("pong");

    sockets.get("bob").closed(1000, "bye", true);
    assertThat(next(alice)).isEqualTo("{\"type\":\"leave\",\"user\":\"bob\"}");
  }
}
