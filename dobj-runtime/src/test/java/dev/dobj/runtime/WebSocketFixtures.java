package dev.dobj.runtime;

import dev.dobj.DurableObject;
import dev.dobj.DurableObjectState;
import dev.dobj.Env;
import dev.dobj.fetch.Request;
import dev.dobj.fetch.Response;
import dev.dobj.fetch.WebSocket;
import dev.dobj.fetch.WebSocketAutoResponse;
import dev.dobj.fetch.WebSocketMessage;
import dev.dobj.spi.websocket.EdgeWebSocket;
import dev.dobj.spi.websocket.WebSocketConnection;
import java.net.URI;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/** A chat-like object that accepts WebSockets, and a connection that records what it is sent. */
public final class WebSocketFixtures {
  private WebSocketFixtures() {}

  public static final Map<String, RoomProbe> PROBES = new ConcurrentHashMap<>();

  public static final class RoomProbe {
    public final AtomicInteger constructed = new AtomicInteger();
    public final List<String> events = new CopyOnWriteArrayList<>();
    public volatile WebSocket lastClosed;
  }

  /** The RPC side of the room. */
  public interface Room {
    int sockets();

    /** Per open socket: when the runtime last auto-responded on it (epoch ms), or -1 if never. */
    List<Long> autoResponded();
  }

  /** What the client said, kept with the socket across hibernation. */
  public record Who(String name) {}

  public static final class RoomObject extends DurableObject implements Room {
    private final RoomProbe probe;

    public RoomObject(DurableObjectState ctx, Env env) {
      super(ctx, env);
      probe = PROBES.computeIfAbsent(env.var("probe").orElse("default"), k -> new RoomProbe());
      probe.constructed.incrementAndGet();
    }

    @Override
    public int sockets() {
      return ctx.getWebSockets().size();
    }

    @Override
    public List<Long> autoResponded() {
      return ctx.getWebSockets().stream()
          .map(
              ws ->
                  ctx.getWebSocketAutoResponseTimestamp(ws).map(t -> t.toEpochMilli()).orElse(-1L))
          .toList();
    }

    @Override
    public Response fetch(Request request) {
      URI url = request.url();
      String query = url.getQuery() == null ? "" : url.getQuery();
      switch (url.getPath()) {
        case "/auto" -> {
          ctx.setWebSocketAutoResponse(new WebSocketAutoResponse("ping", "pong"));
          return Response.ok("auto set");
        }
        case "/refuse" -> {
          return Response.status(426);
        }
        case "/accept" -> {
          WebSocket ws = request.webSocket().orElseThrow();
          String[] tags = new String[0];
          String name = null;
          String greet = null;
          for (String part : query.split("&")) {
            if (part.startsWith("tags=")) {
              tags = part.substring(5).split(",");
            } else if (part.startsWith("name=")) {
              name = part.substring(5);
            } else if (part.startsWith("greet=")) {
              greet = part.substring(6);
            }
          }
          ctx.acceptWebSocket(ws, tags);
          if (name != null) {
            ws.serializeAttachment(new Who(name));
          }
          if (greet != null) {
            ws.send(greet);
          }
          return Response.webSocket(ws);
        }
        default -> {
          return Response.status(404);
        }
      }
    }

    @Override
    public void webSocketMessage(WebSocket ws, WebSocketMessage message) {
      if (message instanceof WebSocketMessage.Binary b) {
        byte[] data = b.data();
        byte[] reversed = new byte[data.length];
        for (int i = 0; i < data.length; i++) {
          reversed[i] = data[data.length - 1 - i];
        }
        ws.send(reversed);
        return;
      }
      String text = message.asText();
      probe.events.add("message " + text);
      if (text.equals("who")) {
        ws.send(ws.deserializeAttachment(Who.class).map(Who::name).orElse("nobody"));
      } else if (text.equals("auto-at")) {
        ws.send(
            ctx.getWebSocketAutoResponseTimestamp(ws)
                .map(t -> "at " + t.toEpochMilli())
                .orElse("never"));
      } else if (text.equals("auto-at-closed")) {
        try {
          ctx.getWebSocketAutoResponseTimestamp(probe.lastClosed);
          ws.send("answered");
        } catch (IllegalArgumentException e) {
          ws.send("refused: " + e.getMessage());
        }
      } else if (text.equals("tags")) {
        ws.send(String.join(",", ctx.getTags(ws)));
      } else if (text.startsWith("count:")) {
        ws.send(String.valueOf(ctx.getWebSockets(text.substring(6)).size()));
      } else if (text.startsWith("broadcast:")) {
        for (WebSocket peer : ctx.getWebSockets()) {
          peer.send(text.substring(10));
        }
      } else if (text.startsWith("store:")) {
        ctx.storage().put("last", text.substring(6));
        ws.send("stored " + text.substring(6));
      } else if (text.equals("throw")) {
        throw new IllegalStateException("handler failed on purpose");
      } else if (text.equals("close")) {
        ws.close(4000, "bye");
      } else if (text.equals("abort")) {
        ctx.abort("the test aborted it");
      } else {
        ws.send("echo:" + text);
      }
    }

    @Override
    public void webSocketClose(WebSocket ws, int code, String reason, boolean wasClean) {
      probe.lastClosed = ws;
      probe.events.add("close " + code + " " + reason + " " + wasClean);
    }

    @Override
    public void webSocketError(WebSocket ws, Throwable error) {
      probe.events.add("error " + error.getMessage());
    }
  }

  /** The network side, recorded: what the object sends arrives in {@link #frames}. */
  public static final class RecordingConnection implements WebSocketConnection {
    public final BlockingQueue<String> frames = new LinkedBlockingQueue<>();

    @Override
    public void sendText(String text) {
      frames.add(text);
    }

    @Override
    public void sendBinary(byte[] data) {
      frames.add("binary " + Arrays.toString(data));
    }

    @Override
    public void close(int code, String reason) {
      frames.add("close " + code + " " + reason);
    }

    @Override
    public String remote() {
      return "test";
    }

    /** The next frame, waiting up to 10 s. */
    public String next() {
      try {
        String f = frames.poll(10, TimeUnit.SECONDS);
        if (f == null) {
          throw new AssertionError("no frame arrived within 10 s");
        }
        return f;
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new AssertionError(e);
      }
    }
  }

  /** A client: the socket the edge made, opened on a recording connection. */
  public record Client(EdgeWebSocket ws, RecordingConnection connection) {
    public String next() {
      return connection.next();
    }

    public void say(String text) {
      ws.received(new WebSocketMessage.Text(text));
    }
  }
}
