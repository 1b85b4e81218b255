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
 * threads (or at once when nothing is pending). A message released while a batch is open waits for
 * that batch, which the activation commits when no further event is queued (so consecutive turns
 * share one commit).
 */
final class StorageOutputGate implements OutputGate {
  private final ObjectStorage storage;

  StorageOutputGate(ObjectStorage storage) {
    this.storage = storage;
  }

  @Override
  public void release(Runnable send, Consumer<RuntimeException> fail) {
    storage.hold(send, fail);
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
