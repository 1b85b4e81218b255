package dev.dobj.runtime.storage;

import static org.assertj.core.api.Assertions.assertThat;

import dev.dobj.fetch.Request;
import dev.dobj.fetch.Response;
import dev.dobj.runtime.WebSocketFixtures;
import dev.dobj.runtime.WebSocketFixtures.Client;
import dev.dobj.runtime.WebSocketFixtures.RecordingConnection;
import dev.dobj.runtime.WebSocketFixtures.Room;
import dev.dobj.spi.websocket.EdgeWebSocket;
import java.io.UncheckedIOException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** A WebSocket send leaves the object only once the writes before it are durable. */
class WebSocketOutputGateTest extends StorageTestBase {
  private HeldDurability held;

  @BeforeEach
  void holdDurability() {
    runtime.close();
    wrapEngine =
        e -> {
          held = new HeldDurability(e);
          return held;
        };
    tweak = b -> b.bind("ROOM", WebSocketFixtures.RoomObject.class);
    runtime = build();
  }

  private Client connect() {
    EdgeWebSocket ws = new EdgeWebSocket("gate test");
    Response r =
        runtime
            .env()
            .namespace("ROOM", Room.class)
            .getByName("a")
            .fetch(Request.builder("GET", "http://room/accept").webSocket(ws).build());
    assertThat(r.status()).isEqualTo(101);
    RecordingConnection c = new RecordingConnection();
    ws.open(c);
    return new Client(ws, c);
  }

  @Test
  void aSendAfterAWrite_waitsForDurability() throws InterruptedException {
    Client c = connect();
    c.say("store:x");
    assertThat(c.connection().frames.poll(200, TimeUnit.MILLISECONDS)).isNull();
    held.releaseAll();
    assertThat(c.next()).isEqualTo("stored x");

    held.holding = false;
    c.say("plain");
    assertThat(c.next()).isEqualTo("echo:plain");
  }

  @Test
  void aFailedCommit_dropsTheSend_andClosesTheSockets() {
    Client c = connect();
    c.say("store:y");
    awaitHeldBatch();
    held.failAll(new UncheckedIOException(new java.io.IOException("disk failed on purpose")));
    assertThat(c.next()).isEqualTo("close 1011 Durable Object reset");
    assertThat(c.connection().frames).isEmpty();
  }

  private void awaitHeldBatch() {
    dev.dobj.runtime.testing.Awaits.until(() -> !held.held.isEmpty(), "a batch to be held");
  }
}
