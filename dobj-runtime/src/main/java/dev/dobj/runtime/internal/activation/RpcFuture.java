package dev.dobj.runtime.internal.activation;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The future of a call through a stub. Waiting on it from inside an object's turn opens that
 * object's input gate while it waits (as awaiting an outgoing call does on Cloudflare), unless the
 * turn is in a critical section. Futures derived from it ({@code thenApply} and the like) behave
 * the same.
 */
final class RpcFuture<T> extends CompletableFuture<T> {
  @Override
  public <U> CompletableFuture<U> newIncompleteFuture() {
    return new RpcFuture<>();
  }

  @Override
  public T join() {
    if (isDone()) {
      return super.join();
    }
    return Activation.awaitOutside(super::join);
  }

  @Override
  public T get() throws InterruptedException, ExecutionException {
    if (!isDone()) {
      Activation.awaitOutside(() -> super.handle((v, e) -> null).join());
    }
    return super.get();
  }

  @Override
  public T get(long timeout, TimeUnit unit)
      throws InterruptedException, ExecutionException, TimeoutException {
    if (!isDone()) {
      Activation.awaitOutside(
          () -> {
            try {
              return super.get(timeout, unit);
            } catch (InterruptedException e) {
              Thread.currentThread().interrupt();
            } catch (TimeoutException | ExecutionException e) {
              // reported below, after the gate is taken back
            }
            return null;
          });
      if (Thread.interrupted()) {
        throw new InterruptedException();
      }
      if (!isDone()) {
        throw new TimeoutException("RPC call did not complete within " + timeout + " " + unit);
      }
    }
    return super.get();
  }

  /** Waits without touching any gate (the caller already opened its own). */
  T joinPlain() {
    return super.join();
  }
}
