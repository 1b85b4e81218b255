package dev.dobj;

import dev.dobj.fetch.Request;
import dev.dobj.fetch.Response;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * A client-side reference to one Durable Object; the only way to reach it.
 *
 * <p><b>E-order.</b> Calls made through one stub reach the object in the order they were made,
 * including async calls fired without waiting. Two stubs have no order between them.
 *
 * <p><b>Values.</b> Arguments and results are copied (records, strings, numbers, booleans, byte
 * arrays, lists, sets, maps, enums, {@code Optional}, {@code Request}, {@code Response}); ids and
 * stubs travel by reference. A type that cannot be copied is refused at the call with an {@code
 * IllegalArgumentException} naming the type; a message over 32 MiB is refused with "Serialized RPC
 * arguments or return values are limited to 32MiB".
 *
 * <p><b>Failures.</b> An exception thrown by the object's method fails that call only, as a {@link
 * DurableObjectException} with {@code remote()} true. When the instance behind the stub is reset,
 * this stub is broken: every in-flight and later call fails with {@code reset()} true; make a new
 * stub with {@link DurableObjectNamespace#get(DurableObjectId)}. An overloaded object fails the
 * rejected call only ({@code overloaded()} true).
 *
 * <p><b>Inside an object.</b> While a turn waits on a call through a stub, the object's input gate
 * opens and other events may run (so A calling B calling back A completes); inside {@link
 * DurableObjectState#blockConcurrencyWhile} it stays closed. Futures returned here open the gate
 * the same way while {@code join()} or {@code get()} waits on them; callbacks attached with {@code
 * thenApply} and the like run outside the object's turn.
 *
 * <p>Thread-safe. Stubs are cheap; keep one per object you talk to.
 *
 * @param <T> the RPC interface of the object
 */
public interface DurableObjectStub<T> {
  /** The id of the object this stub reaches. */
  DurableObjectId id();

  /** The name the id was derived from, if it was obtained by name. */
  Optional<String> name();

  /**
   * A view of the object for blocking calls: each method call on it is delivered to the object and
   * waits for the result, e.g. {@code long n = stub.call().increment();}.
   *
   * <p>Methods of {@code Object} ({@code toString}, {@code equals}, {@code hashCode}) answer
   * locally and are not delivered.
   *
   * @throws DurableObjectException from the returned view's methods, as described above
   * @throws IllegalArgumentException from the returned view's methods, for values that cannot be
   *     copied
   */
  T call();

  /**
   * Delivers one method call without waiting for it: {@code invocation} must make exactly one call
   * on the view it receives, e.g. {@code stub.callAsync(c -> c.increment())}. The call is queued in
   * E-order before this method returns.
   *
   * @return the result, or the failure as a {@link DurableObjectException}
   * @throws IllegalArgumentException if {@code invocation} does not make exactly one call, or a
   *     value cannot be copied
   */
  <R> CompletableFuture<R> callAsync(Function<? super T, ? extends R> invocation);

  /**
   * As {@link #callAsync} for a call whose result is not needed (for example a {@code void}
   * method).
   *
   * @throws IllegalArgumentException as {@link #callAsync}
   */
  CompletableFuture<Void> runAsync(Consumer<? super T> invocation);

  /**
   * Sends an HTTP request to the object's {@link DurableObject#fetch} handler and waits for its
   * response; delivered in E-order with the stub's calls.
   *
   * @throws DurableObjectException as for calls; an exception thrown by the handler arrives with
   *     {@code remote()} true
   */
  Response fetch(Request request);

  /** As {@link #fetch}, without waiting. */
  CompletableFuture<Response> fetchAsync(Request request);
}
