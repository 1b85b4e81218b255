package dev.dobj;

import dev.dobj.fetch.Request;
import dev.dobj.fetch.Response;
import dev.dobj.fetch.WebSocket;
import dev.dobj.fetch.WebSocketMessage;
import java.util.Objects;

/**
 * Base class of every Durable Object.
 *
 * <p>A subclass declares a public constructor {@code (DurableObjectState ctx, Env env)} and
 * implements one or more RPC interfaces; every public method of those interfaces can be called
 * through a {@link DurableObjectStub}. The runtime creates at most one live instance per id,
 * delivers one event (call, fetch, alarm, WebSocket event) at a time, and runs the constructor as a
 * critical section before any event (as if inside {@link
 * DurableObjectState#blockConcurrencyWhile}). An exception from the constructor resets the object:
 * the calls waiting for it fail and the next call through a new stub constructs it again.
 *
 * <p>The handlers below are events, not RPC methods: they are never callable through a stub. Their
 * defaults answer as Cloudflare's runtime does when a class does not define them.
 *
 * <p>Threading: the runtime calls the constructor and every handler from a turn of this object;
 * fields of the instance need no locking as long as they are touched only from turns.
 */
public abstract class DurableObject {
  /** The object's state handle: its id, storage, gates and WebSockets. */
  protected final DurableObjectState ctx;

  /** The bindings and variables of the application. */
  protected final Env env;

  /**
   * Called by the subclass constructor with the arguments the runtime passed it.
   *
   * @throws NullPointerException if either argument is null
   */
  protected DurableObject(DurableObjectState ctx, Env env) {
    this.ctx = Objects.requireNonNull(ctx, "ctx");
    this.env = Objects.requireNonNull(env, "env");
  }

  /**
   * Handles an HTTP request sent with {@link DurableObjectStub#fetch}. The response leaves the
   * object only after every storage write made before it is durable (output gate).
   *
   * <p>The default answers 501 Not Implemented.
   *
   * @throws Exception any exception fails this request only; the caller sees it as a remote error
   */
  public Response fetch(Request request) throws Exception {
    return Response.builder(501)
        .body(getClass().getName() + " does not implement fetch(Request)")
        .build();
  }

  /**
   * Handles the object's alarm. A normal return clears the alarm unless the handler set a new one;
   * an exception schedules a retry with exponential back-off (at-least-once delivery).
   *
   * <p>An object whose class does not override this method cannot set an alarm (outside its
   * constructor).
   *
   * @throws Exception any exception counts as a failed attempt and is retried
   */
  public void alarm(AlarmInfo alarmInfo) throws Exception {
    throw new UnsupportedOperationException(
        getClass().getName() + " does not implement alarm(AlarmInfo)");
  }

  /**
   * Handles a message on a WebSocket accepted with {@link DurableObjectState#acceptWebSocket}.
   *
   * @throws Exception fails this event only
   */
  public void webSocketMessage(WebSocket ws, WebSocketMessage message) throws Exception {}

  /**
   * Handles the close of an accepted WebSocket. The runtime completes the close handshake with the
   * client whether or not this handler calls {@link WebSocket#close}.
   *
   * @throws Exception fails this event only
   */
  public void webSocketClose(WebSocket ws, int code, String reason, boolean wasClean)
      throws Exception {}

  /**
   * Handles an error on an accepted WebSocket (for example a protocol violation by the peer).
   *
   * @throws Exception fails this event only
   */
  public void webSocketError(WebSocket ws, Throwable error) throws Exception {}
}
