package dev.dobj.runtime.internal.storage;

import dev.dobj.runtime.internal.gate.OutputGate;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.function.Consumer;

/**
 * The output gate over an object's store: a message leaves once the batch holding every write made
 * before it is durable. Releasing first ends the open batch (so a turn's writes commit when its
 * result is ready), then waits on the engine's durability for that batch in the background.
 *
 * <p>Turn-confined like the storage it belongs to; the release callbacks run on the engine's
 * threads (or at once when nothing is pending).
 */
final class StorageOutputGate implements OutputGate {
  private final ObjectStorage storage;

  StorageOutputGate(ObjectStorage storage) {
    this.storage = storage;
  }

  @Override
  public void release(Runnable send, Consumer<RuntimeException> fail) {
    CompletableFuture<Void> durable;
    try {
      durable = storage.commitBatch();
    } catch (RuntimeException e) {
      fail.accept(e);
      return;
    }
    if (durable.isDone() && !durable.isCompletedExceptionally()) {
      send.run();
      return;
    }
    durable.whenComplete(
        (v, err) -> {
          if (err == null) {
            send.run();
          } else {
            fail.accept(storage.commitFailed(unwrap(err)));
          }
        });
  }

  @Override
  public void awaitDurable() {
    CompletableFuture<Void> durable = storage.commitBatch();
    try {
      durable.join();
    } catch (CompletionException e) {
      throw storage.commitFailed(unwrap(e));
    }
  }

  private static Throwable unwrap(Throwable t) {
    return t instanceof CompletionException && t.getCause() != null ? t.getCause() : t;
  }
}
