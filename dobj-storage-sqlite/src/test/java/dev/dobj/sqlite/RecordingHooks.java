package dev.dobj.sqlite;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/**
 * Engine hooks for tests: records every fsync and checkpoint in order, and can hold (until {@link
 * #release()}) or fail the fsyncs of the files a predicate selects.
 */
final class RecordingHooks implements EngineHooks {
  final List<Path> fsyncs = new CopyOnWriteArrayList<>();
  final List<Path> checkpoints = new CopyOnWriteArrayList<>();
  private volatile Predicate<Path> hold = p -> false;
  private volatile Predicate<Path> failing = p -> false;
  private final CountDownLatch held = new CountDownLatch(1);
  private final CountDownLatch released = new CountDownLatch(1);
  private final Map<Path, CountDownLatch> checkpointed = new ConcurrentHashMap<>();

  /** Holds the next fsync of a file matching {@code which} (and every later one) until release. */
  RecordingHooks holdFsyncsOf(Predicate<Path> which) {
    this.hold = which;
    return this;
  }

  /** Fails every later fsync of a file matching {@code which}. */
  RecordingHooks failFsyncsOf(Predicate<Path> which) {
    this.failing = which;
    return this;
  }

  /** Waits until an fsync is being held. */
  void awaitHeld() throws InterruptedException {
    if (!held.await(30, TimeUnit.SECONDS)) {
      throw new AssertionError("no fsync was held within 30 s");
    }
  }

  void release() {
    hold = p -> false;
    released.countDown();
  }

  long fsyncsOf(Path file) {
    return fsyncs.stream().filter(file::equals).count();
  }

  @Override
  public void beforeFsync(Path file) throws IOException {
    if (failing.test(file)) {
      throw new IOException("injected fsync failure of " + file);
    }
    if (hold.test(file)) {
      held.countDown();
      try {
        if (!released.await(30, TimeUnit.SECONDS)) {
          throw new IOException("the test never released the held fsync of " + file);
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IOException(e);
      }
    }
    fsyncs.add(file);
  }

  /** Waits until {@code file} was checkpointed at least once. */
  void awaitCheckpointOf(Path file) throws InterruptedException {
    if (!latch(file).await(30, TimeUnit.SECONDS)) {
      throw new AssertionError("no checkpoint of " + file + " within 30 s");
    }
  }

  private CountDownLatch latch(Path file) {
    return checkpointed.computeIfAbsent(file, f -> new CountDownLatch(1));
  }

  @Override
  public void checkpointed(Path file) {
    checkpoints.add(file);
    latch(file).countDown();
  }
}
