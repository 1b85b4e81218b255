package dev.dobj.cli;

import java.util.concurrent.CountDownLatch;

/**
 * How a long-running command learns that it should stop. In the real process, SIGINT or SIGTERM
 * (through a JVM shutdown hook); in tests, a call.
 */
interface Shutdown {
  /**
   * Blocks until the process is asked to stop, then runs {@code stop}. May never return: in the
   * real process, {@code stop} runs in the shutdown hook and the JVM exits after it.
   */
  void awaitThen(Runnable stop);

  /** SIGINT and SIGTERM, through a JVM shutdown hook. */
  static Shutdown jvm() {
    return stop -> {
      Runtime.getRuntime().addShutdownHook(new Thread(stop, "dobj-shutdown"));
      // Park this thread for good: the JVM exits once the hook has run. Returning instead would
      // reach System.exit, which blocks forever when called during shutdown.
      CountDownLatch never = new CountDownLatch(1);
      while (true) {
        try {
          never.await();
        } catch (InterruptedException e) {
          // Nothing to do: only the shutdown hook ends this command.
        }
      }
    };
  }
}
