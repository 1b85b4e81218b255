package dev.dobj.runtime.internal.activation;

import dev.dobj.DurableObjectException;
import dev.dobj.fetch.WebSocketMessage;
import dev.dobj.spi.websocket.EdgeWebSocket;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Something that arrived on an accepted WebSocket, delivered as a turn: a message, the close, or an
 * error. Nobody waits for it; an exception from the handler is logged and the object goes on (it is
 * not reset), as on Cloudflare.
 */
abstract sealed class SocketEvent extends Event {
  private static final Logger LOG = LoggerFactory.getLogger(SocketEvent.class);

  final EdgeWebSocket ws;

  SocketEvent(EdgeWebSocket ws) {
    this.ws = ws;
  }

  abstract void handle(Activation activation) throws Exception;

  @Override
  final void execute(Activation activation) {
    try {
      handle(activation);
    } catch (DurableObjectException reset) {
      if (!reset.reset()) {
        LOG.warn("{} of {} threw on {}", this, activation.describe(), ws, reset);
      } // else the reset was logged once, when it happened
    } catch (Throwable t) {
      LOG.warn("{} of {} threw on {}", this, activation.describe(), ws, t);
    }
  }

  @Override
  protected final void reject(RuntimeException cause) {
    ObjectSockets.undeliverable(ws, this, cause);
  }

  static final class Message extends SocketEvent {
    private final WebSocketMessage message;

    Message(EdgeWebSocket ws, WebSocketMessage message) {
      super(ws);
      this.message = message;
    }

    @Override
    void handle(Activation activation) throws Exception {
      activation.instance().webSocketMessage(ws, message);
    }

    @Override
    public String toString() {
      return "webSocketMessage";
    }
  }

  static final class Close extends SocketEvent {
    private final int code;
    private final String reason;
    private final boolean wasClean;

    Close(EdgeWebSocket ws, int code, String reason, boolean wasClean) {
      super(ws);
      this.code = code;
      this.reason = reason;
      this.wasClean = wasClean;
    }

    @Override
    void handle(Activation activation) throws Exception {
      activation.instance().webSocketClose(ws, code, reason, wasClean);
    }

    @Override
    public String toString() {
      return "webSocketClose(" + code + ")";
    }
  }

  static final class Error extends SocketEvent {
    private final Throwable error;

    Error(EdgeWebSocket ws, Throwable error) {
      super(ws);
      this.error = error;
    }

    @Override
    void handle(Activation activation) throws Exception {
      activation.instance().webSocketError(ws, error);
    }

    @Override
    public String toString() {
      return "webSocketError";
    }
  }
}
