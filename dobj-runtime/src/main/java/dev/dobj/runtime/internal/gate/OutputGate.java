package dev.dobj.runtime.internal.gate;

import java.util.function.Consumer;

/**
 * Holds messages that leave an object until the storage writes made before them are durable.
 *
 * <p>A message that would leave the object (an RPC result, a fetch response) is handed to {@link
 * #release} with the writes made so far as its barrier: it goes out when they are durable, while
 * the object goes on with its next event (so consecutive turns coalesce into one commit). An
 * outgoing call waits in {@link #awaitDurable} before it is sent. If the commit fails, the held
 * messages are dropped: their {@code fail} callbacks run instead. Without storage there is never
 * anything to wait for ({@link #OPEN}).
 */
public interface OutputGate {
  /** A gate that never holds anything (no storage configured). */
  OutputGate OPEN =
      new OutputGate() {
        @Override
        public void release(Runnable send, Consumer<RuntimeException> fail) {
          send.run();
        }

        @Override
        public void awaitDurable() {}
      };

  /**
   * Runs {@code send} once every write made so far is durable (at once if there is none), or {@code
   * fail} with the commit's failure. Never blocks.
   */
  void release(Runnable send, Consumer<RuntimeException> fail);

  /**
   * Waits until every write made so far is durable.
   *
   * @throws RuntimeException the commit's failure, if it failed (the object is then reset)
   */
  void awaitDurable();
}
