package dev.dobj.spi.websocket;

/**
 * The network side of one server WebSocket connection, implemented by an edge (dobj-http) once the
 * upgrade handshake is complete. Calls return without waiting for the peer; messages go out in the
 * order they were sent. Implementations are thread-safe.
 */
public interface WebSocketConnection {
  /** Sends a text message. A send on a closed connection is dropped. */
  void sendText(String text);

  /** Sends a binary message. A send on a closed connection is dropped. */
  void sendBinary(byte[] data);

  /** Starts the close handshake with {@code code} and {@code reason} (already validated). */
  void close(int code, String reason);

  /** Who is on the other end, for logs (e.g. {@code 127.0.0.1:53122}). */
  String remote();
}
