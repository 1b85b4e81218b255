package dev.dobj.runtime.internal.activation;

import dev.dobj.DurableObjectException;
import dev.dobj.DurableObjectId;
import dev.dobj.fetch.WebSocket;
import dev.dobj.fetch.WebSocketAutoResponse;
import dev.dobj.fetch.WebSocketMessage;
import dev.dobj.rpc.codec.ValuePlan;
import dev.dobj.spi.websocket.EdgeWebSocket;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The WebSockets one object has accepted, kept by its host outside any activation so that they
 * survive hibernation: the object may be evicted while they stay open, and what arrives on them
 * activates it again.
 *
 * <p>It owns each accepted {@link EdgeWebSocket}: the object's sends leave through the output gate
 * of the turn that sends them; messages, closes and errors from the peer become events of the
 * object; a fixed auto-response is answered here without waking the object.
 *
 * <p>Thread-safety: the socket map and {@code retired} are guarded by {@code lock} (held only for
 * map updates, never while sending or delivering); the auto-response is volatile. An instance is
 * retired (and removed from the host) when its last socket closes; a retired instance accepts
 * nothing, so the host makes a new one.
 */
final class ObjectSockets implements EdgeWebSocket.Owner {
  private static final Logger LOG = LoggerFactory.getLogger(ObjectSockets.class);

  /** At most this many tags per socket (Cloudflare's limit). */
  static final int MAX_TAGS = 10;

  /** At most this many characters per tag (Cloudflare's limit). */
  static final int MAX_TAG_LENGTH = 256;

  /** At most this many accepted sockets per object (Cloudflare's limit). */
  static final int MAX_SOCKETS = 32_768;

  private final ReentrantLock lock = new ReentrantLock();
  private final ObjectHost host;
  private final DurableObjectId id;
  private final LinkedHashMap<EdgeWebSocket, Accepted> open = new LinkedHashMap<>();
  private boolean retired;
  volatile WebSocketAutoResponse autoResponse;

  /** What the object accepted a socket with, and when the runtime last auto-responded on it. */
  private static final class Accepted {
    final List<String> tags;
    // The runtime clock's time; null: never.
    volatile Instant autoResponded;

    Accepted(List<String> tags) {
      this.tags = tags;
    }
  }

  ObjectSockets(ObjectHost host, DurableObjectId id, WebSocketAutoResponse autoResponse) {
    this.host = host;
    this.id = id;
    this.autoResponse = autoResponse;
  }

  /** Validates the tags an object passes to {@code acceptWebSocket}. */
  static List<String> checkTags(String[] tags) {
    if (tags == null) {
      return List.of();
    }
    if (tags.length > MAX_TAGS) {
      throw new IllegalArgumentException(
          "A WebSocket can have at most "
              + MAX_TAGS
              + " tags; acceptWebSocket was given "
              + tags.length);
    }
    List<String> checked = new ArrayList<>(tags.length);
    for (String tag : tags) {
      if (tag == null) {
        throw new IllegalArgumentException("A WebSocket tag must not be null");
      }
      if (tag.length() > MAX_TAG_LENGTH) {
        throw new IllegalArgumentException(
            "WebSocket tag is "
                + tag.length()
                + " characters; the limit is "
                + MAX_TAG_LENGTH
                + " (tag starts \""
                + tag.substring(0, 32)
                + "...\")");
      }
      if (!checked.contains(tag)) {
        checked.add(tag);
      }
    }
    return List.copyOf(checked);
  }

  /**
   * Adds an accepted socket.
   *
   * @return false if this instance is retired (the caller makes a new one)
   * @throws IllegalStateException if the object already has the maximum number of sockets
   */
  boolean add(EdgeWebSocket ws, List<String> tags, String describe) {
    lock.lock();
    try {
      if (retired) {
        return false;
      }
      if (open.size() >= MAX_SOCKETS) {
        throw new IllegalStateException(
            "Durable Object "
                + describe
                + " already has "
                + open.size()
                + " WebSockets; the limit is "
                + MAX_SOCKETS);
      }
      ws.accept(this);
      open.put(ws, new Accepted(tags));
      return true;
    } finally {
      lock.unlock();
    }
  }

  List<WebSocket> list(String tag) {
    lock.lock();
    try {
      List<WebSocket> out = new ArrayList<>(open.size());
      for (Map.Entry<EdgeWebSocket, Accepted> e : open.entrySet()) {
        if (tag == null || e.getValue().tags.contains(tag)) {
          out.add(e.getKey());
        }
      }
      return out;
    } finally {
      lock.unlock();
    }
  }

  /** The tags of {@code ws}, or null if it is not one of this object's open sockets. */
  List<String> tags(WebSocket ws) {
    Accepted a = accepted(ws);
    return a == null ? null : a.tags;
  }

  /**
   * When the runtime last auto-responded on {@code ws} (empty if never), or null if it is not one
   * of this object's open sockets.
   */
  Optional<Instant> autoResponded(WebSocket ws) {
    Accepted a = accepted(ws);
    return a == null ? null : Optional.ofNullable(a.autoResponded);
  }

  private Accepted accepted(WebSocket ws) {
    lock.lock();
    try {
      return ws instanceof EdgeWebSocket edge ? open.get(edge) : null;
    } finally {
      lock.unlock();
    }
  }

  int size() {
    lock.lock();
    try {
      return open.size();
    } finally {
      lock.unlock();
    }
  }

  /** Removes {@code ws}; retires this instance when it was the last. */
  private boolean remove(EdgeWebSocket ws) {
    lock.lock();
    try {
      if (open.remove(ws) == null) {
        return false;
      }
      if (open.isEmpty()) {
        retired = true;
        host.socketsRetired(id, this);
      }
      return true;
    } finally {
      lock.unlock();
    }
  }

  /** Closes every socket with {@code code} (the object was reset or the runtime is closing). */
  void closeAll(int code, String reason) {
    List<EdgeWebSocket> closing;
    lock.lock();
    try {
      closing = new ArrayList<>(open.keySet());
      open.clear();
      retired = true;
      host.socketsRetired(id, this);
    } finally {
      lock.unlock();
    }
    for (EdgeWebSocket ws : closing) {
      ws.transmitClose(code, reason);
    }
  }

  // ---- EdgeWebSocket.Owner -------------------------------------------------------------------

  @Override
  public void send(EdgeWebSocket ws, WebSocketMessage message) {
    Activation turn = Activation.current();
    if (turn == null) {
      ws.transmit(message);
    } else {
      // Output gate: the message leaves once the writes made before it are durable.
      turn.outputGate().release(() -> ws.transmit(message), failed -> {});
    }
  }

  @Override
  public void close(EdgeWebSocket ws, int code, String reason) {
    Activation turn = Activation.current();
    if (turn == null) {
      ws.transmitClose(code, reason);
    } else {
      turn.outputGate().release(() -> ws.transmitClose(code, reason), failed -> {});
    }
  }

  @Override
  public void received(EdgeWebSocket ws, WebSocketMessage message) {
    Accepted accepted;
    lock.lock();
    try {
      accepted = open.get(ws);
    } finally {
      lock.unlock();
    }
    if (accepted == null) {
      return; // closed by a reset meanwhile
    }
    WebSocketAutoResponse auto = autoResponse;
    if (auto != null
        && message instanceof WebSocketMessage.Text text
        && text.text().equals(auto.request())) {
      ws.transmit(new WebSocketMessage.Text(auto.response()));
      accepted.autoResponded = host.settings.clock().instant();
      return;
    }
    deliver(ws, new SocketEvent.Message(ws, message));
  }

  @Override
  public void closed(EdgeWebSocket ws, int code, String reason, boolean wasClean, boolean byPeer) {
    if (remove(ws) && byPeer) {
      deliver(ws, new SocketEvent.Close(ws, code, reason, wasClean));
    }
  }

  @Override
  public void failed(EdgeWebSocket ws, Throwable error) {
    if (remove(ws)) {
      deliver(ws, new SocketEvent.Error(ws, error));
    }
  }

  @Override
  public byte[] encodeAttachment(Object value) {
    return plan(value.getClass()).encode(value);
  }

  @Override
  @SuppressWarnings("unchecked") // a primitive type's value is its wrapper
  public <T> T decodeAttachment(byte[] bytes, Class<T> type) {
    Object value = plan(type).decode(bytes);
    return type.isPrimitive() ? (T) value : type.cast(value);
  }

  private ValuePlan plan(Class<?> type) {
    try {
      return host.codec.plan(type);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(
          "A WebSocket attachment is copied like an RPC value (strings, numbers, booleans, byte"
              + " arrays, enums, records and the like); "
              + type.getName()
              + " cannot be: "
              + e.getMessage(),
          e);
    }
  }

  /** Delivers a socket event to the object, activating it if it hibernates. */
  private void deliver(EdgeWebSocket ws, SocketEvent e) {
    try {
      host.deliverEvent(id, e);
    } catch (RuntimeException failed) {
      e.failDelivery(failed);
    }
  }

  /** Logs and closes a socket whose event could not be delivered. */
  static void undeliverable(EdgeWebSocket ws, SocketEvent e, RuntimeException cause) {
    if (cause instanceof DurableObjectException d && d.overloaded()) {
      LOG.warn("Dropped {} on {}: {}; closing it", e, ws, cause.getMessage());
      ws.transmitClose(1013, "Durable Object is overloaded");
    } else {
      LOG.debug("Dropped {} on {}: {}", e, ws, cause.getMessage());
    }
  }
}
