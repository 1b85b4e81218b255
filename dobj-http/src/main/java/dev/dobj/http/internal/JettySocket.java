package dev.dobj.http.internal;

import dev.dobj.fetch.WebSocketMessage;
import dev.dobj.spi.websocket.EdgeWebSocket;
import dev.dobj.spi.websocket.WebSocketConnection;
import java.nio.ByteBuffer;
import org.eclipse.jetty.websocket.api.Callback;
import org.eclipse.jetty.websocket.api.Session;

/**
 * Connects one upgraded Jetty WebSocket session to the {@link EdgeWebSocket} an object accepted:
 * frames that arrive are reported to it, and its sends go out on the session.
 *
 * <p>Jetty calls the listener methods one at a time per session and asks for the next frame when a
 * method returns ({@link Session.Listener.AutoDemanding}); the runtime only queues events there, so
 * they return at once. Sends are asynchronous and keep their order (Jetty queues outgoing frames).
 *
 * <p>Public only because Jetty invokes listeners through method handles; the package is exported to
 * Jetty's WebSocket module alone.
 */
public final class JettySocket implements Session.Listener.AutoDemanding, WebSocketConnection {
  private final EdgeWebSocket ws;
  private volatile Session session;

  /** A listener for the session that will carry {@code ws}. */
  public JettySocket(EdgeWebSocket ws) {
    this.ws = ws;
  }

  @Override
  public void onWebSocketOpen(Session session) {
    this.session = session;
    ws.open(this);
  }

  @Override
  public void onWebSocketText(String message) {
    ws.received(new WebSocketMessage.Text(message));
  }

  @Override
  public void onWebSocketBinary(ByteBuffer payload, Callback callback) {
    byte[] bytes = new byte[payload.remaining()];
    payload.get(bytes);
    callback.succeed();
    ws.received(new WebSocketMessage.Binary(bytes));
  }

  @Override
  public void onWebSocketClose(int statusCode, String reason) {
    // 1006: the connection ended without a close frame (no clean handshake).
    ws.closed(statusCode, reason, statusCode != 1006);
  }

  @Override
  public void onWebSocketError(Throwable cause) {
    ws.failed(cause);
  }

  @Override
  public void sendText(String text) {
    Session s = session;
    if (s != null && s.isOpen()) {
      s.sendText(text, Callback.NOOP);
    }
  }

  @Override
  public void sendBinary(byte[] data) {
    Session s = session;
    if (s != null && s.isOpen()) {
      s.sendBinary(ByteBuffer.wrap(data), Callback.NOOP);
    }
  }

  @Override
  public void close(int code, String reason) {
    Session s = session;
    if (s != null) {
      s.close(code, reason, Callback.NOOP);
    }
  }

  @Override
  public String remote() {
    Session s = session;
    return s == null ? "?" : String.valueOf(s.getRemoteSocketAddress());
  }
}
