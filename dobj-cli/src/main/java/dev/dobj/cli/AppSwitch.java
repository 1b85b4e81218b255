package dev.dobj.cli;

import dev.dobj.Env;
import dev.dobj.Worker;
import dev.dobj.fetch.Request;
import dev.dobj.fetch.Response;
import dev.dobj.runtime.DurableObjectRuntime;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantReadWriteLock;

/**
 * The version of the app that {@code dobj dev --watch} serves, and the Worker its HTTP front calls:
 * each request goes to the current version's Worker, with that version's {@link Env} and with its
 * class loader as the thread's context class loader.
 *
 * <p>A reload {@linkplain #pause pauses} the switch (new requests wait, those in flight finish),
 * {@linkplain #set sets} the next version and {@linkplain #resume resumes}. A request holds the
 * read side of a lock for its Worker call; a pause takes the write side. The Worker's answer may
 * still be streaming its body when the call returns: a reload does not wait for that.
 *
 * <p>Thread-safe.
 */
final class AppSwitch implements Worker {
  /**
   * One loaded version of the app; {@code runtime} owns its storage engine. A version that failed
   * to open has no runtime, and its Worker answers 503 with the reason.
   */
  record Version(
      AppConfig config, AppClasses classes, Worker worker, DurableObjectRuntime runtime) {

    /** The version served when neither the new version nor {@code old} could open again. */
    static Version failed(Version old, Exception cause) {
      String text =
          "dobj dev could not reload the app, nor open its previous version again: "
              + cause.getMessage()
              + "\n";
      return new Version(
          old.config(),
          old.classes(),
          (request, env) ->
              Response.builder(503)
                  .header("content-type", "text/plain; charset=utf-8")
                  .body(text)
                  .build(),
          null);
    }
  }

  // Fair: a waiting reload is not overtaken by a stream of new requests.
  private final ReentrantReadWriteLock lock = new ReentrantReadWriteLock(true);
  private volatile Version current;

  AppSwitch(Version first) {
    this.current = first;
  }

  /** The version being served. */
  Version current() {
    return current;
  }

  @Override
  public Response fetch(Request request, Env unused) throws Exception {
    ReentrantReadWriteLock.ReadLock read = lock.readLock();
    read.lock();
    try {
      Version version = current;
      Thread thread = Thread.currentThread();
      ClassLoader previous = thread.getContextClassLoader();
      thread.setContextClassLoader(version.classes().loader());
      try {
        return version
            .worker()
            .fetch(request, version.runtime() == null ? null : version.runtime().env());
      } finally {
        thread.setContextClassLoader(previous);
      }
    } finally {
      read.unlock();
    }
  }

  /**
   * Holds new requests and waits for those in flight to finish, up to {@code grace}; after it, runs
   * {@code abort} (which must make them finish: it closes their runtime) and waits for them. Must
   * be followed by {@link #resume()} on the same thread.
   */
  void pause(Duration grace, Runnable abort) {
    ReentrantReadWriteLock.WriteLock write = lock.writeLock();
    boolean interrupted = false;
    try {
      if (write.tryLock(grace.toNanos(), TimeUnit.NANOSECONDS)) {
        return;
      }
    } catch (InterruptedException e) {
      interrupted = true;
    }
    abort.run();
    write.lock();
    if (interrupted) {
      Thread.currentThread().interrupt();
    }
  }

  /** Serves {@code next} from now on (between {@link #pause} and {@link #resume}). */
  void set(Version next) {
    current = next;
  }

  /** Lets requests through again, to the version set last. */
  void resume() {
    lock.writeLock().unlock();
  }
}
