package dev.dobj.fetch;

import java.util.Optional;

/**
 * The server side of a WebSocket connection, as a Durable Object sees it.
 *
 * <p>An upgrade request carries one ({@link Request#webSocket()}); the object accepts it with
 * {@code ctx.acceptWebSocket(ws, tags...)} and answers with {@link Response#webSocket(WebSocket)}.
 * Sends leave the object through the output gate like any other message. Implemented by the
 * runtime; thread-safe.
 */
public interface WebSocket {
  /** Where the connection is in its life. */
  enum ReadyState {
    /** The handshake is not complete. */
    CONNECTING,
    /** Messages can be sent and received. */
    OPEN,
    /** A close frame was sent or received. */
    CLOSING,
    /** The connection is closed. */
    CLOSED
  }

  /**
   * Sends a text message.
   *
   * @throws IllegalStateException if the socket is not open
   */
  void send(String text);

  /**
   * Sends a binary message.
   *
   * @throws IllegalStateException if the socket is not open
   */
  void send(byte[] data);

  /**
   * Starts the close handshake with {@code code} (1000, or 3000-4999) and {@code reason} (at most
   * 123 UTF-8 bytes).
   *
   * @throws IllegalArgumentException for an invalid code or an oversized reason
   */
  void close(int code, String reason);

  /** The connection's state. */
  ReadyState readyState();

  /**
   * Keeps {@code value} with the socket so that it survives hibernation; copied like an RPC value,
   * at most 16,384 bytes serialized.
   *
   * @throws IllegalArgumentException if the value is too large or cannot be copied
   */
  void serializeAttachment(Object value);

  /**
   * The value kept with {@link #serializeAttachment}, decoded as {@code type}.
   *
   * @throws IllegalArgumentException if the attachment is not a {@code type}
   */
  <T> Optional<T> deserializeAttachment(Class<T> type);
}
