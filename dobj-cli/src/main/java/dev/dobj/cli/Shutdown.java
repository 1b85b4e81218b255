package dev.dobj.cli;

import java.io.PrintWriter;
import java.time.Duration;

/**
 * How a long-running command learns that it should stop. In the real process, SIGINT or SIGTERM
 * ({@link SignalShutdown}); in tests, a call.
 */
interface Shutdown {
  /**
   * Blocks until the process is asked to stop, then runs {@code stop} on the calling thread and
   * returns the command's exit code: in the real process 128 + the signal's number (130 for SIGINT,
   * 143 for SIGTERM), or 1 if {@code stop} threw (its failure is printed). {@code stop} should end
   * within {@code limit}; in the real process the JVM exits when it does not.
   *
   * @param command the command's name for the lines printed, e.g. {@code "dobj dev"}
   */
  int awaitThen(String command, Duration limit, Runnable stop);

  /**
   * SIGINT and SIGTERM of this process, handled from now on; lines about the stop go to {@code out}
   * and {@code err}. Call once per process.
   */
  static Shutdown jvm(PrintWriter out, PrintWriter err) {
    return SignalShutdown.install(out, err);
  }
}
