package dev.dobj.spi.websocket;

import dev.dobj.fetch.WebSocket;
import dev.dobj.fetch.WebSocketMessage;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;

/**
 * The server side of one WebSocket, shared by the edge that made it and the runtime that owns it.
 *
 * <p>Its life: the edge makes one for an upgrade request ({@link
 * dev.dobj.fetch.Request#webSocket()}, state {@code CONNECTING}); an object accepts it ({@code
 * ctx.acceptWebSocket}), which hands it to an {@link Owner} (state {@code OPEN}); the edge
 * completes the upgrade when the object's 101 response comes back and calls {@link #open}. Messages
 * the object sends before that wait here and go out, in order, once the connection is open. The
 * edge then reports what arrives ({@link #received}, {@link #closed}, {@link #failed}) and the
 * owner turns it into the object's events.
 *
 * <p>The same instance is the object's handle for the socket's whole life, across hibernation: its
 * attachment lives here, not in the object. Thread-safe: state, owner, connection and the queue of
 * early sends are guarded by {@code lock} (a ReentrantLock: nothing blocks while it is held, and it
 * never pins a virtual thread); the attachment is volatile.
 */
public final class EdgeWebSocket implements WebSocket {
  /** Cloudflare's limit on a serialized attachment. */
  public static final int MAX_ATTACHMENT_BYTES = 16_384;

  /** The longest close reason a close frame carries, in UTF-8 bytes. */
  public static final int MAX_CLOSE_REASON_BYTES = 123;

  /**
   * What the runtime does with a socket an object accepted: gates the object's sends, turns what
   * arrives into events, and encodes attachments.
   */
  public interface Owner {
    /** The object sent {@code message}; the owner calls {@link #transmit} when it may leave. */
    void send(EdgeWebSocket ws, WebSocketMessage message);

    /** The object closed the socket; the owner calls {@link #transmitClose} when it may leave. */
    void close(EdgeWebSocket ws, int code, String reason);

    /** A message arrived from the peer. */
    void received(EdgeWebSocket ws, WebSocketMessage message);

    /**
     * The connection closed: {@code wasClean} when both sides exchanged close frames; {@code
     * byPeer} when the peer started the close.
     */
    void closed(EdgeWebSocket ws, int code, String reason, boolean wasClean, boolean byPeer);

    /** The connection failed (a protocol error, a broken connection). */
    void failed(EdgeWebSocket ws, Throwable error);

    /** Encodes an attachment, copied like an RPC value. */
    byte[] encodeAttachment(Object value);

    /** Decodes an attachment as {@code type}. */
    <T> T decodeAttachment(byte[] bytes, Class<T> type);
  }

  private final ReentrantLock lock = new ReentrantLock();
  private final String description;
  private ReadyState state = ReadyState.CONNECTING;
  private Owner owner;
  private WebSocketConnection connection;
  private List<Consumer<WebSocketConnection>> pending = new ArrayList<>();
  private boolean closeSent;
  private volatile byte[] attachment;

  /**
   * A socket for an upgrade request, before any object accepts it.
   *
   * @param description who asked for it, for messages and logs (e.g. the request path and peer)
   */
  public EdgeWebSocket(String description) {
    this.description = Objects.requireNonNull(description, "description");
  }

  // ---- runtime side
  // ------------------------------------------------------------------------------

  /**
   * Hands the socket to {@code owner}: it is accepted and open for sends.
   *
   * @throws IllegalStateException if it was already accepted or is closed
   */
  public void accept(Owner owner) {
    lock.lock();
    try {
      Objects.requireNonNull(owner, "owner");
      if (this.owner != null) {
        throw new IllegalStateException(
            "WebSocket " + description + " was already accepted; accept it once");
      }
      if (state != ReadyState.CONNECTING) {
        throw new IllegalStateException(
            "WebSocket " + description + " is " + state + " and cannot be accepted");
      }
      this.owner = owner;
      this.state = ReadyState.OPEN;
    } finally {
      lock.unlock();
    }
  }

  /** Whether an object accepted it. */
  public boolean accepted() {
    lock.lock();
    try {
      return owner != null;
    } finally {
      lock.unlock();
    }
  }

  /** Puts {@code message} on the wire (or queues it until the connection opens). */
  public void transmit(WebSocketMessage message) {
    onConnection(
        c -> {
          switch (message) {
            case WebSocketMessage.Text t -> c.sendText(t.text());
            case WebSocketMessage.Binary b -> c.sendBinary(b.data());
          }
        });
  }

  /** Sends the close frame (or queues it until the connection opens). */
  public void transmitClose(int code, String reason) {
    onConnection(c -> c.close(code, reason));
  }

  private void onConnection(Consumer<WebSocketConnection> action) {
    WebSocketConnection c;
    lock.lock();
    try {
      if (state == ReadyState.CLOSED) {
        return;
      }
      c = connection;
      if (c == null) {
        pending.add(action);
        return;
      }
    } finally {
      lock.unlock();
    }
    action.accept(c);
  }

  // ---- edge side
  // ---------------------------------------------------------------------------------

  /**
   * The upgrade completed: messages queued meanwhile go out, in order.
   *
   * @throws IllegalStateException if the socket was not accepted
   */
  public void open(WebSocketConnection connection) {
    Objects.requireNonNull(connection, "connection");
    List<Consumer<WebSocketConnection>> queued;
    lock.lock();
    try {
      if (owner == null) {
        throw notAccepted();
      }
      if (this.connection != null) {
        throw new IllegalStateException("WebSocket " + description + " is already open");
      }
      this.connection = connection;
      queued = pending;
      pending = null;
    } finally {
      lock.unlock();
    }
    for (Consumer<WebSocketConnection> action : queued) {
      action.accept(connection);
    }
  }

  /** A message arrived from the peer. */
  public void received(WebSocketMessage message) {
    Owner o;
    lock.lock();
    try {
      if (state == ReadyState.CLOSED) {
        return;
      }
      o = owner;
    } finally {
      lock.unlock();
    }
    if (o != null) {
      o.received(this, message);
    }
  }

  /** The connection closed (or never opened: code 1006). Reported once. */
  public void closed(int code, String reason, boolean wasClean) {
    Owner o;
    boolean byPeer;
    lock.lock();
    try {
      if (state == ReadyState.CLOSED) {
        return;
      }
      state = ReadyState.CLOSED;
      byPeer = !closeSent;
      pending = List.of();
      o = owner;
    } finally {
      lock.unlock();
    }
    if (o != null) {
      o.closed(this, code, reason == null ? "" : reason, wasClean, byPeer);
    }
  }

  /** The connection failed; it is closed. Reported once, instead of {@link #closed}. */
  public void failed(Throwable error) {
    Owner o;
    lock.lock();
    try {
      if (state == ReadyState.CLOSED) {
        return;
      }
      state = ReadyState.CLOSED;
      pending = List.of();
      o = owner;
    } finally {
      lock.unlock();
    }
    if (o != null) {
      o.failed(this, error);
    }
  }

  // ---- WebSocket
  // ---------------------------------------------------------------------------------

  @Override
  public void send(String text) {
    Objects.requireNonNull(text, "text");
    ownerForSend().send(this, new WebSocketMessage.Text(text));
  }

  @Override
  public void send(byte[] data) {
    Objects.requireNonNull(data, "data");
    ownerForSend().send(this, new WebSocketMessage.Binary(data));
  }

  private Owner ownerForSend() {
    lock.lock();
    try {
      if (owner == null) {
        throw notAccepted();
      }
      if (state != ReadyState.OPEN) {
        throw new IllegalStateException(
            "WebSocket " + description + " is " + state + "; messages can only be sent while OPEN");
      }
      return owner;
    } finally {
      lock.unlock();
    }
  }

  @Override
  public void close(int code, String reason) {
    String r = reason == null ? "" : reason;
    if (code != 1000 && (code < 3000 || code > 4999)) {
      throw new IllegalArgumentException(
          "Invalid WebSocket close code " + code + ": use 1000 or a code from 3000 to 4999");
    }
    int bytes = r.getBytes(StandardCharsets.UTF_8).length;
    if (bytes > MAX_CLOSE_REASON_BYTES) {
      throw new IllegalArgumentException(
          "WebSocket close reason is "
              + bytes
              + " bytes; the limit is "
              + MAX_CLOSE_REASON_BYTES
              + " UTF-8 bytes");
    }
    Owner o;
    lock.lock();
    try {
      if (owner == null) {
        throw notAccepted();
      }
      if (state != ReadyState.OPEN) {
        return; // closing or closed already: nothing more to say
      }
      state = ReadyState.CLOSING;
      closeSent = true;
      o = owner;
    } finally {
      lock.unlock();
    }
    o.close(this, code, r);
  }

  @Override
  public ReadyState readyState() {
    lock.lock();
    try {
      return state;
    } finally {
      lock.unlock();
    }
  }

  @Override
  public void serializeAttachment(Object value) {
    if (value == null) {
      attachment = null;
      return;
    }
    Owner o;
    lock.lock();
    try {
      o = owner;
    } finally {
      lock.unlock();
    }
    if (o == null) {
      throw notAccepted();
    }
    byte[] bytes = o.encodeAttachment(value);
    if (bytes.length > MAX_ATTACHMENT_BYTES) {
      throw new IllegalArgumentException(
          "WebSocket attachment is "
              + bytes.length
              + " bytes serialized; the limit is "
              + MAX_ATTACHMENT_BYTES
              + " bytes");
    }
    attachment = bytes;
  }

  @Override
  public <T> Optional<T> deserializeAttachment(Class<T> type) {
    Objects.requireNonNull(type, "type");
    byte[] bytes = attachment;
    if (bytes == null) {
      return Optional.empty();
    }
    Owner o;
    lock.lock();
    try {
      o = owner;
    } finally {
      lock.unlock();
    }
    return Optional.of(o.decodeAttachment(bytes, type));
  }

  private IllegalStateException notAccepted() {
    return new IllegalStateException(
        "WebSocket " + description + " was not accepted: call ctx.acceptWebSocket(ws) first");
  }

  @Override
  public String toString() {
    return "WebSocket[" + description + "]";
  }
}
