package dev.dobj.runtime.internal.activation;

import dev.dobj.AlarmInfo;
import dev.dobj.runtime.internal.storage.ObjectStorage;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/**
 * The object's alarm, delivered as a turn. It runs the handler only if the store still holds the
 * alarm it was scheduled for (a commit may have moved or deleted it meanwhile). A handler that
 * returns clears the alarm unless it set a new one; a handler that throws leaves it, so the
 * scheduler retries. With {@code drop} set, it deletes the alarm instead (retries exhausted).
 */
final class AlarmEvent extends Event {
  private final Instant scheduled;
  private final int retryCount;
  private final boolean drop;
  final CompletableFuture<Boolean> result = new CompletableFuture<>();

  AlarmEvent(Instant scheduled, int retryCount, boolean drop) {
    this.scheduled = scheduled;
    this.retryCount = retryCount;
    this.drop = drop;
  }

  @Override
  void execute(Activation activation) {
    ObjectStorage storage;
    Optional<Instant> current;
    try {
      storage = activation.openStorage();
      current = storage.currentAlarm();
    } catch (RuntimeException e) {
      result.completeExceptionally(e);
      return;
    }
    if (current.isEmpty() || !current.get().equals(scheduled)) {
      result.complete(false);
      return;
    }
    if (drop) {
      storage.clearFiredAlarm(scheduled);
      result.complete(false);
      return;
    }
    try {
      activation.instance().alarm(new AlarmInfo(retryCount, retryCount > 0, scheduled));
    } catch (Throwable t) {
      result.completeExceptionally(t);
      return;
    }
    storage.clearFiredAlarm(scheduled);
    activation.outputGate().release(() -> result.complete(true), result::completeExceptionally);
  }

  @Override
  protected void reject(RuntimeException cause) {
    result.completeExceptionally(cause);
  }

  @Override
  public String toString() {
    return (drop ? "drop alarm " : "alarm ") + scheduled + " (retry " + retryCount + ")";
  }
}
