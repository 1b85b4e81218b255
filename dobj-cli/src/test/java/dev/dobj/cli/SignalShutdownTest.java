package dev.dobj.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The real process's shutdown without the process: signals are calls of {@link
 * SignalShutdown#signal}, the shutdown hook a call of {@link SignalShutdown#jvmExiting}, and
 * halting the JVM is recorded instead.
 */
class SignalShutdownTest {
  private static final Duration WAIT = Duration.ofSeconds(10);

  private final StringWriter out = new StringWriter();
  private final StringWriter err = new StringWriter();
  private final BlockingQueue<Integer> halts = new LinkedBlockingQueue<>();
  private final SignalShutdown shutdown =
      new SignalShutdown(new PrintWriter(out, true), new PrintWriter(err, true), halts::add);

  /** Released after each test, so a stop still blocked does not outlive it. */
  private final CountDownLatch release = new CountDownLatch(1);

  /** The threads each stop ran on, in order. */
  private final List<Thread> stops = new CopyOnWriteArrayList<>();

  @AfterEach
  void releaseStopsLeftBlocked() {
    release.countDown();
  }

  @Test
  void sigterm_runsTheStopOnTheWaitingThread_andExits143() {
    shutdown.signal("TERM", 15);

    int code = shutdown.awaitThen("dobj dev", WAIT, this::recordStop);

    assertThat(code).isEqualTo(143);
    assertThat(stops).containsExactly(Thread.currentThread());
    assertThat(out).hasToString("dobj dev: stopping on SIGTERM (a second signal exits at once)\n");
    assertThat(err).hasToString("");
    assertThat(halts).isEmpty();
  }

  @Test
  void sigint_exits130() throws Exception {
    CompletableFuture<Integer> exit = awaitThen(WAIT, this::recordStop);

    shutdown.signal("INT", 2);

    assertThat(exit.get(WAIT.toSeconds(), TimeUnit.SECONDS)).isEqualTo(130);
    assertThat(stops).hasSize(1);
    assertThat(out).hasToString("dobj dev: stopping on SIGINT (a second signal exits at once)\n");
    assertThat(halts).isEmpty();
  }

  @Test
  void aSecondSignal_whileStopping_haltsAtOnce_withItsOwnCode() throws Exception {
    CountDownLatch stopping = new CountDownLatch(1);
    CompletableFuture<Integer> exit =
        awaitThen(
            WAIT,
            () -> {
              stopping.countDown();
              await(release, "the test to release the stop");
            });
    shutdown.signal("TERM", 15);
    await(stopping, "the stop to start");

    shutdown.signal("INT", 2);

    assertThat(halts).containsExactly(130);
    assertThat(err).hasToString("dobj dev: SIGINT while stopping; exiting at once\n");
    release.countDown();
    assertThat(exit.get(WAIT.toSeconds(), TimeUnit.SECONDS)).isEqualTo(143);
  }

  @Test
  void aStopThatOutlastsItsLimit_halts_namingWhereTheStopWaits() throws Exception {
    CompletableFuture<Integer> exit = awaitThen(Duration.ofMillis(50), this::stuckInClose);

    shutdown.signal("TERM", 15);

    Integer halted = halts.poll(WAIT.toSeconds(), TimeUnit.SECONDS);
    assertThat(halted).as("the code halted with, within %s", WAIT).isEqualTo(143);
    assertThat(err.toString())
        .startsWith(
            "dobj dev: still stopping after 50 ms; exiting without finishing. The stop waits at:\n")
        .contains("\tat " + SignalShutdownTest.class.getName() + ".stuckInClose(");
    release.countDown();
    exit.get(WAIT.toSeconds(), TimeUnit.SECONDS);
  }

  @Test
  void aStopThatThrows_printsTheFailure_andExits1() {
    shutdown.signal("TERM", 15);

    int code =
        shutdown.awaitThen(
            "dobj dev",
            WAIT,
            () -> {
              throw new IllegalStateException("HTTP server on http://127.0.0.1:1/ failed to stop");
            });

    assertThat(code).isEqualTo(1);
    assertThat(err.toString())
        .startsWith(
            "dobj dev: failed to stop cleanly:\njava.lang.IllegalStateException: HTTP server on"
                + " http://127.0.0.1:1/ failed to stop\n");
    assertThat(halts).isEmpty();
  }

  @Test
  void theJvmExitingWithoutASignal_runsTheStopOnTheHooksThread() throws Exception {
    CompletableFuture<Integer> exit = awaitThen(WAIT, this::recordStop);

    shutdown.jvmExiting();

    assertThat(stops).containsExactly(Thread.currentThread());
    assertThat(exit.get(WAIT.toSeconds(), TimeUnit.SECONDS)).isEqualTo(1);
    assertThat(out).hasToString("");
    assertThat(halts).isEmpty();
  }

  @Test
  void theJvmExitingAfterTheStop_doesNotRunItAgain() {
    shutdown.signal("TERM", 15);
    shutdown.awaitThen("dobj dev", WAIT, this::recordStop);

    shutdown.jvmExiting();

    assertThat(stops).hasSize(1);
    assertThat(halts).isEmpty();
  }

  @Test
  void theJvmExitingBeforeTheCommandWaits_hasNothingToStop() {
    shutdown.jvmExiting();

    assertThat(stops).isEmpty();
    assertThat(halts).isEmpty();
  }

  @Test
  void aSignalWhileTheJvmExits_haltsAtOnce() throws Exception {
    CountDownLatch stopping = new CountDownLatch(1);
    CompletableFuture<Integer> exit =
        awaitThen(
            WAIT,
            () -> {
              stopping.countDown();
              await(release, "the test to release the stop");
            });
    CompletableFuture<Void> hook = CompletableFuture.runAsync(shutdown::jvmExiting);
    await(stopping, "the stop to start");

    shutdown.signal("TERM", 15);

    assertThat(halts).containsExactly(143);
    release.countDown();
    hook.get(WAIT.toSeconds(), TimeUnit.SECONDS);
    exit.get(WAIT.toSeconds(), TimeUnit.SECONDS);
  }

  @Test
  void awaitThen_twice_isRefused() throws Exception {
    awaitThen(WAIT, this::recordStop);
    CompletableFuture<Integer> second = awaitThen(WAIT, this::recordStop);

    assertThat(second)
        .failsWithin(WAIT)
        .withThrowableOfType(ExecutionException.class)
        .havingCause()
        .isInstanceOf(IllegalStateException.class)
        .withMessage("awaitThen was called twice; one command per process waits for the shutdown");
  }

  // ---- fixtures -----------------------------------------------------------------------------

  /** {@code awaitThen} on a thread of its own, as the command's thread; returns once it waits. */
  private CompletableFuture<Integer> awaitThen(Duration limit, Runnable stop) {
    boolean first = !shutdown.commandWaits();
    CompletableFuture<Integer> exit = new CompletableFuture<>();
    Thread.ofPlatform()
        .daemon()
        .name("command-under-test")
        .start(
            () -> {
              try {
                exit.complete(shutdown.awaitThen("dobj dev", limit, stop));
              } catch (Throwable t) {
                exit.completeExceptionally(t);
              }
            });
    long deadline = System.nanoTime() + WAIT.toNanos();
    while (first && !shutdown.commandWaits() && !exit.isDone()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("the command did not start waiting within " + WAIT);
      }
      Thread.onSpinWait();
    }
    return exit;
  }

  private void recordStop() {
    stops.add(Thread.currentThread());
  }

  /** A stop stuck until the test ends; its name shows in the stack printed before halting. */
  private void stuckInClose() {
    await(release, "the test to release the stuck stop");
  }

  private static void await(CountDownLatch latch, String what) {
    try {
      if (!latch.await(WAIT.toSeconds(), TimeUnit.SECONDS)) {
        throw new AssertionError("timed out after " + WAIT + " waiting for " + what);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError("interrupted waiting for " + what, e);
    }
  }
}
