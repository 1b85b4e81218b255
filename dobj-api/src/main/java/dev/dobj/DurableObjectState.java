package dev.dobj;

import dev.dobj.fetch.WebSocket;
import dev.dobj.fetch.WebSocketAutoResponse;
import dev.dobj.storage.Storage;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/**
 * The state handle ({@code ctx}) the runtime passes to a Durable Object's constructor.
 *
 * <p>Every method may be called only from a turn of the object it belongs to (its constructor or an
 * event handler); from any other thread they throw {@link IllegalStateException}. {@link #id()} may
 * be read from anywhere.
 */
public interface DurableObjectState {
  /**
   * The object's id. Its {@code name()} is present when the object was reached by name, also after
   * eviction and restart (the name is persisted with the object's storage).
   */
  DurableObjectId id();

  /**
   * The object's private transactional storage: KV, SQL and its alarm.
   *
   * @throws IllegalStateException if the runtime has no storage engine configured
   */
  Storage storage();

  /**
   * Runs {@code section} with the input gate closed: no other event of this object is delivered
   * until it returns, even while it waits on outgoing calls. Returns its value.
   *
   * <p>If {@code section} throws, or runs longer than 30 seconds, the object is reset: the event
   * that called this and every other in-flight event fail, and this method throws a {@link
   * DurableObjectException} with {@code reset()} true and the cause attached.
   *
   * @throws IllegalStateException if nested more than 64 deep
   * @throws DurableObjectException if the section failed or timed out (the object is reset)
   */
  <T> T blockConcurrencyWhile(CriticalSection<T> section);

  /**
   * Keeps the object from being evicted until {@code work} completes. It has no other effect in a
   * Durable Object (as on Cloudflare).
   */
  void waitUntil(CompletableFuture<?> work);

  /**
   * Resets the object: every in-flight event fails with a {@link DurableObjectException} naming
   * {@code reason}, its stubs break, its WebSockets close, and the next call through a new stub
   * constructs it again from storage. Does not return.
   *
   * @throws DurableObjectException always, to end the calling turn
   */
  void abort(String reason);

  /**
   * Accepts a WebSocket for hibernation: its events arrive as {@link
   * DurableObject#webSocketMessage} and friends, and the object may be evicted while it stays open.
   * At most 10 tags of at most 256 characters each.
   *
   * @throws IllegalArgumentException for too many or too long tags
   * @throws IllegalStateException if the socket was already accepted
   */
  void acceptWebSocket(WebSocket ws, String... tags);

  /** The accepted WebSockets that are still open. */
  List<WebSocket> getWebSockets();

  /** The accepted WebSockets that are still open and carry {@code tag}. */
  List<WebSocket> getWebSockets(String tag);

  /**
   * The tags {@code ws} was accepted with.
   *
   * @throws IllegalArgumentException if {@code ws} was not accepted by this object
   */
  List<String> getTags(WebSocket ws);

  /**
   * Answers a fixed request message with a fixed response on every accepted socket, without waking
   * the object. Replaces any earlier pair.
   */
  void setWebSocketAutoResponse(WebSocketAutoResponse pair);

  /** The auto-response pair, if one is set. */
  Optional<WebSocketAutoResponse> getWebSocketAutoResponse();

  /**
   * When the runtime last answered {@code ws} with the auto-response, if it ever has: an object
   * that lets the runtime answer its clients' pings can still tell a live client from a silent one,
   * without being woken for every ping. Kept across hibernation, like the socket.
   *
   * @throws IllegalArgumentException if {@code ws} is not an open socket accepted by this object
   */
  Optional<Instant> getWebSocketAutoResponseTimestamp(WebSocket ws);
}
