package dev.dobj.cli;

import java.io.PrintWriter;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.IntConsumer;
import sun.misc.Signal;

/**
 * The real process's {@link Shutdown}: the first SIGINT or SIGTERM stops the command cleanly; a
 * second one, or a stop that outlasts its limit, ends the process at once.
 *
 * <p>Why not a JVM shutdown hook alone: the JVM runs the hooks for the first signal and blocks
 * every later one behind them, so a stop that hangs (a turn stuck in a SQL query holds its database
 * while the storage closes) could only be ended with {@code kill -9}, and a second Ctrl-C did
 * nothing. Here SIGINT and SIGTERM are handled directly ({@code sun.misc.Signal}, from {@code
 * jdk.unsupported}): the first wakes the thread waiting in {@link #awaitThen}, which runs the stop
 * and returns 128 + the signal's number (130 for SIGINT, 143 for SIGTERM, what a shell reports for
 * a process the signal ended); a later one halts the JVM with its own code. A watchdog halts the
 * JVM when the stop outlasts its limit, after printing where the stop is stuck. Halting is safe for
 * the data: a write whose result was sent is already durable, SQLite rolls back a transaction that
 * was cut, and the operating system releases the data directory's lock.
 *
 * <p>A shutdown hook remains for exits the command did not ask for ({@code System.exit} in an app's
 * code, SIGHUP): it runs the same stop, bounded the same way. A signal that was ignored when the
 * JVM started (under {@code nohup}, or {@code &} in a shell without job control) stays ignored;
 * under {@code -Xrs} SIGINT and SIGTERM keep their default action (the process ends at once).
 *
 * <p>Threads: {@link #signal} runs on a thread the JVM starts for each signal, {@link #awaitThen}
 * on the command's thread, {@link #jvmExiting} on the hook's thread. The state is published through
 * atomics and a latch; the stop runs at most once (a {@link FutureTask}), and whoever comes second
 * waits for it.
 */
final class SignalShutdown implements Shutdown {
  /** The stack frames of a stuck stop printed before halting; enough to see where it waits. */
  private static final int STUCK_FRAMES = 24;

  private final PrintWriter out;
  private final PrintWriter err;
  private final IntConsumer halt;
  private final CountDownLatch asked = new CountDownLatch(1);

  /** Why the process stops: the first signal, or the JVM exiting; set once. */
  private final AtomicReference<Request> request = new AtomicReference<>();

  /** The stop of the command waiting in {@link #awaitThen}; set once, when it starts waiting. */
  private final AtomicReference<Stop> stop = new AtomicReference<>();

  /**
   * @param halt ends the process with the given code, at once ({@code Runtime::halt}); tests pass a
   *     recorder
   */
  SignalShutdown(PrintWriter out, PrintWriter err, IntConsumer halt) {
    this.out = out;
    this.err = err;
    this.halt = halt;
  }

  /** A shutdown that handles SIGINT and SIGTERM of this process from now on. */
  static SignalShutdown install(PrintWriter out, PrintWriter err) {
    SignalShutdown shutdown = new SignalShutdown(out, err, Runtime.getRuntime()::halt);
    for (String name : List.of("INT", "TERM")) {
      try {
        Signal.handle(new Signal(name), s -> shutdown.signal(s.getName(), s.getNumber()));
      } catch (IllegalArgumentException keptByTheJvm) {
        // -Xrs, or a system without this signal: it keeps its default action.
      }
    }
    Runtime.getRuntime().addShutdownHook(new Thread(shutdown::jvmExiting, "dobj-shutdown"));
    return shutdown;
  }

  /** Why the process stops: what to print, and the exit code. */
  private record Request(String what, int exitCode) {}

  /** The command's stop: {@code task} answers whether {@code action} returned normally. */
  private record Stop(String command, Duration limit, FutureTask<Boolean> task) {}

  @Override
  public int awaitThen(String command, Duration limit, Runnable action) {
    // The task reads the stop back from the field, which is set before anyone can run the task.
    Stop s = new Stop(command, limit, new FutureTask<>(() -> run(action)));
    if (!stop.compareAndSet(null, s)) {
      throw new IllegalStateException(
          "awaitThen was called twice; one command per process waits for the shutdown");
    }
    awaitUninterruptibly(asked);
    boolean stopped = finish(s.task());
    return stopped ? request.get().exitCode() : CliException.FAILED;
  }

  /** Whether a command waits in {@link #awaitThen} (or has stopped); for tests. */
  boolean commandWaits() {
    return stop.get() != null;
  }

  /** SIG{@code name} arrived: the first one asks the command to stop, a later one halts. */
  void signal(String name, int number) {
    Request r = new Request("SIG" + name, 128 + number);
    if (request.compareAndSet(null, r)) {
      asked.countDown();
      return;
    }
    Stop s = stop.get();
    err.println(
        (s == null ? "dobj" : s.command()) + ": " + r.what() + " while stopping; exiting at once");
    halt(r.exitCode());
  }

  /**
   * The JVM is exiting (the shutdown hook): runs the stop on this thread unless it ran, waits for
   * it, then lets the command's thread return (in a real exit, the JVM halts before it matters).
   */
  void jvmExiting() {
    Stop s = stop.get();
    if (s == null) {
      // Still starting: what is open is released by the operating system.
      return;
    }
    request.compareAndSet(null, new Request("exit", CliException.FAILED));
    finish(s.task());
    asked.countDown();
  }

  /** The stop itself, run once by whichever thread comes first. */
  private boolean run(Runnable action) {
    Stop s = stop.get();
    Request r = request.get();
    if (r.what().startsWith("SIG")) {
      out.println(s.command() + ": stopping on " + r.what() + " (a second signal exits at once)");
      out.flush();
    }
    watch(s, r, Thread.currentThread());
    try {
      action.run();
      return true;
    } catch (RuntimeException | Error e) {
      err.println(s.command() + ": failed to stop cleanly:");
      e.printStackTrace(err);
      err.flush();
      return false;
    }
  }

  /** Halts with the request's code if the stop is still running after {@code limit}. */
  private void watch(Stop s, Request r, Thread stopping) {
    Thread.ofPlatform()
        .daemon()
        .name("dobj-stop-watchdog")
        .start(
            () -> {
              try {
                s.task().get(s.limit().toNanos(), TimeUnit.NANOSECONDS);
              } catch (TimeoutException e) {
                err.println(
                    s.command()
                        + ": still stopping after "
                        + describe(s.limit())
                        + "; exiting without finishing. The stop waits at:");
                StackTraceElement[] frames = stopping.getStackTrace();
                for (int i = 0; i < Math.min(frames.length, STUCK_FRAMES); i++) {
                  err.println("\tat " + frames[i]);
                }
                halt(r.exitCode());
              } catch (ExecutionException | CancellationException | InterruptedException e) {
                // The stop ended; the thread that waits for it reports how.
              }
            });
  }

  /** Runs the stop unless another thread did, and waits for it; whether it returned normally. */
  private static boolean finish(FutureTask<Boolean> task) {
    task.run();
    boolean interrupted = false;
    try {
      while (true) {
        try {
          return task.get();
        } catch (InterruptedException e) {
          interrupted = true;
        } catch (ExecutionException | CancellationException e) {
          throw new AssertionError("the stop task catches its failures, yet it failed: " + e, e);
        }
      }
    } finally {
      if (interrupted) {
        Thread.currentThread().interrupt();
      }
    }
  }

  /** {@code 20 s}, or {@code 250 ms} below a second. */
  static String describe(Duration d) {
    return d.compareTo(Duration.ofSeconds(1)) >= 0 ? d.toSeconds() + " s" : d.toMillis() + " ms";
  }

  private void halt(int code) {
    out.flush();
    err.flush();
    halt.accept(code);
  }

  private static void awaitUninterruptibly(CountDownLatch latch) {
    boolean interrupted = false;
    try {
      while (true) {
        try {
          latch.await();
          return;
        } catch (InterruptedException e) {
          // Only a signal (or the JVM exiting) ends the wait.
          interrupted = true;
        }
      }
    } finally {
      if (interrupted) {
        Thread.currentThread().interrupt();
      }
    }
  }
}
